"""How many printed figures of each table region landed in a parsed cell (or a parsed code / 行次).

The figure reviewers care about: a number in a table that the parser dropped is a number no check can see.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import Block, Document
from .rows import _cell_tok, code_spans, join_code_cells, printed_grid
from .tokens import tokenize

from .. import rx as re

_COLUMN_NUMBERS = re.compile(r"^\s*1\s+2\s+3(?:\s+\d{1,2})*\s*$")
_UNIT = re.compile(r"(?<=\d)(?:万元|万|元)$")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")


@dataclass
class Coverage:
    numbers: int = 0
    landed: int = 0
    missed: list[tuple[str, int | None]] = field(default_factory=list)  # (figure, line)

    @property
    def ratio(self) -> float:
        return self.landed / self.numbers if self.numbers else 1.0


def _region_numbers(blocks: list[Block], body: list[int]) -> list[tuple[str, int | None]]:
    out = []
    spans = code_spans([[c.text for c in r] for j in body if blocks[j].kind == "grid"
                        for r in printed_grid(blocks[j].grid or [])])
    for j in body:
        b = blocks[j]
        texts = []
        if b.kind == "row":
            texts = [c for c in (b.cells or []) if c]
        elif b.kind == "grid":
            # codes printed over 类 | 款 | 项 cells count as the one code they spell
            texts = [t.text for row in printed_grid(b.grid or []) for t in join_code_cells([_cell_tok(c.text, c.prov) for c in row],
                                                                                spans) if t.text]
        else:
            texts = [b.text]
        joined = " ".join(texts)
        if "栏次" in joined.replace(" ", "") or _COLUMN_NUMBERS.match(joined):
            continue  # column numbers (栏次 1 2 3 ...), not figures
        for text in texts:
            text = _YEAR.sub(" ", text)
            toks = tokenize(text, b.prov)
            if any("栏次" in t.text for t in toks):
                continue  # column numbers, not figures
            out.extend((t.text, t.prov.line) for t in toks if t.kind in ("num", "int"))
    return out


def document_coverage(doc: Document, regions) -> Coverage:
    cov = Coverage()
    by_title = {}
    for t in doc.tables:
        by_title.setdefault(t.id.split(".")[0], []).append(t)
    for reg in regions:
        parsed: Counter = Counter()
        for t in by_title.get(reg.tdef.id + reg.suffix, []):
            for r in t.rows:
                if r.line_no:
                    parsed[r.line_no] += 1
                for oc in r.other_codes:
                    parsed[oc] += 1
                for part in (r.key.split("#")[0].split("/") if r.code else []):
                    parsed[part] += 1
                for c in r.cells.values():
                    parsed[_UNIT.sub("", c.raw.replace(" ", ""))] += 1
        for fig, line in _region_numbers(doc.blocks, reg.body):
            cov.numbers += 1
            if parsed[fig] > 0:
                parsed[fig] -= 1
                cov.landed += 1
            else:
                cov.missed.append((fig, line))
    return cov
