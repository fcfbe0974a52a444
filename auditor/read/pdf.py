"""Read a PDF into ordered blocks: ruled tables as grids of cells, other text as lines, each with page and bbox.

One pass per page with pdfplumber: ``find_tables`` (lines strategy) once, cells read from the found table, then the
characters outside the table boxes grouped into lines.  Fake-bold doubled characters are deduplicated, CJK text
spaced out for justification ("因 公 出 国") is rejoined, and a header repeated at the top of a table continued on the
next page is dropped (the grids stay separate; the structure stage joins them).  Bad files raise ``InputError``.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import regex as re

from ..errors import InputError
from ..model import Block, GridCell, Provenance, SourceInfo

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}

_CJK = r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’、，。：；（）《》]"
_CJK_SPACE = re.compile(rf"(?<={_CJK}) +(?={_CJK})")
_ALNUM_NL = re.compile(r"(?<=[A-Za-z0-9])\n(?=[A-Za-z0-9])")
_BBox = tuple[float, float, float, float]
_CONTINUED = re.compile(r"^[（(]?续表?[)）]?.{0,20}$|^续上表$|^[-—\s]*(?:第\s*)?\d+\s*(?:页|/\s*\d+)?[-—\s]*$")


def _err_encrypted(p: str) -> InputError:
    return InputError(p, "PDF 已加密，无法读取", "encrypted PDF")


def _err_broken(p: str) -> InputError:
    return InputError(p, "PDF 文件已损坏或不完整", "broken or truncated PDF")


def _is_password_error(e: BaseException) -> bool:
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(e).lower():
            return True
        e = e.__cause__ or e.__context__
    return False


def join_cjk(s: str) -> str:
    """Remove the spaces between two CJK characters (justified or spaced-out Chinese); keep other spaces."""
    return _CJK_SPACE.sub("", s)


def cell_text(s: str | None) -> str:
    """A table cell's text: wrapped lines joined without spaces (Chinese and wrapped numbers alike)."""
    if not s:
        return ""
    s = _ALNUM_NL.sub("", s)
    s = "".join(part.strip() for part in s.split("\n"))
    return join_cjk(s.replace("\u3000", " ").replace("\xa0", " ").strip())


def _r(b) -> _BBox:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2), round(float(b[3]), 2))


def _inside(obj: dict, boxes: list[_BBox]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _grid(table, path: str, n: int) -> list[list[GridCell]]:
    """The table's rows as GridCells; a merged (None) cell is empty text with the row's bbox span."""
    texts = table.extract()
    rows: list[list[GridCell]] = []
    for trow, ttext in zip(table.rows, texts):
        out = []
        for cbox, txt in zip(trow.cells, ttext):
            bbox = _r(cbox) if cbox is not None else None
            out.append(GridCell(cell_text(txt), Provenance(path, page=n, bbox=bbox)))
        rows.append(out)
    return rows


def _group_lines(chars: list[dict]) -> list[list[dict]]:
    """Chars into lines by vertical overlap (Latin digits of another font sit a few points lower than the CJK)."""
    lines: list[tuple[float, float, list[dict]]] = []
    for c in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        top, bottom = c["top"], c["bottom"]
        h = max(bottom - top, 0.1)
        for i in range(len(lines) - 1, max(len(lines) - 3, -1), -1):
            lt, lb, members = lines[i]
            overlap = min(lb, bottom) - max(lt, top)
            if overlap >= 0.5 * min(h, lb - lt):
                members.append(c)
                break
        else:
            lines.append((top, bottom, [c]))
    return [sorted(m, key=lambda c: c["x0"]) for _, _, m in lines]


def _line_text(chars: list[dict]) -> str:
    out: list[str] = []
    prev = None
    for c in chars:
        t = c["text"]
        if prev is not None and not t.isspace():
            gap = c["x0"] - prev["x1"]
            if gap > 0.3 * min(c["size"], prev["size"]) and out and out[-1] != " ":
                out.append(" ")
        out.append(" " if t.isspace() else t)
        prev = c
    text = re.sub(r" {2,}", " ", "".join(out)).strip()
    return join_cjk(text)


def _lines(page, path: str, n: int, boxes: list[_BBox]) -> list[tuple[float, Block]]:
    """Text lines outside the tables, each with its bbox."""
    chars = page.chars
    if boxes:
        chars = [c for c in chars if not _inside(c, boxes)]
    out = []
    for line in _group_lines(chars):
        text = _line_text(line).replace("\u3000", " ").replace("\xa0", " ").strip()
        if not text:
            continue
        bbox = _r((min(c["x0"] for c in line), min(c["top"] for c in line),
                   max(c["x1"] for c in line), max(c["bottom"] for c in line)))
        out.append((bbox[1], Block("text", text, Provenance(path, page=n, bbox=bbox))))
    return out


def _drop_repeated_header(prev: list[list[GridCell]] | None, grid: list[list[GridCell]]) -> list[list[GridCell]]:
    """Drop the leading rows of a continued table that repeat the previous page's header rows."""
    if not prev:
        return grid
    k = 0
    while k < len(grid) and k < len(prev) - 1:
        if [c.text for c in grid[k]] != [c.text for c in prev[k]] or not any(c.text for c in grid[k]):
            break
        k += 1
    return grid[k:] if 0 < k < len(grid) else grid


def _grid_text(grid: list[list[GridCell]]) -> str:
    return "\n".join(" ".join(c.text for c in row if c.text) for row in grid)


def read_pdf(path: str | Path) -> tuple[SourceInfo, list[Block]]:
    import pdfplumber

    p = Path(path)
    sp = str(p)
    data = p.read_bytes()
    info = SourceInfo(path=sp, format="pdf", encoding=None, sha256=hashlib.sha256(data).hexdigest())
    blocks: list[Block] = []
    any_chars = False
    try:
        pdf = pdfplumber.open(p)
    except Exception as e:
        raise (_err_encrypted(sp) if _is_password_error(e) else _err_broken(sp)) from None
    try:
        try:
            pages = pdf.pages
            info.pages = len(pages)
            prev_grid: list[list[GridCell]] | None = None  # the last grid (header reference) of the previous page
            for n, page in enumerate(pages, start=1):
                page_blocks, last_grid, has_chars = _read_page(page, sp, n, prev_grid)
                any_chars = any_chars or has_chars
                blocks.extend(page_blocks)
                prev_grid = last_grid
                page.flush_cache()
        except InputError:
            raise
        except Exception as e:
            raise (_err_encrypted(sp) if _is_password_error(e) else _err_broken(sp)) from None
    finally:
        try:
            pdf.close()
        except Exception:
            pass
    if not any_chars:
        raise InputError(sp, "PDF 没有文字层（扫描件？），暂不支持 OCR", "PDF has no text layer (a scan?); OCR is not supported yet")
    return info, blocks


def _read_page(page, path: str, n: int, prev_grid):
    if not page.chars:
        return [], None, False
    page = page.dedupe_chars()
    tables = [t for t in page.find_tables(TABLE_SETTINGS) if t.rows]
    boxes: list[_BBox] = []
    ref = None
    grids: list[tuple[float, Block]] = []
    for t in sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0])):
        grid = _grid(t, path, n)
        if not any(c.text for row in grid for c in row):
            continue  # a ruled frame with nothing in it (a box around text is still read as text below)
        boxes.append(_r(t.bbox))
        grids.append((t.bbox[1], Block("grid", _grid_text(grid), Provenance(path, page=n, bbox=_r(t.bbox)), grid=grid)))
    lines = _lines(page, path, n, boxes)
    if grids:
        ref = grids[-1][1].grid  # the rows a continuation on the next page may repeat
        top, first = grids[0]
        # a continued table starts the page: nothing above it but a 续表 mark or a page number
        if prev_grid and all(_CONTINUED.match(b.text) for y, b in lines if y < top):
            kept = _drop_repeated_header(prev_grid, first.grid)
            if len(kept) < len(first.grid):
                first.grid = kept
                first.text = _grid_text(kept)
                if len(grids) == 1:
                    ref = prev_grid  # keep comparing with the header of the table's first page
    items = grids + lines
    items.sort(key=lambda it: it[0])
    return [b for _, b in items], ref, True

