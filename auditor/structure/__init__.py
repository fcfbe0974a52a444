"""Stage 2, structure: blocks -> Document with sections, recognised standard tables and the document's identity.

regions.py  find each standard table by title/label/content (lexicons/tables.toml)
rows.py     region blocks -> logical rows (tab rows, PDF/DOCX grids, flattened page text)
canon.py    logical rows -> canonical Tables keyed by code / economic code / name
sangong_table.py  the 三公 table's rows (预算数 / 决算数, and the units' rows under a 合计)
sections.py the section tree and which part is the narrative
meta.py     department, year, kind (决算/预算)
coverage.py how many printed figures of the table regions landed in a parsed cell
"""
from __future__ import annotations

from ..model import Block, Document, SourceInfo
from .canon import build_tables
from .classify import place_rows
from .generic import generic_tables
from .lift import lift_grid_titles
from .meta import identify
from .regions import Region, find_regions
from .rows import RawRow, flat_rows, is_flat, positional_rows
from .sections import find_sections, narrative_blocks
from .units import mark_units


def region_rows(reg: Region, blocks: list[Block]) -> list[RawRow]:
    if is_flat(blocks, reg.body):
        mode = "two" if reg.tdef.sides else reg.tdef.row_key
        has_line_no = any("行次" in blocks[j].text.replace(" ", "") for j in reg.body)
        return flat_rows(blocks, reg.body, mode, has_line_no)
    return mark_units(positional_rows(blocks, reg.body))


def build_document(info: SourceInfo, blocks: list[Block]) -> Document:
    blocks = lift_grid_titles(blocks)
    doc = Document(source=info, blocks=blocks)
    regions = find_regions(blocks)
    for reg in regions:
        for t in build_tables(reg, region_rows(reg, blocks)):
            if reg.suffix:
                base, dot, side = t.id.partition(".")
                t.id = base + reg.suffix + dot + side
            place_rows(t)
            doc.tables.append(t)
    taken = {i for r in regions for i in (*range(r.start, r.end), *r.body)}
    generic, spans = generic_tables(blocks, taken)
    doc.tables.extend(generic)
    doc.table_regions = [(r.start, r.end) for r in regions]
    doc.sections = find_sections(blocks, [(r.start + 1, r.end) for r in regions])
    doc.narrative = narrative_blocks(blocks, doc.sections, doc.table_regions + spans)
    doc.table_regions += spans
    identify(doc)
    if doc.tables:
        doc.unit = doc.tables[0].unit
    return doc


__all__ = ["build_document", "find_regions", "region_rows"]
