"""The one place where the forms of digits and signs are made uniform, on every block's text and cells, before any
claim or cell is read (auditor.read.read_blocks applies it): the same document gives the same findings whichever
form it was typed or converted in.

- decimal digits of any script (full-width ０-９, Arabic-Indic, ...) -> ASCII 0-9; a full-width full stop between
  digits (１２．３４) -> "."
- a minus sign in any form (U+2212 −, en dash –, figure dash ‒, small and full-width hyphen-minus ﹣ －) directly
  before a digit -> "-" (a lone dash, the "no data" mark of a table cell, is left alone, as is the em dash —)
- NUL and the other C0 control characters (but tab, newline, form feed), DEL, and zero-width characters -> removed
  (a PDF or a conversion tool leaves them inside words, where they split a number or a subject)
- a lone UTF-16 surrogate (U+D800-U+DFFF, which a damaged PDF's text can decode to and which no UTF-8 output can
  hold) -> U+FFFD, the replacement character
"""
from __future__ import annotations

import unicodedata

from .. import rx as re


def _table() -> dict[int, int | None]:
    t: dict[int, int | None] = {}
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Nd":
            t[cp] = ord("0") + unicodedata.decimal(ch)
    for cp in [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]:
        t[cp] = None
    for cp in range(0xD800, 0xE000):
        t[cp] = 0xFFFD
    return t


def _char_class(cps) -> str:
    """A regular-expression class of the code points (all in the BMP, as the table's), as ranges."""
    out, run = [], []
    for cp in sorted(cps):
        if run and cp == run[-1] + 1:
            run[-1] = cp
        else:
            run = [cp, cp]
            out.append(run)
    return "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in out) + "]"


_TABLE = _table()
_MINUSES = "\u2212\u2013\u2012\ufe63\uff0d"
_MAPPED = re.compile(_char_class(_TABLE))  # a character the table changes (most Chinese text has none)
_MINUS = re.compile(f"[{_MINUSES}](?=\\d)")
# a character of the table, a minus or a full-width full stop: a line without one is returned as it is (one search)
_CHANGED = re.compile(_char_class(set(_TABLE) | {ord(c) for c in _MINUSES + "\uff0e"}))
_FULL_STOP = re.compile(r"(?<=\d)\uff0e(?=\d)")


def normalise(s: str) -> str:
    """Digits, minus signs and invisible characters in one uniform form (see the module doc); the string itself
    when nothing changes."""
    if not s or not _CHANGED.search(s):
        return s
    t = s.translate(_TABLE) if _MAPPED.search(s) else s
    if "\uff0e" in t:
        t = _FULL_STOP.sub(".", t)
    return _MINUS.sub("-", t) if _MINUS.search(t) else t


# A figure in a budget disclosure is at most some 10^13 (yuan); 16 or more integer digits is beyond any budget and
# beyond what a float holds exactly: such a number is flagged (rule D01), never computed with.
MAX_INT_DIGITS = 15


def plausible_number(s: str) -> bool:
    """Whether a printed number (digits, commas, a decimal part) is within any plausible budget range."""
    head = s.split(".", 1)[0]
    return len(head) <= MAX_INT_DIGITS or sum(ch.isdigit() for ch in head) <= MAX_INT_DIGITS
