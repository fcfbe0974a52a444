"""Shared by the tests that read real development documents: where ../shared/corpus is, a skip mark for when it is
absent, and each document loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from auditor.model import Document
from auditor.pipeline import load_disclosure

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
_DOCS: dict[str, Document] = {}


def corpus_doc(rel: str) -> Document:
    """The disclosure at CORPUS/rel, loaded once."""
    if rel not in _DOCS:
        _DOCS[rel] = load_disclosure(CORPUS / rel)
    return _DOCS[rel]
