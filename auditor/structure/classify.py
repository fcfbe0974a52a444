"""Name-only function tables: the 政府收支分类科目 code of each row placed from its printed name in context.

Some templates (杭州, 湖州) print the 一般公共预算支出表, 支出预算总表 … with 科目 names only (类 "交通运输支出",
款 "公路水路运输", 项 "行政运行"). The classification is one national list, so the code of a name follows from the
list and the rows above it: a 类 by its name (lexicons/classification.toml holds every 类), a 款 by its name among
the 款 of the 类 above it, a 项 by its name among the 项 of the 款 above it (lexicons/classification_items.toml,
harvested from the tables that print codes; the 项 the list repeats under every 款 and the closing 其他 items by
their pattern, classification.toml [recurring_items]). A name recurring under many 款 (行政运行) is therefore never
placed without its parent.

Never a guess: a row whose name fits no place, or more than one (公路水路运输 after 超长期特别国债安排的支出 may be that
款's 项 or the 款 21401), is left unplaced, and so are the other 款/项 of its 类 (which of them it belongs to is
unknown); the 类 keeps its code but no 类 = Σ款 / 款 = Σ项 is read from the block, and the table's 合计 = Σ类 is not
checked (an unplaced row may be a 类 printed under another name). A block whose placed tree is not whole (a 类
without 款, a 款 without 项 in a table printing 项) is left unplaced the same way.
"""
from __future__ import annotations

from functools import lru_cache

from ..lexicons import load
from ..model import Table
from .tokens import norm_name

FUNC_TABLES = ("J02", "J03", "J05", "J07", "J08", "Y03", "Y05", "Y10", "Y11")
_TOTALS = ("合计", "总计", "本年支出合计")


@lru_cache(maxsize=1)
def _by_name() -> dict[str, frozenset[str]]:
    """Printed name -> every code the lexicons give it (a name may be a 类, a 款 and a 项: 其他支出)."""
    out: dict[str, set[str]] = {}
    for code, entries in load("classification")["functional"].items():
        for e in entries:
            out.setdefault(norm_name(e["name"]), set()).add(code)
    for code, names in load("classification_items")["functional"].items():
        for n in names:
            out.setdefault(norm_name(n), set()).add(code)
    return {n: frozenset(c) for n, c in out.items()}


def _stem(name: str) -> str:
    return name[:-2] if name.endswith("支出") else name


def candidates(name: str, lei: tuple[str, str] | None, kuan: tuple[str, str] | None) -> set[str]:
    """The codes a row named ``name`` may have under the current 类 and 款 ((code, printed name) or None)."""
    out = set()
    for c in _by_name().get(name, ()):
        if len(c) == 3 or (len(c) == 5 and lei and c.startswith(lei[0])) or \
                (len(c) == 7 and kuan and c.startswith(kuan[0])):
            out.add(c)
    if kuan:
        rec = load("classification").get("recurring_items", {})
        if name in rec:
            out.add(kuan[0] + rec[name])
        if name == "其他" + _stem(kuan[1]) + "支出" or (kuan[0].endswith("99") and name == kuan[1]):
            out.add(kuan[0] + "99")
    if lei and name == "其他" + _stem(lei[1]) + "支出":
        out.add(lei[0] + "99")
    return out


def place_rows(t: Table) -> None:
    """Give the rows of a name-only function table their codes (key = code, ``code_from_name``); see the module doc."""
    if t.id.split("_")[0].split(".")[0] not in FUNC_TABLES or t.family == "generic" or any(r.code for r in t.rows):
        return
    placed: dict[int, str] = {}
    blocks: list[list[int]] = []      # row indices of each 类 block, the 类 first
    bad: set[int] = set()             # blocks left unplaced
    unplaced = 0
    lei = kuan = None
    used: set[str] = set()
    for i, r in enumerate(t.rows):
        name = norm_name(r.name or r.key.split("#")[0])
        if name in _TOTALS or name.startswith("*"):
            continue   # the 合计 line, the 栏次 line (** 1 2 3)
        cands = candidates(name, lei, kuan) - used
        if len(cands) != 1:
            unplaced += 1
            if blocks:
                bad.add(len(blocks) - 1)
            kuan = None
            continue
        code = cands.pop()
        used.add(code)
        placed[i] = code
        if len(code) == 3:
            blocks.append([i])
            lei, kuan = (code, name), None
        elif len(code) == 5:
            blocks[-1].append(i)
            kuan = (code, name)
        else:
            blocks[-1].append(i)
    deep = any(len(c) == 7 for c in placed.values())
    for b, rows in enumerate(blocks):
        codes = [placed[i] for i in rows]
        kuans = [c for c in codes if len(c) == 5]
        if not kuans or (deep and any(not any(x.startswith(k) and len(x) == 7 for x in codes) for k in kuans)):
            bad.add(b)
    for b in bad:
        for i in blocks[b][1:]:
            placed.pop(i, None)
    for i, code in placed.items():
        r = t.rows[i]
        r.key, r.code, r.code_from_name = code, code, True
    t.unplaced = unplaced + sum(len(blocks[b]) - 1 for b in bad)
    t.__dict__.pop("_row_index", None)
