"""A section whose heading names the table it explains binds the section's headline total to that table's total.

"（五）一般公共预算当年拨款情况说明（详见表5）" + "2026年一般公共预算当年拨款432,564.30万元，比上年…": the heading says
which printed table the section explains (详见表5 / 详见附表5 / 见公开05表 / （表5）), and the section's first figure,
stated of the heading's own subject, is that table's 合计. The words alone do not say which cell "当年拨款" restates
(it excludes 上年结转), so the binding holds only when

  * the heading names a table by its printed number, and exactly one recognised table prints that number;
  * the heading's subject names one fund and an expenditure total (lexicons/alignment.toml [headline]), and no part
    of it (基本支出, 项目支出 …);
  * the table is one of that fund's expenditure tables ([headline] tables) and its printed title names the same fund;
  * the claim is the first figure of the section, an amount of the year, in a sentence whose words before it hold
    the heading's subject, and no other alignment already gives it a cell.

Anything else binds nothing: the figure stays as the claim stage left it (unaligned, or N02 when it has a subject).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..lexicons import load
from ..model import Claim, Document, Section, Table
from ..structure.tokens import squash
from . import CellRef, _locate_in, _named_fund, resolve

# the table a heading names: （详见表5） （详见附表5） （见公开05表） （详见预算05表） （表5）
_REF = re.compile(r"[（(]\s*(?:详\s*)?(?:见\s*)?(?:附表|公开表|表|公开|预算)\s*(\d{1,2})\s*表?\s*[）)]\s*$")
# the number a table prints: 表5：… / 附表5 … / 公开05表 / 预算05表 (Table.label holds the last two)
_PRINTED_NO = re.compile(r"^(?:附)?表\s*(\d{1,2})(?!\d)")
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[.．、])\s*")
_YEAR = re.compile(r"\d{4}\s*年(?:度)?")


@dataclass(frozen=True)
class Binding:
    claim: Claim
    section: Section
    subject: str          # the heading's words ("一般公共预算当年拨款")
    number: str           # the table number the heading prints ("5")
    ref: CellRef


@lru_cache(maxsize=None)
def _lex() -> dict:
    return load("alignment")["headline"]


def heading_reference(title: str) -> Optional[tuple[str, str]]:
    """(subject words, table number) of a heading that names its table, else None.
    "（五）一般公共预算当年拨款情况说明（详见表5）" -> ("一般公共预算当年拨款", "5")."""
    t = squash(title)
    m = _REF.search(t)
    if not m:
        return None
    words = _NUMBERING.sub("", t[:m.start()])
    for tail in _lex()["heading_tails"]:
        if words.endswith(tail):
            words = words[: -len(tail)]
            break
    return _YEAR.sub("", words), str(int(m.group(1)))


def printed_number(t: Table) -> Optional[str]:
    if t.label:
        return str(int(t.label))
    m = _PRINTED_NO.match(squash(t.printed_title or ""))
    return str(int(m.group(1))) if m else None


def subject_fund(words: str) -> Optional[str]:
    """The fund of a heading subject that names one fund and an expenditure total, else None."""
    lex = _lex()
    if any(w in words for w in lex["part_words"]) or not words.endswith(tuple(lex["total_words"])):
        return None
    return _named_fund(words)


def _tables(doc: Document, number: str, fund: str) -> list[Table]:
    """The recognised tables printing ``number`` (one table, perhaps read in pieces over pages), when they are one
    of the fund's expenditure tables and their printed title names the fund; else []."""
    tables = [t for t in doc.tables if printed_number(t) == number]
    if len({t.printed_title for t in tables}) != 1:
        return []
    t = tables[0]
    if _base(t) not in _lex()["tables"].get(fund, {}) or _named_fund(t.printed_title or "") != fund:
        return []
    return tables


def _base(t: Table) -> str:
    return t.id.split(".", 1)[0].split("_", 1)[0]


def _total(tables: list[Table], fund: str) -> Optional[CellRef]:
    for t in tables:
        column = _lex()["tables"][fund][_base(t)]
        for row in _lex()["total_rows"]:
            ref = _locate_in(t, row, column)
            if ref is not None and ref.cell.exact and ref.value is not None:
                return ref
    return None


def _headline(doc: Document, sec: Section, subject: str) -> Optional[Claim]:
    """The section's first figure (in it or its first subsection: "1.一般公共预算当年拨款规模变化情况。"), when it
    is an amount of the year stated of the heading's subject."""
    inner = {s.title for s in doc.sections if sec.start <= s.start and s.end <= sec.end} | {sec.title}
    first = next((c for c in doc.claims if c.section in inner), None)
    if first is None or sum(1 for s in doc.sections if s.title == first.section) != 1:
        return None   # two sections print the same title: whose figure the claim is, its title does not tell
    if first.kind != "amount" or first.period not in ("本年", None) or first.value is None:
        return None
    before = _YEAR.sub("", squash(first.sentence[: first.span[0]]))
    return first if subject in before else None


def headline_bindings(doc: Document) -> list[Binding]:
    """Every section headline total bound to the total of the table its heading names (see the module doc)."""
    out = []
    for sec in doc.sections:
        hr = heading_reference(sec.title)
        if hr is None:
            continue
        subject, number = hr
        fund = subject_fund(subject)
        ref = _total(_tables(doc, number, fund), fund) if fund else None
        c = _headline(doc, sec, subject) if ref is not None else None
        if c is None or (c.subject and resolve(doc, c.subject, c.period, c.scope) is not None):
            continue
        out.append(Binding(c, sec, subject, number, ref))
    return out
