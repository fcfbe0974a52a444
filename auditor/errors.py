"""Errors a user sees: one clear bilingual line naming the file and the problem (never a traceback)."""
from __future__ import annotations


class InputError(Exception):
    """Bad input: the message names the file and says what is wrong, in Chinese then English."""

    def __init__(self, path: str, zh: str, en: str):
        from .names import text_name

        self.path, self.zh, self.en = text_name(path), zh, en
        super().__init__(f"{self.path}: {zh} / {en}")
