"""Compare the tables the structure stage recognised with the hand labels of tests/labels/ (their oracle).

A labelled table is *recognised* when one recognised table (both sides of a two-sided table count as one) has the
label's canonical type, starts on the label's first page and carries its printed unit (a label without a printed
unit accepts any). Besides: no recognised table may start on a 目录 page, no row of a two-sided table may carry the
other side glued to its name, and the document must be accepted exactly when the label says it is a disclosure.
Used by tests/test_labels.py and bench/table_labels.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import rx as re

from ..lexicons import pattern, table_def
from ..model import Document, Table

_FIGURE = re.compile(r"\d[\d,]*\.\d{2}")
_GLUED = re.compile(r"(?:收入|拨款|结转|结余).*[一二三四五六七八九十]+、.*支出")


@dataclass
class Found:
    """One recognised table (the two sides of a two-sided table are one)."""

    id: str
    type: str
    first_page: Optional[int]
    last_page: Optional[int]
    unit: str
    printed_title: str


@dataclass
class DocResult:
    label: dict
    accepted: bool
    error: str = ""
    found: list[Found] = field(default_factory=list)
    matched: list[tuple[dict, Optional[Found]]] = field(default_factory=list)
    toc_starts: list[Found] = field(default_factory=list)
    glued: list[str] = field(default_factory=list)

    @property
    def disclosure_ok(self) -> bool:
        return self.accepted == bool(self.label.get("disclosure"))

    @property
    def recognised(self) -> int:
        return sum(1 for _, f in self.matched if f is not None)

    def missed(self) -> list[dict]:
        return [t for t, f in self.matched if f is None]


def load_labels(root: Path) -> list[dict]:
    """Every label JSON under root (tests/labels/<folder>/<name>.json), sorted by path."""
    out = []
    for p in sorted(Path(root).rglob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        d["_label_path"] = str(p)
        out.append(d)
    return out


def table_type(t: Table) -> str:
    base = t.id.split(".")[0].split("_")[0]
    try:
        return table_def(base).type
    except KeyError:
        return "generic"


def _pages(t: Table) -> list[int]:
    pages = [t.prov.page] if t.prov.page else []
    pages += [r.prov.page for r in t.rows if r.prov.page]
    return pages


def found_tables(doc: Document) -> list[Found]:
    """Recognised tables of a document, the two sides of one printed table joined, in document order."""
    out: dict[str, Found] = {}
    for t in doc.tables:
        key = pattern(r"\.(income|expenditure)").sub("", t.id)
        pages = _pages(t)
        f = out.get(key)
        if f is None:
            out[key] = Found(key, table_type(t), t.prov.page, max(pages) if pages else None, t.unit, t.printed_title)
        elif pages:
            f.last_page = max(pages + [f.last_page or 0])
    return list(out.values())


def _same_type(label_type: str, found_type: str) -> bool:
    if label_type in ("budget.other", "final.other"):
        return True  # any table recognised there (a catalogued one or a generic grid) reads it
    return label_type == found_type


def glued_rows(doc: Document) -> list[str]:
    """Row names of two-sided tables that hold a figure or the other side's item (two sides read as one)."""
    out = []
    for t in doc.tables:
        if "." not in t.id:
            continue
        for r in t.rows:
            name = r.name or ""
            if _FIGURE.search(name) or _GLUED.search(name):
                out.append(f"{t.id}: {name}")
    return out


def compare(label: dict, doc: Optional[Document], error: str = "") -> DocResult:
    """Compare one document (None when it was rejected, with the error line) with its label."""
    res = DocResult(label, accepted=doc is not None, error=error)
    if doc is None:
        res.matched = [(t, None) for t in label.get("tables", [])]
        return res
    res.found = found_tables(doc)
    free = list(res.found)
    for lt in label.get("tables", []):
        hit = None
        for f in free:
            if f.first_page == lt["first_page"] and _same_type(lt["type"], f.type) \
                    and (lt.get("unit") is None or lt["unit"] == f.unit):
                hit = f
                break
        if hit is not None:
            free.remove(hit)
        res.matched.append((lt, hit))
    toc = set(label.get("toc_pages") or [])
    res.toc_starts = [f for f in res.found if f.first_page in toc]
    res.glued = glued_rows(doc)
    return res


def check_label(label: dict, corpus: Path) -> tuple[DocResult, Optional[Document]]:
    """Load the labelled file as `auditor check` does (rejected with its one-line error) and compare."""
    from ..errors import InputError
    from ..pipeline import load_disclosure

    try:
        doc = load_disclosure(Path(corpus) / label["file"])
    except InputError as e:
        return compare(label, None, str(e)), None
    return compare(label, doc), doc


def dense_pages(doc: Document, min_figures: int = 15) -> tuple[list[int], list[int]]:
    """Pages printing at least min_figures two-decimal numbers as table figures (in a ruled grid, a row of cells,
    or a text line that is not a sentence), and those of them that no table's rows or cells reach. Narrative
    sentences dense with figures are not tables and do not count."""
    per_page: dict[int, int] = {}
    for b in doc.blocks:
        if b.prov.page is None:
            continue
        if b.kind == "grid":
            text = " ".join(c.text for r in (b.grid or []) for c in r)
        elif b.kind == "row" and b.cells:
            text = " ".join(b.cells)
        elif _SENTENCE.search(b.text):
            continue
        else:
            text = b.text
        per_page[b.prov.page] = per_page.get(b.prov.page, 0) + len(_FIGURE.findall(text))
    dense = sorted(p for p, n in per_page.items() if n >= min_figures)
    covered = {r.prov.page for t in doc.tables for r in t.rows} | {c.prov.page for t in doc.tables
                                                                  for _, _, c in t.cells()}
    return dense, [p for p in dense if p not in covered]


_SENTENCE = re.compile(r"[。，；：]")
