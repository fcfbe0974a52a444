"""Logical rows of a recognised region -> canonical Tables (rows keyed by code / economic code / name).

One function per row-key kind of lexicons/tables.toml: code, econ, name (two-sided), group (三公), label.
A value placed by position in a flattened row whose count of figures does not match the columns is marked
``exact=False`` on its Cell: the figure is real, its column is a guess, and checks do not rely on it.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

import regex as re

from ..lexicons import TableDef
from ..model import Cell, Row, Table
from .regions import Region
from .rows import RawRow
from .tokens import Tok, is_econ_code, is_func_code, norm_code, norm_name, parse_number, squash

_SKIP_NAMES = {"栏次", "项目", "项目名称", "科目名称", "收入", "支出", "功能分类科目编码", "科目编码", "行次", "金额"}
_CODE_NAME = re.compile(r"^(\d{3}(?:\s?\d{2}){0,2})\s*(\D.*)$")


def _cell(tok: Optional[Tok], exact: bool = True) -> Optional[Cell]:
    if tok is None or tok.kind == "empty":
        return None
    v = parse_number(tok.text)
    return Cell(v, tok.text, tok.prov, exact)


def _new_table(reg: Region, tid: str, columns, family: Optional[str] = None) -> Table:
    d = reg.tdef
    t = Table(id=tid, title=d.title, printed_title=reg.printed_title, prov=reg.prov, family=family or d.family,
              row_key=d.row_key, columns=list(columns), unit=reg.unit, label=reg.label,
              notes=[n for n, _ in reg.notes], no_data_note=reg.no_data)
    return t


def _add_row(t: Table, key: str, code, name, prov, values: list[Optional[Tok]], exact: bool, line_no=None) -> Row:
    base, n = key, 2
    while t.row(key) is not None:
        key = f"{base}#{n}"
        n += 1
    r = Row(key=key, code=code, name=name, prov=prov, line_no=line_no)
    for i, tok in enumerate(values):
        if i >= len(t.columns):
            t.columns.append(f"列{i + 1}")
        c = _cell(tok, exact)
        if c is not None:
            r.cells[t.columns[i]] = c
    t.rows.append(r)
    return r


def _skip(name: str) -> bool:
    n = squash(name)
    return n in _SKIP_NAMES or "栏次" in n or n.startswith(("功能分类", "项目行次", "收入支出项目", "收入支出"))


# ---------------------------------------------------------------- code tables (02, 03, 05, 07, 08, 预算03/05/10/11)

def code_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    ncols = len(t.columns)
    starts = Counter()
    parsed = []
    for rr in rows:
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
            k = j if rr.positional else j
            if k < len(toks) and toks[k].kind == "text":
                name, name_i = toks[k].text, k
        elif first.kind == "int" and i0 + 1 < len(toks) and toks[i0 + 1].kind == "text":
            name, name_i = toks[i0 + 1].text, i0 + 1  # a unit code (单位代码 509) and the unit's name
            unit_code = first.text
            k = name_i + 1
            while not rr.positional and k < len(toks) and toks[k].kind == "text":
                name += toks[k].text
                name_i = k
                k += 1
        elif first.kind == "text":
            m = _CODE_NAME.match(first.text)
            if m and is_func_code(norm_code(m.group(1))):
                code, name = norm_code(m.group(1)), m.group(2)
            else:
                name = first.text
                # wrapped names in flat rows: join consecutive text tokens
                k = i0 + 1
                while not rr.positional and k < len(toks) and toks[k].kind == "text":
                    name += toks[k].text
                    name_i = k
                    k += 1
        else:
            continue
        if not rr.positional and code:
            k = name_i + 1
            while k < len(toks) and toks[k].kind == "text":
                name = (name or "") + toks[k].text
                name_i = k
                k += 1
        if code is None and (name is None or _skip(name)):
            continue
        if code is None and not any(x.kind in ("num", "int") for x in toks[name_i + 1:]) \
                and norm_name(name) not in ("合计", "总计"):
            continue
        if rr.positional and code:
            starts[name_i + 1] += 1
        parsed.append((rr, code, name, name_i, unit_code))
    vstart = starts.most_common(1)[0][0] if starts else 2
    for rr, code, name, name_i, unit_code in parsed:
        if rr.positional:
            vals = rr.toks[max(vstart, name_i + 1):]
            exact = True
        else:
            vals = [x for x in rr.toks[name_i + 1:] if x.kind in ("num", "int")]
            exact = len(vals) == ncols
        key = norm_code(code) if code else norm_name(name)
        row = _add_row(t, key, norm_code(code) if code else None, norm_name(name) if name else None, rr.prov, vals,
                       exact)
        if unit_code:
            row.other_codes.append(unit_code)
    return [t]


# ---------------------------------------------------------------- economic-code tables (06, 预算06/07/08/13)

def econ_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    ncols = len(t.columns)
    groups: list[dict] = []
    g: Optional[dict] = None
    for rr in rows:
        for tok in rr.toks:
            if tok.kind == "empty":
                if rr.positional and g and g["code"] and g["name"] and len(g["vals"]) < ncols:
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
    for g in groups:
        if not g["code"] and (not g["name"] or not g["vals"]):
            continue
        key = g["code"] + (f"/{g['code2']}" if g["code2"] else "") if g["code"] else norm_name(g["name"])
        exact = g["pos"] or len([v for v in g["vals"] if v.kind != "empty"]) == ncols
        _add_row(t, key, g["code"], norm_name(g["name"]) or None, g["prov"], g["vals"], exact)
    return [t]


# ---------------------------------------------------------------- two-sided tables (01, 04, 预算01/04)

_INCOME_WORDS = re.compile(r"收入|拨款|结转|上年|财政专户")


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
        if x.kind == "text" and (not segs or segs[-1][-1].kind != "text"):
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
            exact = rr.positional or len([v for v in numeric if v.kind != "empty"]) in (0, len(t.columns))
            _add_row(t, key, None, key, part[0].prov, numeric, exact, line_no=line_no)
    return list(sides.values())


# ---------------------------------------------------------------- 三公 table (09, 预算09)

def group_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    n = len(t.columns)
    groups = ["预算数", "决算数"] if reg.tdef.family == "决算" else ["预算数"]
    for rr in rows:
        vals = [x for x in rr.toks if x.kind in ("num", "int", "empty")]
        if not any(x.kind in ("num", "int") for x in vals):
            continue
        ints = [x.text for x in vals if x.kind != "empty"]
        if all(x.kind == "int" for x in vals if x.kind != "empty") and ints == [str(i) for i in range(1, len(ints) + 1)]:
            continue  # the 栏次 row 1 2 3 ...
        if rr.toks and rr.toks[0].kind == "text" and _skip(rr.toks[0].text):
            continue
        expected = n * len(groups)
        nonempty = [x for x in vals if x.kind != "empty"]
        exact = rr.positional or len(nonempty) == expected
        seq = vals if rr.positional else nonempty
        for gi, gname in enumerate(groups):
            part = seq[gi * n:(gi + 1) * n]
            if part or gi == 0:
                _add_row(t, gname, None, gname, rr.prov, part, exact)
        break
    return [t]


# ---------------------------------------------------------------- labelled rows with a printed header (附件, 预算12/14)

def label_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    known = [(c, squash(c)) for c in reg.tdef.columns]
    header: dict[int, str] = {}
    key_i: Optional[int] = None
    for rr in rows:
        texts = [squash(x.text) for x in rr.toks]
        matched = {i: c for i, s in enumerate(texts) for c, k in known if s and (s == k or s.startswith(k))}
        if len(matched) >= 2 and not rr.has_amount():
            names = [i for i, s in enumerate(texts) if s in _KEY_HEADERS]
            key_i = names[0] if names else max(0, min(matched) - 1)
            header = {i: matched.get(i, s) for i, s in enumerate(texts) if s and i != key_i}
            for col in header.values():
                if col not in t.columns:
                    t.columns.append(col)
            continue
        nums = [i for i, x in enumerate(rr.toks) if x.kind in ("num", "int") or _is_value(x.text)]
        if not nums:
            continue
        if rr.positional and header and key_i is not None and key_i < len(rr.toks) \
                and rr.toks[key_i].kind == "text" and not _is_value(rr.toks[key_i].text):
            ki = key_i
        else:
            before = [i for i in range(len(rr.toks)) if rr.toks[i].kind == "text" and not _is_value(rr.toks[i].text)
                      and i < max(nums)]
            if not before:
                continue
            ki = before[0]  # flattened: the row's first words name it, every figure after them is a value
            if rr.positional and header:
                ki = max([i for i in before if i < min(header)] or [before[0]])
        name = rr.toks[ki].text
        key = _label_key(name)
        if rr.positional and header:
            vals: list[Optional[Tok]] = [None] * len(t.columns)
            for i, col in header.items():
                if i < len(rr.toks) and i != ki:
                    vals[t.columns.index(col)] = rr.toks[i]
            if not any(v is not None and v.kind != "empty" for v in vals):
                vals = _zip_after(rr, ki, header, t)
            exact = True
        else:
            vals = [x for x in rr.toks[ki + 1:] if x.kind in ("num", "int")]
            exact = False
        row = _add_row(t, key, None, norm_name(name), rr.prov, [v for v in vals], exact)
        row.other_codes.extend(x.text for x in rr.toks[:ki] if x.kind == "int")
    return [t]


_KEY_HEADERS = {"项目名称", "三级指标", "名称", "指标名称"}


def _zip_after(rr: RawRow, ki: int, header: dict[int, str], t: Table) -> list[Optional[Tok]]:
    cols = [header[i] for i in sorted(header)]
    cells = [x for x in rr.toks[ki + 1:] if x.kind != "empty"]
    vals: list[Optional[Tok]] = [None] * len(t.columns)
    for col, tok in zip(cols, cells):
        vals[t.columns.index(col)] = tok
    return vals


_VALUE = re.compile(r"^[≥≤=<>]?\s*-?\d[\d,]*(?:\.\d+)?\s*[%％万]?$|^-%?$")


def _is_value(s: str) -> bool:
    return bool(_VALUE.match(s.strip()))


def _label_key(name: str) -> str:
    k = squash(name)
    k = re.sub(r"^资金来源[：:]", "", k)
    k = re.sub(r"^[（(]\d+[)）]", "", k)
    k = re.sub(r"[（(]万元[)）]$", "", k)
    return norm_name(k)


BUILDERS = {"code": code_table, "econ": econ_table, "group": group_table, "label": label_table}


def build_tables(reg: Region, rows: list[RawRow]) -> list[Table]:
    d: TableDef = reg.tdef
    if d.sides:
        return two_sided_table(reg, rows)
    return BUILDERS.get(d.row_key, label_table)(reg, rows)
