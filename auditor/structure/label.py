"""Labelled rows with a printed header (附件 self-evaluation tables, 预算12/14): rows named by a text cell, columns
from the printed header."""
from __future__ import annotations

from typing import Optional

from .. import rx as re

from ..lexicons import pattern
from ..model import Table
from .cells import _add_row, _new_table
from .regions import Region
from .rows import RawRow
from .tokens import Tok, norm_name, squash

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
            _subject_row(t, rr, texts)
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
# a one-project table (项目绩效目标表) names its project on a line of its own: "项目名称 | 既有住宅加装电梯专项资金经费"
_SUBJECT_LABELS = ("项目名称",)


def _subject_row(t: Table, rr: RawRow, texts: list[str]) -> None:
    """Keep the project-name line as a row without figures, keyed by its label, the project's name as row name."""
    words = [x for x in texts if x]
    if len(words) >= 2 and words[0] in _SUBJECT_LABELS and words[1] not in t.columns and t.row(words[0]) is None:
        _add_row(t, words[0], None, norm_name(words[1]), rr.prov, [], True)


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
    k = pattern(r"^资金来源[：:]").sub("", k)
    k = pattern(r"^[（(]\d+[)）]").sub("", k)
    k = pattern(r"[（(]万元[)）]$").sub("", k)
    return norm_name(k)
