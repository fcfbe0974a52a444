"""Read a PDF into ordered blocks: ruled tables as grids of cells, other text as lines, each with page and bbox.

PDFium (pypdfium2, permissive licence) parses each page once: its text page gives the characters and a walk over
its page objects the ruling edges (``pdfium_page``); pdfplumber's "lines" table finder, rewritten on those edges
(``pdf_grid``), turns the edges into tables whose cells take the characters centred in them; the characters
outside the tables are grouped into lines (so are those of a one-row box drawn around words of running text).
Fake-bold doubles are dropped by PDFium's text page itself (a text object drawn again at an offset, a character
drawn twice in a row); CJK text spaced out for justification ("因 公 出 国") is rejoined; a header repeated at the top of a table continued on the next page is dropped (the
grids stay separate; the structure stage joins them).  Every page is read once by PDFium where it can measure
every glyph: fonts embedded, or a CJK font installed for it to substitute (Debian's fonts-noto-cjk; see
``pdfium_page.measures_cjk``); a text object PDFium leaves out because it draws blank glyphs only (Word's spaces
written one by one) is read as a space, as pdfminer reads it.  On a machine without such a font, a page on which
PDFium lost the text of a CJK font neither embedded nor installed takes its characters from pdfminer instead
(``pdf_fallback``), deduplicated as pdfplumber does: the same text, more slowly.  Bad files raise ``InputError``:
encrypted, broken or truncated, no text layer at all (a scan).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .. import rx as re

from ..errors import InputError
from ..model import Block, GridCell, Provenance, SourceInfo
from .pdf_grid import GridTable, fill_texts, find_tables
from .pdf_fallback import MinerChars
from .pdfium_page import Char, PdfOpenError, compiled, derotate, open_document, origin_top, page_chars, page_shapes

_CJK = r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’、，。：；（）《》]"
_CJK_SPACE = re.compile(rf"(?<={_CJK}) +(?={_CJK})")
_ALNUM_NL = re.compile(r"(?<=[A-Za-z0-9])\n(?=[A-Za-z0-9])")
_SPACES = re.compile(r" {2,}")
_BBox = tuple[float, float, float, float]
_SENTENCE_CUT = re.compile(r"^[、，；。：．！？]")
_CONTINUED = re.compile(r"^[（(]?续表?[)）]?.{0,20}$|^续上表$|^[-—\s]*(?:第\s*)?\d+\s*(?:页|/\s*\d+)?[-—\s]*$")


def _err_encrypted(p: str) -> InputError:
    return InputError(p, "PDF 已加密，无法读取", "encrypted PDF")


def _err_broken(p: str) -> InputError:
    return InputError(p, "PDF 文件已损坏或不完整", "broken or truncated PDF")


def join_cjk(s: str) -> str:
    """Remove the spaces between two CJK characters (justified or spaced-out Chinese); keep other spaces."""
    return _CJK_SPACE.sub("", s) if " " in s else s


def cell_text(s: str | None) -> str:
    """A table cell's text: wrapped lines joined without spaces (Chinese and wrapped numbers alike)."""
    if not s:
        return ""
    if "\n" in s:
        s = _ALNUM_NL.sub("", s)
        s = "".join(part.strip() for part in s.split("\n"))
    return join_cjk(s.replace("\u3000", " ").replace("\xa0", " ").strip())


def _r(b) -> _BBox:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2), round(float(b[3]), 2))


def _outside(chars: list[Char], boxes: list[_BBox]) -> list[Char]:
    """The characters whose centre is in none of the boxes."""
    out = []
    for c in chars:
        cx = (c.x0 + c.x1) / 2
        cy = (c.top + c.bottom) / 2
        for b in boxes:
            if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                break
        else:
            out.append(c)
    return out


def _grid(table: GridTable, path: str, n: int) -> list[list[GridCell]]:
    """The table's rows as GridCells; a merged (None) cell is empty text without a box of its own."""
    rounded: dict[float, float] = {}  # a grid has few distinct coordinates: round each once

    def r2(v: float) -> float:
        out = rounded.get(v)
        if out is None:
            out = rounded[v] = round(float(v), 2)
        return out

    rows: list[list[GridCell]] = []
    for trow, ttext in zip(table.rows, table.texts):
        out = []
        for cbox, txt in zip(trow, ttext):
            bbox = (r2(cbox[0]), r2(cbox[1]), r2(cbox[2]), r2(cbox[3])) if cbox is not None else None
            out.append(GridCell(cell_text(txt), Provenance(path, None, n, bbox)))
        rows.append(out)
    return rows


def _group_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars into lines by vertical overlap with one of the last two lines (half the smaller height)."""
    rounded: dict[float, float] = {}  # the characters of a line share their top: round each top once

    def line_key(c: Char) -> tuple[float, float]:
        r = rounded.get(c.top)
        if r is None:
            r = rounded[c.top] = round(c.top, 1)
        return (r, c.x0)

    lines: list[tuple[float, float, list[Char]]] = []
    for c in sorted(chars, key=line_key):
        top, bottom = c.top, c.bottom
        h = bottom - top if bottom - top > 0.1 else 0.1
        for i in range(len(lines) - 1, max(len(lines) - 3, -1), -1):
            lt, lb, members = lines[i]
            overlap = (lb if lb < bottom else bottom) - (lt if lt > top else top)
            if overlap >= 0.5 * (h if h < lb - lt else lb - lt):
                members.append(c)
                break
        else:
            lines.append((top, bottom, [c]))
    return [sorted(m, key=lambda c: c.x0) for _, _, m in lines]


def _extent(chars: list[Char]) -> _BBox:
    """The characters' box, unrounded (the compiled helper's ``text_lines`` gives the same)."""
    x0, top, x1, bottom = chars[0].x0, chars[0].top, chars[0].x1, chars[0].bottom
    for c in chars:
        if c.x0 < x0:
            x0 = c.x0
        if c.top < top:
            top = c.top
        if c.x1 > x1:
            x1 = c.x1
        if c.bottom > bottom:
            bottom = c.bottom
    return x0, top, x1, bottom


def _finish_line(text: str) -> str:
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return join_cjk(text.strip())


def _line_raw(chars: list[Char]) -> str:
    """A line's characters joined, a space where the gap to the previous one is wider than 0.3 of the smaller
    size, every kind of space as " " (the compiled helper's ``text_lines`` gives the same)."""
    out: list[str] = []
    prev = None
    for c in chars:
        t = c.text
        if prev is not None and not t.isspace():
            gap = c.x0 - prev.x1
            if gap > 0.3 * min(c.size, prev.size) and out and out[-1] != " ":
                out.append(" ")
        out.append(" " if t.isspace() else t)
        prev = c
    return "".join(out)


def _lines(chars: list[Char], path: str, n: int, boxes: list[_BBox]) -> list[tuple[float, Block]]:
    """Text lines outside the tables, each with its bbox."""
    out = []
    fast = compiled()
    if fast is not None:  # the same in C: each line with its raw text and its span
        lines = fast.text_lines(chars if type(chars) is list else list(chars), boxes, _group_lines)
    else:
        lines = [(line, _line_raw(line), _extent(line))
                 for line in _group_lines(_outside(chars, boxes) if boxes else chars)]
    for _, raw, extent in lines:
        text = _finish_line(raw).replace("\u3000", " ").replace("\xa0", " ").strip()
        if not text:
            continue
        bbox = _r(extent)
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
    """The PDF's blocks in reading order, page by page (tables and lines sorted by their tops)."""
    p = Path(path)
    sp = str(p)
    data = p.read_bytes()
    info = SourceInfo(path=sp, format="pdf", encoding=None, sha256=hashlib.sha256(data).hexdigest())
    blocks: list[Block] = []
    any_chars = False
    try:
        pdf = open_document(data)
    except PdfOpenError as e:
        raise (_err_encrypted(sp) if e.password else _err_broken(sp)) from None
    miner = MinerChars(data)
    try:
        try:
            info.pages = len(pdf)
            if not info.pages:
                raise _err_broken(sp)
            prev_grid: list[list[GridCell]] | None = None  # the last grid (header reference) of the previous page
            for n in range(1, info.pages + 1):
                page_blocks, last_grid, has_chars = _read_page(pdf, miner, sp, n, prev_grid)
                any_chars = any_chars or has_chars
                blocks.extend(page_blocks)
                prev_grid = last_grid
        except InputError:
            raise
        except Exception:
            raise _err_broken(sp) from None
    finally:
        miner.close()
        pdf.close()
    if not any_chars:
        raise InputError(sp, "PDF 没有文字层（扫描件？），暂不支持 OCR", "PDF has no text layer (a scan?); OCR is not supported yet")
    return info, blocks


def _page_content(pdf, miner: MinerChars, n: int):
    """Page ``n``'s characters and ruling edges (characters from pdfminer when PDFium's text page lost some)."""
    page = pdf[n - 1]
    try:
        top0 = origin_top(page)
        rotation = page.get_rotation()
        box = page.get_mediabox()
        textpage = page.get_textpage()
        try:
            text = page_chars(textpage, top0)
        finally:
            textpage.close()
        shapes = page_shapes(page, top0, text.objects)
    finally:
        page.close()
    mined = miner.page_chars(n, top0) if shapes.dropped_text else None
    # PDFium's text page has already dropped fake-bold doubles (a text object drawn again at an offset, or a
    # character drawn twice in a row); it leaves out the text objects that draw blank glyphs only (spaces)
    chars = mined or (text.chars + shapes.blanks if shapes.blanks else text.chars)
    return derotate(chars, shapes.edges, rotation, box[2], box[3] - box[1])


def _read_page(pdf, miner: MinerChars, path: str, n: int, prev_grid):
    chars, edges = _page_content(pdf, miner, n)
    if not chars:
        return [], None, False
    boxes: list[_BBox] = []
    ref = None
    grids: list[tuple[float, Block]] = []
    tables = []
    for t in sorted((t for t in find_tables(edges) if t.rows), key=lambda t: (t.bbox[1], t.bbox[0])):
        fill_texts(t, chars)
        grid = _grid(t, path, n)
        if any(c.text for row in grid for c in row):
            tables.append((t, grid))  # a ruled frame with nothing in it is skipped (text in it is read below)
    for t, grid in _drop_boxed_words(tables, chars):
        boxes.append(_r(t.bbox))
        grids.append((t.bbox[1], Block("grid", _grid_text(grid), Provenance(path, page=n, bbox=_r(t.bbox)), grid=grid)))
    lines = _lines(chars, path, n, boxes)
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


def _drop_boxed_words(tables: list, chars: list[Char]) -> list:
    """The tables less the boxes drawn around words of running text (a word processor's character borders or
    shading): a one-row "grid" one text line high that shares its line with text beside it, or that reads as
    running text (no figure, or a cell cut before "、") with running text right above or below it; in neither
    case touching a table of more than one row (so a real table's single row, or its header strip, stays a
    table).  Its characters are then read as text with the rest of their line."""
    multi = [_r(t.bbox) for t, g in tables if len(g) > 1]
    out = []
    for t, grid in tables:
        if len(grid) == 1 and _boxed_words(_r(t.bbox), grid, chars, multi):
            continue
        out.append((t, grid))
    return out


def _in(cx: float, cy: float, boxes: list[_BBox]) -> bool:
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _boxed_words(box: _BBox, grid: list[list[GridCell]], chars: list[Char], multi: list[_BBox]) -> bool:
    x0, top, x1, bottom = box
    inside = [c for c in chars if x0 <= (c.x0 + c.x1) / 2 <= x1 and top <= (c.top + c.bottom) / 2 <= bottom]
    if not inside:
        return False
    h = max(c.bottom - c.top for c in inside)
    if bottom - top > 2.5 * h:
        return False  # more than one line of text in the box
    if any(b[1] - h <= bottom and top <= b[3] + h and b[0] <= x1 and x0 <= b[2] for b in multi):
        return False  # touches a real table: its caption, header strip or a row drawn apart
    beside = above_below = False
    for c in chars:
        if c.text.isspace():
            continue
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        if x0 <= cx <= x1 and top <= cy <= bottom or _in(cx, cy, multi):
            continue
        if top <= cy <= bottom:
            beside = True
        elif x0 <= cx <= x1 and top - 1.5 * h <= cy <= bottom + 1.5 * h:
            above_below = True
    if beside:
        return True
    # running text, not a table's row: no figure at all, or a cell opening on sentence punctuation (a word box
    # cut before "、" or "，", which no table cell starts with)
    cells = [cell.text for row in grid for cell in row]
    return above_below and (not any(ch.isdigit() for t in cells for ch in t) or any(_SENTENCE_CUT.match(t) for t in cells))
