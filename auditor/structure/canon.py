"""Logical rows of a recognised region -> canonical Tables (rows keyed by code / economic code / name).

One function per row-key kind of lexicons/tables.toml: code, econ, name (two-sided), group (三公), label.
A value placed by position in a flattened row whose count of figures does not match the columns is marked
``exact=False`` on its Cell: the figure is real, its column is a guess, and checks do not rely on it.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from .. import rx as re

from ..lexicons import TableDef, pattern
from ..model import Table
from .cells import TOTAL_COLUMNS, _CODE_NAME, _add_row, _new_table, _skip, by_header, column_numbers, first_exact
from .header import grouped_parts, header_rows, map_columns, unit_keyed, usable, value_labels
from .label import label_table
from .procurement import procurement_table
from .regions import Region
from .rows import RawRow, join_tall_cells
from .sangong_table import group_table
from .tokens import Tok, is_econ_code, is_func_code, norm_code, norm_name, squash


# ---------------------------------------------------------------- code tables (02, 03, 05, 07, 08, 预算03/05/10/11)

def _single_figure(rows: list[RawRow], tdef: TableDef, columns: list[str]) -> bool:
    """A ruled table printing one figure per row whose header names no column but the first (江苏 "科目编码 科目名称
    金额"): each figure is the row's 合计, wherever the ruling put its cell."""
    if not rows or not all(r.positional for r in rows):
        return False
    named, _ = map_columns(rows, tdef, columns)
    if any(c != columns[0] for c in named.values()):
        return False
    return all(sum(x.kind == "num" for x in r.toks) <= 1 for r in rows) and any(r.has_amount() for r in rows)


def code_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    rows = join_tall_cells(rows)
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    single = _single_figure(rows, reg.tdef, t.columns)
    ncols = len(t.columns)
    starts = Counter()
    parsed = []
    # a header line of column labels (合计 | 基本支出 | 项目支出): its 合计 names a column, it is not the 合计 row
    header = {id(rr) for rr in header_rows(rows) if not any(t.kind in ("num", "int") for t in rr.toks)
              and sum(1 for t in rr.toks if t.kind == "text") >= 2}
    for rr in rows:
        if id(rr) in header:
            continue
        toks = rr.toks
        ne = [i for i, x in enumerate(toks) if x.kind != "empty"]
        if not ne:
            continue
        i0 = ne[0]
        first = toks[i0]
        code = name = unit_code = None
        name_i = i0
        if first.kind == "int" and is_func_code(first.text) and len(first.text) in (3, 5, 7):
            code = first.text
            j = i0 + 1
            while j < len(toks) and toks[j].kind == "int" and len(toks[j].text) == 2 and len(code) < 7:
                code += toks[j].text  # 类 | 款 | 项 printed in separate cells
                j += 1
            name_i = j - 1
            while rr.positional and j < len(toks) and toks[j].kind == "empty":
                j += 1  # a ruled grid may print spacer cells between the code and the name
            if j < len(toks) and toks[j].kind == "text":
                name, name_i = toks[j].text, j
        elif first.kind == "int" and i0 + 1 < len(toks) and toks[i0 + 1].kind == "text":
            name, name_i = toks[i0 + 1].text, i0 + 1  # a unit code (单位代码 509) and the unit's name
            unit_code = first.text
        elif first.kind == "text":
            m = _CODE_NAME.match(first.text)
            if m and is_func_code(norm_code(m.group(1))):
                code, name = norm_code(m.group(1)), m.group(2)
            else:
                name = first.text
        else:
            continue
        if not rr.positional and name is not None:
            # a name wrapped over several lines of flattened text: join the text tokens that follow it
            k = name_i + 1
            while k < len(toks) and toks[k].kind == "text":
                name = (name or "") + toks[k].text
                name_i = k
                k += 1
        if code is None and (name is None or _skip(name)):
            continue
        if code is None and column_numbers(rr) and (sum(x.kind == "int" for x in toks) >= 2
                                                     or not pattern(r"[\p{Han}\w]").search(name or "")):
            continue  # the 栏次 row ("** 1 2 3", "** 1") under the header: column numbers, no figures
        if code is None and not any(x.kind in ("num", "int") for x in toks[name_i + 1:]) \
                and (norm_name(name) not in ("合计", "总计") or any(x.kind == "text" for x in toks[name_i + 1:])):
            continue  # no figures: a wrapped name, or a header row (合计 | 基本支出 | 项目支出) — not the 合计 row
        if rr.positional and code:
            starts[name_i + 1] += 1
        parsed.append((rr, code, name, name_i, unit_code))
    vstart = starts.most_common(1)[0][0] if starts else _first_figure(parsed)
    bycol, _ = map_columns(rows, reg.tdef, t.columns)
    parts = grouped_parts(rows, bycol) if bycol else {}
    if parts and not usable(bycol, [p[0] for p in parsed], vstart) \
            and usable({**bycol, **parts}, [p[0] for p in parsed], vstart):
        bycol = {**bycol, **parts}  # a two-level header: its unnamed sub-columns kept under their printed path
        t.columns = t.columns + [parts[i] for i in sorted(parts)]
    if not usable(bycol, [p[0] for p in parsed], vstart):
        bycol = {}
    if _one_figure_each(rows, [p[0] for p in parsed]):
        for rr, code, name, name_i, unit_code in parsed:
            vals = [x for x in rr.toks[name_i + 1:] if x.kind in ("num", "int")]
            row = _add_row(t, norm_code(code) if code else norm_name(name), norm_code(code) if code else None,
                           norm_name(name) if name else None, rr.prov, vals, True)
            if unit_code:
                row.other_codes.append(unit_code)
        t.columns = t.columns[:1]
        return [t]
    width = max((len(p[0].toks) - max(vstart, p[3] + 1) for p in parsed if p[0].positional), default=0)
    # printed order taken as the canonical order: trusted when as many value columns are printed as the table has,
    # or one (the total); otherwise the column of each figure is a guess (exact=False, checks leave it)
    trusted = width in (ncols, 1)
    for rr, code, name, name_i, unit_code in parsed:
        if single:
            vals = [x for x in rr.toks[name_i + 1:] if x.kind == "num"]
            exact = True
        elif rr.positional and bycol:
            vals = by_header(rr.toks, bycol, t.columns, name_i)
            exact = True
        elif rr.positional:
            vals = rr.toks[max(vstart, name_i + 1):]
            exact = trusted
        else:
            vals = [x for x in rr.toks[name_i + 1:] if x.kind in ("num", "int")]
            exact = len(vals) == ncols or first_exact(vals, t.columns)
        key = norm_code(code) if code else norm_name(name)
        row = _add_row(t, key, norm_code(code) if code else None, norm_name(name) if name else None, rr.prov, vals,
                       exact)
        if unit_code:
            row.other_codes.append(unit_code)
    if unit_keyed(rows) and not any(p[1] for p in parsed):
        t.rows_by = "unit"  # the header names the units and no row has a 科目 code: the rows are units
    if parsed and all(p[0].positional for p in parsed):
        printed = {t.columns[0]} if single else set(bycol.values()) if bycol else set(t.columns[:width])
        t.columns = [c for c in t.columns if c in printed or any(c in r.cells for r in t.rows)]
    return [t]


def _one_figure_each(rows: list[RawRow], body: list[RawRow]) -> bool:
    """A ruled table each of whose rows prints at most one figure, under a header naming one value column (or under
    no header, a table continued from the page before, of three rows or more): that figure is the row's total (the
    first canonical column), whichever cell of its row's ruling it sits in (rows of a table with parts print the
    total and a part)."""
    n = value_labels(rows)
    return bool(body) and (n == 1 or n is None and len(body) >= 3) and all(rr.positional for rr in body) \
        and all(sum(1 for x in rr.toks if x.kind == "num") <= 1 for rr in body)


def _first_figure(parsed) -> int:
    """The first value column of a positional table whose rows carry no code (keyed by unit name: 单位名称 | 合计 |
    …): the leftmost column where a row's first figure after its name stands; 2 (code | name | values) when none."""
    firsts = []
    for rr, _code, _name, name_i, _unit in parsed:
        i = next((k for k in range(name_i + 1, len(rr.toks)) if rr.toks[k].kind != "empty"), None)
        if rr.positional and i is not None and rr.toks[i].kind in ("num", "int"):
            firsts.append(i)
    return min(firsts) if firsts else 2


# ---------------------------------------------------------------- economic-code tables (06, 预算06/07/08/13)

_BRACKET_CODE = re.compile(r"^[\[【［]\s*(\d{3}(?:\d{2})?)\s*[\]】］]\s*(\S.*)$")


def _split_bracket_codes(toks: list[Tok]) -> list[Tok]:
    """"[30101]基本工资" (Guangdong's 经济科目 cells) -> the code token and the name token."""
    out = []
    for tok in toks:
        m = _BRACKET_CODE.match(tok.text) if tok.kind == "text" else None
        if m and is_econ_code(m.group(1)):
            out += [Tok(m.group(1), "int", tok.prov), Tok(m.group(2), "text", tok.prov)]
        else:
            out.append(tok)
    return out


def econ_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    rows = join_tall_cells(rows)
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    one = _one_figure_each(rows, [rr for rr in rows if any(x.kind == "num" for x in rr.toks)])
    if one:
        t.columns = t.columns[:1]  # each row's one figure is its total, blank spacer cells are no columns
    ncols = len(t.columns)
    if _single_figure(rows, reg.tdef, t.columns):
        # one figure per row: the blank cells of the ruling before it are no value columns
        rows = [RawRow([x for x in r.toks if x.kind != "empty"], True, r.prov, r.lines) for r in rows]
        t.columns = t.columns[:1]
        ncols = 1
    groups: list[dict] = []
    g: Optional[dict] = None
    for rr in rows:
        if rr.positional:
            g = None  # a ruled row starts afresh (its last group's value cell may have been blank and trimmed)
        for tok in _split_bracket_codes(rr.toks):
            if tok.kind == "empty":
                if rr.positional and not one and g and g["code"] and g["name"] and len(g["vals"]) < ncols:
                    g["vals"].append(tok)
                continue
            if tok.kind == "int" and is_econ_code(tok.text) and len(tok.text) in (3, 5):
                if g and g["code"] and g["name"] and not g["vals"] and not g["code2"] \
                        and tok.text[0] == "5" and g["code"][0] == "3":
                    g["code2"] = tok.text
                    continue
                g = {"code": tok.text, "code2": None, "name": "", "vals": [], "prov": tok.prov, "pos": rr.positional}
                groups.append(g)
            elif tok.kind == "text":
                if _skip(tok.text) or tok.text in ("人员经费", "公用经费", "决算数", "经济分类科目编码", "合计数"):
                    if g is None or g["vals"] or not g["code"]:
                        continue
                if g is None or g["vals"] or (not g["code"] and g["name"]):
                    g = {"code": None, "code2": None, "name": tok.text, "vals": [], "prov": tok.prov,
                         "pos": rr.positional}
                    groups.append(g)
                elif g["code2"] is None:
                    g["name"] += tok.text
            else:
                if g is not None and len(g["vals"]) < ncols:
                    g["vals"].append(tok)
                elif g is not None:
                    g["over"] = True  # more figures than columns: 合计 | 当年预算 (小计 人员 公用) | 上年结转 (…)
    for g in groups:
        if not g["code"] and (not g["name"] or not g["vals"]):
            continue
        key = g["code"] + (f"/{g['code2']}" if g["code2"] else "") if g["code"] else norm_name(g["name"])
        over = g.get("over", False)
        vals, exact = g["vals"], not over and (g["pos"] or len([v for v in g["vals"] if v.kind != "empty"]) == ncols)
        if not exact and not over:
            vals, exact = _by_class(vals, g["code"], reg.tdef, t.columns)
        row = _add_row(t, key, g["code"], norm_name(g["name"]) or None, g["prov"], vals, exact)
        lead = row.cells.get(t.columns[0])
        if over and lead is not None and lead.value is not None and g["vals"][0].kind != "empty":
            lead.exact = True  # the first figure stands under the first column (合计) in every printed layout
    return [t]


def _by_class(vals: list[Tok], code: Optional[str], tdef: TableDef, columns: list[str]):
    """A flattened economic-code row printing its total and one part (合计 27.39, 人员经费 27.39): the part's column
    is the one its code's class belongs to (lexicons/tables.toml class_columns: 人员经费 = 301 + 303, 公用经费 = 302,
    307, 310, 399 …). Otherwise only the total is placed (first_exact)."""
    figs = [v for v in vals if v.kind != "empty"]
    col = next((c for c, classes in tdef.class_columns if code and code[:3] in classes), None)
    if len(figs) == 2 and col in columns and columns[0] in TOTAL_COLUMNS:
        placed: list[Optional[Tok]] = [None] * len(columns)
        placed[0], placed[columns.index(col)] = figs
        return placed, True
    return vals, first_exact(vals, columns)


# ---------------------------------------------------------------- two-sided tables (01, 04, 预算01/04)

_INCOME_WORDS = re.compile(r"收入|拨款|结转|上年|财政专户")
_ITEM = re.compile(r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def _header_split(rows: list[RawRow]) -> tuple[int, bool]:
    has_line_no = False
    w = None
    for rr in rows:
        texts = [squash(x.text) for x in rr.toks]
        if any("行次" in x for x in texts):
            has_line_no = True
        items = [i for i, x in enumerate(texts) if x in ("项目", "项")]
        if rr.positional and len(items) >= 2 and w is None:
            w = items[1]
    if w is None:
        w = 3 if has_line_no else 2
    return w, has_line_no


def _side(toks: list[Tok], has_line_no: bool, positional: bool):
    name, line_no, vals = None, None, []
    rest = list(toks)
    if rest and rest[0].kind == "text":
        name = rest.pop(0).text
        while not positional and rest and rest[0].kind == "text":
            name += rest.pop(0).text
    elif positional and rest and rest[0].kind == "empty":
        rest.pop(0)
    if has_line_no and rest and rest[0].kind in ("int", "empty"):
        tok = rest.pop(0)
        line_no = tok.text or None
    vals = rest
    return name, line_no, vals


def _flat_split(toks: list[Tok], has_line_no: bool) -> tuple[list[Tok], list[Tok]]:
    i = 0
    if has_line_no:
        while i < len(toks) and toks[i].kind == "text":
            i += 1
        if i < len(toks) and toks[i].kind == "int":
            i += 1
            if i < len(toks) and toks[i].kind == "num":
                i += 1
        return toks[:i], toks[i:]
    segs: list[list[Tok]] = []
    for x in toks:
        if x.kind == "text" and (not segs or segs[-1][-1].kind != "text" or _ITEM.match(x.text)):
            # a numbered item (（八）… / 二、…) after the other side's name opens the expenditure side
            segs.append([x])
        elif segs:
            segs[-1].append(x)
        else:
            segs.append([x])
    if len(segs) >= 2:
        return segs[0], [x for s in segs[1:] for x in s]
    if segs and _INCOME_WORDS.search(segs[0][0].text) and "支出" not in segs[0][0].text:
        return segs[0], []
    return [], segs[0] if segs else []


def two_sided_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    d = reg.tdef
    sides = {s.name: _new_table(reg, s.id, s.columns) for s in d.sides}
    w, has_line_no = _header_split(rows)
    parents: dict[str, Optional[str]] = {"收入": None, "支出": None}
    for rr in rows:
        if rr.positional:
            left, right = rr.toks[:w], rr.toks[w:]
        else:
            left, right = _flat_split(rr.toks, has_line_no)
        for side_name, part in (("收入", left), ("支出", right)):
            if not part:
                continue
            name, line_no, vals = _side(part, has_line_no, rr.positional)
            t = sides[side_name]
            if name is None and line_no and not any(v.kind != "empty" for v in vals):
                _add_row(t, f"行次{line_no}", None, None, part[0].prov, [], True, line_no=line_no)
                continue  # a printed blank line of the table
            if name is None or _skip(name):
                continue
            key = norm_name(name)
            if not key:
                continue
            if "结转" in key or "结余" in key:
                parents[side_name] = key
            elif t.row(key) is not None and parents[side_name]:
                key = f"{parents[side_name]}.{key}"
            numeric = [v for v in vals if v.kind in ("num", "int", "empty")]
            exact = rr.positional or len([v for v in numeric if v.kind != "empty"]) in (0, len(t.columns)) \
                or first_exact(numeric, t.columns)
            _add_row(t, key, None, key, part[0].prov, numeric, exact, line_no=line_no)
    return list(sides.values())


BUILDERS = {"code": code_table, "econ": econ_table, "group": group_table, "label": label_table}


def build_tables(reg: Region, rows: list[RawRow]) -> list[Table]:
    d: TableDef = reg.tdef
    if d.sides:
        return two_sided_table(reg, rows)
    if d.type == "budget.procurement":
        return procurement_table(reg, rows)
    return BUILDERS.get(d.row_key, label_table)(reg, rows)
