"""Read a Word (.docx) file into ordered blocks: headings, paragraphs and tables in document order.

The body is walked element by element (``w:p`` and ``w:tbl`` interleaved), so a table stays between the paragraphs
that surround it.  A paragraph styled "Heading N" / "标题 N" becomes a heading of level N; tables become grid blocks.
A DOCX has no pages or lines: provenance carries the path only.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .. import rx as re

from .. import budget
from ..errors import InputError
from ..model import Block, GridCell, Provenance, SourceInfo

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)\s*$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|标题)$", re.IGNORECASE)


def _clean(s: str) -> str:
    return " ".join(s.replace("\u3000", " ").replace("\xa0", " ").split())


def _heading_level(paragraph) -> int:
    try:
        name = paragraph.style.name or ""
    except Exception:  # a style id missing from styles.xml
        return 0
    m = _HEADING_STYLE.match(name.strip())
    if m:
        return int(m.group(1))
    return 1 if _TITLE_STYLE.match(name.strip()) else 0


def _cell_text(cell) -> str:
    """A cell's paragraphs joined without separators (wrapped Chinese), spaces normalised."""
    return "".join(_clean(p.text) for p in cell.paragraphs).strip()


def _table_grid(table, prov: Provenance) -> list[list[GridCell]]:
    rows: list[list[GridCell]] = []
    for row in table.rows:
        out: list[GridCell] = []
        seen: set[int] = set()
        for cell in row.cells:
            # a horizontally merged cell repeats the same cell object: its text goes in the first column only
            key = id(cell._tc)
            out.append(GridCell("" if key in seen else _cell_text(cell), prov))
            seen.add(key)
        rows.append(out)
    return rows


def read_docx(path: str | Path) -> tuple[SourceInfo, list[Block]]:
    p = Path(path)
    sp = str(p)
    data = p.read_bytes()
    info = SourceInfo(path=sp, format="docx", encoding=None, sha256=hashlib.sha256(data).hexdigest())
    budget.check_archive(p, sp)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = docx.Document(sp)
        body = doc.element.body
        prov = Provenance(sp)
        blocks: list[Block] = []
        for el in body.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "p":
                para = Paragraph(el, doc)
                text = _clean(para.text)
                if not text:
                    continue
                level = _heading_level(para)
                blocks.append(Block("heading", text, prov, level=level) if level else Block("text", text, prov))
            elif tag == "tbl":
                grid = _table_grid(Table(el, doc), prov)
                if not grid:
                    continue
                text = "\n".join(" ".join(c.text for c in r if c.text) for r in grid)
                blocks.append(Block("grid", text, prov, grid=grid))
    except Exception:
        raise InputError(sp, "DOCX 文件已损坏或不是 Word 文件", "broken DOCX or not a Word file") from None
    return info, blocks
