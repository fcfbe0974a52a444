"""The reviewer's checklist (R), tables printed without figures: the 三公 table empty while the narrative states its
figures (R15), and an empty table with no note saying why (R16). A table counts as empty only when neither its parsed
cells nor the printed text of its region (from its title to the next table) hold a non-zero figure, so a table whose
rows the parser missed is never called empty. The words are data in lexicons/template_text.toml [empty_table]."""
from __future__ import annotations

from functools import lru_cache

from .. import rx as re

from ..lexicons import load, pattern
from ..model import Block, Document, Evidence, Table
from .checklist_text import sentences
from .common import claim_ev
from .registry import finding, rule

_FIGURE = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d.])")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _lex() -> dict:
    return load("template_text")["empty_table"]


def _block_lines(b: Block) -> list[str]:
    if b.kind == "grid":
        return [" ".join(c.text for c in row) for row in b.grid or []]
    if b.kind == "row":
        return [" ".join(c for c in b.cells or [] if c)]
    return [b.text]


def _note(text: str) -> bool:
    return bool(pattern(_lex()["note_start"]).match(text) or pattern(_lex()["no_data"]).search(text))


class Printed:
    """What a table's region prints: any non-zero figure, and a note (注：…, 说明：…, （注：…）, “本表无数据”)."""

    def __init__(self, doc: Document, t: Table):
        start = next((s for s, _ in doc.table_regions if doc.blocks[s].prov == t.prov), None)
        end = next((e for s, e in doc.table_regions if s == start), start)
        self.figures, self.note = [], bool(t.notes) or t.no_data_note is not None
        for b in doc.blocks[start + 1:end] if start is not None else []:
            for line in _block_lines(b):
                flat = _SPACE.sub("", line)
                if _note(flat):
                    self.note = True
                    continue
                self.figures += [m for m in _FIGURE.findall(line) if float(m.replace(",", "")) != 0]
        self.found = start is not None
        self.empty = self.found and not self.figures and all(
            c.value in (None, 0) for r in t.rows if not _column_numbers(r) for c in r.cells.values())


def _column_numbers(r) -> bool:
    """A row of column numbers (栏次 1 2 3 …), printed under the column heads, not figures."""
    raws = [c.raw.strip() for c in r.cells.values() if c.raw.strip()]
    return bool(raws) and all(x.isdigit() for x in raws) and \
        [int(x) for x in raws] == list(range(int(raws[0]), int(raws[0]) + len(raws)))


def _base(t: Table) -> str:
    return pattern(r"_\d+$").sub("", t.id.split(".")[0])


def _tables(doc: Document) -> list[Table]:
    """One table per printed table (the income side of a two-sided table stands for both)."""
    seen, out = set(), []
    for t in doc.tables:
        if t.prov in seen:
            continue
        seen.add(t.prov)
        out.append(t)
    return out


@rule("R15", "三公经费表为空而说明有数", "error", """
“三公”经费表（决算09表、预算“三公”经费预算表）没有印出任何非零数字（单元格空白或全为0，按表格区域印出的文字判断，
不依赖表格识别），说明却称本年“三公”经费（或其中一项）为非零的金额：表格被清空或漏填。
失败例：说明“2026年一般公共预算‘三公’经费预算数为20.60万元”，三公经费表各栏为空。
通过例：说明“2026年一般公共预算‘三公’经费预算数为20.60万元”，三公经费表合计 20.60。""")
def sangong_table_empty(doc: Document):
    stated = [c for c in doc.claims if c.kind == "amount" and (c.subject or "").startswith("三公")
              and c.period == "本年" and c.value]
    if not stated:
        return
    for t in _tables(doc):
        if _base(t) not in ("J09", "Y09"):
            continue
        p = Printed(doc, t)
        if not p.empty:
            continue
        ev = [Evidence(prov=t.prov, table=t.id, text=t.printed_title)] + [claim_ev(c) for c in stated[:4]]
        yield finding("R15", "error", f"{t.printed_title[:40]}（{t.prov.where()}）没有印出任何数字，说明却称"
                      f"“三公”经费{stated[0].raw}万元（{stated[0].prov.where()}）", prov=t.prov,
                      stated=stated[0].value, evidence=ev)


@rule("R16", "空表未作说明", "warning", """
一张金额表没有印出任何非零数字（单元格空白或全为0），表下却没有任何说明（“注：本部门无政府性基金预算收支，故本表无数据”），
文件中也没有“空表表示……”之类的总说明：审核要求空表注明原因。说明部分已写明没有该项收支（“本部门无国有资本经营预算支出”）
时只作提示；本文件只有表格、情况说明另册发布时也只作提示。绩效目标表等文字表（lexicons/template_text.toml 的 empty_table.text_tables）不查。
失败例：“国有资本经营预算支出明细表”各栏为空，表下与说明中都没有说明。
通过例：同一张空表下注“本部门2026年没有使用国有资本经营预算拨款安排的支出，故本表无数据。”""")
def empty_table_without_note(doc: Document):
    lex = _lex()
    if any(pattern(lex["general_note"]).search(_SPACE.sub("", b.text)) for b in doc.blocks if b.kind in ("text", "heading")):
        return                                  # "以上报表中，空表表示本部门无相关收支情况": every empty table explained
    narrative = sentences(doc)
    said = [text for text, _ in narrative if pattern(lex["narrative_none"]).search(text)]
    # a tables-only file (the narrative published as another file): whether it explains the table is unknown
    alone = sum(1 for text, _ in narrative if text.endswith("。")) < 5
    for t in _tables(doc):
        title = _SPACE.sub("", t.printed_title)
        if _base(t) in lex["text_tables"] or "表" not in title:
            continue
        p = Printed(doc, t)
        if not p.empty or p.note:
            continue
        subject = next((w for w in lex["subjects"] if w in title), None)
        told = next((s for s in said if subject and subject in s), None)
        if told or alone:
            k = told.find(subject) if told else 0
            why = f"说明部分已写“{told[max(0, k - 12):k + 28]}”" if told else "本文件没有情况说明，无法核实说明中是否已写明"
            yield finding("R16", "info", f"{t.printed_title[:40]}没有印出任何数字，表下没有说明（{why}）",
                          prov=t.prov, evidence=[Evidence(prov=t.prov, table=t.id, text=t.printed_title)])
            continue
        yield finding("R16", "warning", f"{t.printed_title[:40]}没有印出任何数字，表下和说明中都没有注明原因（如“本部门无……，"
                      f"故本表无数据”）", prov=t.prov, evidence=[Evidence(prov=t.prov, table=t.id, text=t.printed_title)])
