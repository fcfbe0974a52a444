"""Cell and token level parsing: numbers, classification codes, names, and the flattened-line tokenizer.

Pure functions, no document state (the hot ones on a cell's text are memoised: a table's figures and names recur
across its rows, its pages and the passes over it). A printed figure stays a string until ``parse_number`` turns it
into a float, so the raw text (and its printed decimals, the basis of the rounding tolerance) is never lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..model import Provenance

# 3,881.84  624  0.00  -12.5  (12.50)   -- thousands separators allowed, empty means missing
_NUM = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_FUNC_CODE = re.compile(r"^2[0-3]\d(?:\d\d){0,2}$")          # 类 201 / 款 20103 / 项 2010301
_ECON_CODE = re.compile(r"^(?:3\d\d|5\d\d)(?:\d\d)?$")         # 部门经济分类 301/30101, 政府经济分类 501/50101
_SPACED_FUNC = re.compile(r"(?<![\d.])(2[0-3]\d) (\d\d)(?: (\d\d))?(?![\d.])")
_SPACED_ECON = re.compile(r"(?<![\d.])([35]\d\d) (\d\d)(?![\d.])")
# an amount with two decimals glued to what follows: "47.5530201" -> 47.55 | 30201 ; "113.50一、" -> 113.50 | 一、
_GLUED = re.compile(r"(\d\.\d\d)(?=\d{3}|[^\d\s.,%])")
_CJK_SPACED = re.compile(r"(?<=\p{Han}) (?=\p{Han})")
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d))\s*")


_SPACE = re.compile(r"\s+")
_UNIT_SUFFIX = re.compile(r"^([-−]?[\d,]+(?:\.\d+)?)\s*(?:万元|万|元)$")


@lru_cache(maxsize=1 << 16)
def parse_number(s: str) -> Optional[float]:
    """'3,881.84' -> 3881.84; '48 万' -> 48; '' / '-' / text -> None. Empty cells are missing values, not zeros."""
    t = s.strip().replace("−", "-")
    m = _UNIT_SUFFIX.match(t)
    if m:
        t = m.group(1)
    if not t:
        return None
    neg = t.startswith("(") and t.endswith(")")
    if neg:
        t = t[1:-1]
    if not _NUM.match(t):
        return None
    v = float(t.replace(",", ""))
    return -v if neg else v


def is_number(s: str) -> bool:
    return parse_number(s) is not None


def is_func_code(s: str) -> bool:
    return bool(_FUNC_CODE.match(s.replace(" ", "")))


def is_econ_code(s: str) -> bool:
    return bool(_ECON_CODE.match(s.replace(" ", "")))


def norm_code(s: str) -> str:
    """'201 03 01' and '2010301' are the same key."""
    return _SPACE.sub("", s)


def norm_name(s: str) -> str:
    """Canonical row name: markup, spaces, numbering (一、 （一） 1.) and a leading 其中： removed."""
    t = _SPACE.sub("", s or "")
    t = t.replace("其中：", "").replace("其中:", "")
    t = _NUMBERING.sub("", t)
    return t.replace("(", "（").replace(")", "）")


@lru_cache(maxsize=1 << 16)
def squash(s: str) -> str:
    """Text for matching titles: no spaces of any kind, ASCII brackets and quotes unified."""
    t = _SPACE.sub("", s or "")
    return (t.replace("(", "（").replace(")", "）").replace('"', "“").replace("\u201d", "“")
            .replace("\u2018", "“").replace("\u2019", "“").replace("'", "“"))


@dataclass
class Tok:
    """One token of a table line: text plus what it looks like."""

    text: str
    kind: str          # "num" (has decimals or separators) | "int" | "text"
    prov: Provenance
    unit: Optional[str] = None  # the unit its column's header prints ("金额（万元）", "人数（人）"), when one does

    @property
    def value(self) -> Optional[float]:
        return parse_number(self.text)


@lru_cache(maxsize=1 << 16)
def classify(t: str) -> str:
    m = _UNIT_SUFFIX.match(t)
    if m:
        t = m.group(1)
    if _NUM.match(t.replace("−", "-")):
        return "num" if ("." in t or "," in t) else "int"
    return "text"


@lru_cache(maxsize=1 << 16)
def prepare_line(text: str) -> str:
    """Undo the flattening artefacts of one line: spaced-out CJK characters, spaced codes, glued numbers."""
    t = text.replace("\u3000", " ").strip()
    if " " in t:  # each of the three joins a space away
        t = _CJK_SPACED.sub("", t)
        t = _SPACED_FUNC.sub(lambda m: "".join(g for g in m.groups() if g), t)
        t = _SPACED_ECON.sub(lambda m: m.group(1) + m.group(2), t)
    if "." in t:  # a glued number has decimals
        t = _GLUED.sub(r"\1 ", t)
    return t


def tokenize(text: str, prov: Provenance) -> list[Tok]:
    """Tokens of one flattened table line (whitespace-separated after ``prepare_line``)."""
    return [Tok(w, classify(w), prov) for w in prepare_line(text).split()]
