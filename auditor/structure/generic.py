"""Generic tables: a ruled grid (PDF/DOCX/XLSX) or a run of tab rows (text) holding figures that no catalogue entry
of lexicons/tables.toml took is still parsed and kept as a table of family "generic" (ids G01, G02 … in document
order) with its printed title, header rows, row keys and columns, so that its own arithmetic can be checked (T01,
T02: nothing says what the table means, so no cross-table or narrative rule uses it).

* a candidate is a run of grid / row blocks outside every recognised region; a run on the next page printing the
  same header again (or no header, as many columns) with no title of its own continues the table before it;
* its title is the nearest short line above it (not a 部门/单位 line, not a page number), its unit the 单位 line;
* header rows are the rows above the first figure or code (``header.header_rows``), meta rows (部门： 单位：) dropped;
  each column is named by its path of header labels (``header.column_paths``) without the unit it prints;
* a row is keyed by its code (功能 or 经济分类, codes printed apart joined) or its name; value columns are the
  columns where a figure (a number with decimals or separators) is printed, code/序号 columns never are; a figure
  under a column without any header label is kept with ``exact=False`` (no check relies on it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .. import rx as re

from ..lexicons import pattern
from ..model import Block, Provenance, Table
from .cells import _CODE_NAME, _add_row, _cell, _skip
from .header import column_paths, header_rows
from .regions import _UNIT, _is_meta, block_text
from .rows import RawRow, positional_rows
from .tokens import Tok, is_econ_code, is_func_code, norm_code, norm_name, squash
from .units import mark_units, split_unit

GENERIC = "generic"
MIN_FIGURE_ROWS = 2   # a table of figures: at least two of its rows print a figure
_META_CELL = re.compile(r"^(?:编制单位|填报单位|部门名称|单位名称|部门（单位）|部门|单位|金额单位)[：:]")
_KEY_HEADER = re.compile(r"编码|代码|序号|行次|栏次|名称|^科目$|^项目$")
_TITLE_STOP = re.compile(r"[。；;]|[：:]$")
_TREE = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]?\d+[)）、.．](?!\d)|其中)")
_DASHES = ("-", "—", "－", "--", "")


@dataclass
class GenericRegion:
    body: list[int]
    printed_title: str
    prov: Provenance
    unit: str = "万元"
    spans: list[tuple[int, int]] = field(default_factory=list)
    header: tuple = ()
    width: int = 0
    closed: bool = False          # the table ends on its page (a line of the same page follows it): nothing unread


def _runs(blocks: list[Block], taken: set[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, b in enumerate(blocks):
        ok = i not in taken and (b.kind == "grid" and b.grid or b.kind == "row" and b.cells)
        if ok and cur and blocks[cur[-1]].prov.path == b.prov.path and cur[-1] == i - 1:
            cur.append(i)
            continue
        if cur:
            runs.append(cur)
        cur = [i] if ok else []
    if cur:
        runs.append(cur)
    return runs


def _title_and_unit(blocks: list[Block], start: int, taken: set[int]) -> tuple[str, Optional[str]]:
    """The nearest short line above a run that can be its printed title, and a unit printed above it."""
    title, unit = "", None
    for k in range(start - 1, max(start - 5, -1), -1):
        b = blocks[k]
        if k in taken or b.kind in ("grid", "row") or b.prov.path != blocks[start].prov.path:
            break
        t = squash(block_text(b))
        u = _UNIT.search(t)
        if u and unit is None:
            unit = u.group(1)
        if not t or _is_meta(t) or _META_CELL.match(t) or t.isdigit() or pattern(r"[-—]?\d+[-—]?").fullmatch(t):
            continue
        if len(t) <= 60 and not _TITLE_STOP.search(t):
            title = block_text(b).strip()
        break
    return title, unit


def _meta_row(rr: RawRow) -> bool:
    texts = [squash(t.text) for t in rr.nonempty()]
    return bool(texts) and any(_META_CELL.match(x) or _UNIT.search(x) for x in texts) \
        and not any(t.kind == "num" for t in rr.toks)


def _header(rows: list[RawRow]) -> list[RawRow]:
    """The header rows of a generic table: the rows above the first that prints a number or a code."""
    out = []
    for rr in header_rows(rows):
        if any(t.kind in ("num", "int") for t in rr.toks):
            break
        out.append(rr)
    return out


def _figure_rows(rows: list[RawRow]) -> int:
    return sum(1 for rr in rows if rr.has_amount())


def find_generic(blocks: list[Block], taken: set[int]) -> list[GenericRegion]:
    out: list[GenericRegion] = []
    for run in _runs(blocks, taken):
        rows = positional_rows(blocks, run)
        if _figure_rows(rows) < MIN_FIGURE_ROWS:
            continue
        title, unit = _title_and_unit(blocks, run[0], taken)
        header = tuple(tuple(squash(t.text) for t in rr.toks) for rr in _header([r for r in rows
                                                                                if not _meta_row(r)]))
        width = max(len(rr.toks) for rr in rows)
        prev = out[-1] if out else None
        first = blocks[run[0]].prov
        if prev is not None and (not title or title == prev.printed_title) and first.page is not None \
                and prev.prov.page is not None \
                and first.path == prev.prov.path and first.page == blocks[prev.body[-1]].prov.page + 1 \
                and (header == prev.header if header else width == prev.width):
            prev.body.extend(run)  # the table continued on the next page
            prev.spans.append((run[0], run[-1] + 1))
            continue
        for rr in rows:
            for t in rr.nonempty():
                u = _UNIT.search(squash(t.text))
                if u and unit is None:
                    unit = u.group(1)
        out.append(GenericRegion(list(run), title, first, unit or "万元", [(run[0], run[-1] + 1)], header, width))
    for g in out:
        g.closed = _closed(blocks, g.body[-1])
    return out


def _closed(blocks: list[Block], last: int) -> bool:
    """A line of the same page and file, not the page number, follows the table's last block (or the file ends)."""
    b = blocks[last]
    for k in range(last + 1, len(blocks)):
        n = blocks[k]
        if n.prov.path != b.prov.path:
            return True
        if n.prov.page != b.prov.page:
            return False
        t = squash(block_text(n))
        if t and not pattern(r"[-—第]?\d+[-—页]?").fullmatch(t):
            return True
    return True


def _key(toks: list[Tok]) -> tuple[Optional[str], Optional[str], int]:
    """(code, name, index of the last key token) of a row; (None, None, -1) when it starts with a figure."""
    ne = [i for i, x in enumerate(toks) if x.kind != "empty"]
    if not ne:
        return None, None, -1
    i0 = ne[0]
    first = toks[i0]
    code = name = None
    last = i0
    if first.kind == "int" and (is_func_code(first.text) or is_econ_code(first.text)) and len(first.text) in (3, 5, 7):
        code = first.text
        for j in ne[1:]:
            if toks[j].kind == "text":
                name, last = toks[j].text, j
                break
            if toks[j].kind == "num":
                break
    elif first.kind == "text":
        m = _CODE_NAME.match(first.text)
        if m and (is_func_code(norm_code(m.group(1))) or is_econ_code(norm_code(m.group(1)))):
            code, name = norm_code(m.group(1)), m.group(2)
        else:
            name = first.text
    else:
        return None, None, -1
    return code, name, last


def generic_table(n: int, g: GenericRegion, blocks: list[Block]) -> Table:
    rows = [rr for rr in mark_units(positional_rows(blocks, g.body)) if not _meta_row(rr)]
    hrows = _header(rows)
    paths = column_paths(hrows)
    data = rows[len(hrows):]
    value_cols = sorted({i for rr in data for i, x in enumerate(rr.toks) if x.kind == "num"}
                        - {i for i, p in paths.items() if any(_KEY_HEADER.search(x) for x in p)})
    names: dict[int, str] = {}
    for i in value_cols:
        label = "".join(split_unit(x)[0] for x in paths.get(i, []))
        name = label or f"列{i + 1}"
        names[i] = f"{name}#{i + 1}" if name in names.values() else name   # two columns printed alike
    title = g.printed_title or "未识别标题的表格" + (f"（第{g.prov.page}页）" if g.prov.page else "")
    t = Table(id=f"G{n:02d}", title=title, printed_title=g.printed_title, prov=g.prov, family=GENERIC,
              row_key="name", columns=[names[i] for i in value_cols], unit=g.unit, complete=g.closed)
    headed = {i for i in value_cols if paths.get(i)}
    kinds = {"code": 0, "econ": 0}
    tree = mixed = False
    first_value = value_cols[0] if value_cols else 0
    for rr in data:
        if any(x.kind == "text" and x.text.strip() not in _DASHES for x in rr.toks[first_value + 1:]):
            mixed = True   # names beside figures (a two-sided table, a column of descriptions): no row is a plain sum
        if _column_numbers(rr):
            continue
        code, name, last = _key(rr.toks)
        vals_at = [i for i in value_cols if i > last and i < len(rr.toks) and rr.toks[i].kind in ("num", "int")]
        if code is None and name is None:
            prev = t.rows[-1] if t.rows else None
            if prev is not None and not prev.cells and vals_at:   # a grid row wrapped: the figures under the name
                _fill(t, prev, rr, vals_at, names, headed)
            continue
        if code is None and (_skip(name) or not vals_at and norm_name(name) not in ("合计", "总计", "小计")):
            continue
        if code:
            kinds["code" if is_func_code(code) else "econ"] += 1
        elif _TREE.match(squash(name)) or norm_name(name) == "小计":
            tree = True    # numbered items (一、 （一） 1.), 其中 or 小计 rows: a total's parts are not every row
        key = norm_code(code) if code else norm_name(name)
        if not key:
            continue
        row = _add_row(t, key, norm_code(code) if code else None, norm_name(name) if name else None, rr.prov, [],
                       True)
        _fill(t, row, rr, vals_at, names, headed)
    if kinds["code"] or kinds["econ"]:
        t.row_key = "code" if kinds["code"] >= kinds["econ"] else "econ"
    elif tree:
        t.row_key = "tree"
    if mixed:
        t.row_key = "mixed"
    t.headers = {names[i]: [split_unit(x)[0] for x in paths.get(i, [])] for i in value_cols}
    return t


def _fill(t: Table, row, rr: RawRow, vals_at: list[int], names: dict[int, str], headed: set[int]) -> None:
    for i in vals_at:
        c = _cell(rr.toks[i], i in headed, t.unit)
        if c is not None:
            row.cells[names[i]] = c
            if c.unit and c.unit != t.unit:
                t.column_units[names[i]] = c.unit


def _column_numbers(rr: RawRow) -> bool:
    """The 栏次 row: 1 2 3 … under the column headers (after a 栏次 / ** / 行次 label)."""
    texts = [x.text for x in rr.nonempty()]
    vals = [x.text for x in rr.nonempty() if x.kind in ("num", "int")]
    return bool(vals) and (any("栏次" in v for v in texts) or vals == [str(k) for k in range(1, len(vals) + 1)])


def generic_tables(blocks: list[Block], taken: set[int], first: int = 1) -> tuple[list[Table], list[tuple[int, int]]]:
    """Generic tables of the blocks no recognised region took, and the block spans they hold."""
    tables, spans = [], []
    for n, g in enumerate(find_generic(blocks, taken), first):
        t = generic_table(n, g, blocks)
        if t.rows and t.columns:
            tables.append(t)
            spans.extend(g.spans)
    return tables, spans
