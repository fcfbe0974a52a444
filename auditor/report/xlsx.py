"""`auditor check --format xlsx`: a reviewer workbook (bytes).

Sheet 问题清单: one row per finding (autofilter, frozen header, an empty 审核意见 column to annotate); then one
sheet per parsed table (row key, code, name, then the canonical columns) where every cell cited by a finding's
evidence (same table id, row key and column) is filled in the colour of the most severe finding citing it (red
error, orange warning, blue info) and carries a comment per finding: rule and title, stated and expected values,
page/line, message and the sentence quoted.
"""
from __future__ import annotations

import io
import re

from ..model import AuditResult, Table
from .findings import (SEVERITIES, SEVERITY_ZH, evidence_joined, finding_nums, register, severity_rank,
                       sorted_findings, unique_evidence, where)

HEADER = ["文件", "规则", "标题", "级别", "行", "页", "章节", "陈述值", "应为", "容差", "说明", "证据", "审核意见"]
WIDTHS = [28, 10, 24, 6, 6, 6, 18, 12, 12, 8, 50, 60, 30]
SEV_FILL = {"error": "FFCDD2", "warning": "FFE0B2", "info": "BBDEFB"}
CELL_FILL = {"error": "EF9A9A", "warning": "FFCC80", "info": "90CAF9"}  # a cited cell: its most severe finding
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(want: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (≤31 characters, no []:*?/\\)."""
    base = _BAD.sub("_", want).strip("'") or "表"
    name, n = base[:31], 1
    while name.lower() in {u.lower() for u in used}:
        n += 1
        suffix = f"~{n}"
        name = base[:31 - len(suffix)] + suffix
    used.add(name)
    return name


def _note(f) -> str:
    """A cell comment: the finding's rule and title, its figures, where it is, its message and the sentence quoted."""
    lines = [f"[{SEVERITY_ZH.get(f.severity, f.severity)}] {f.rule} {f.title}"]
    nums = "，".join(f"{k} {v}" for k, v in finding_nums(f))
    if nums:
        lines.append(nums)
    loc = where(f.prov)
    lines.append(f"{loc + '：' if loc else ''}{f.message}")
    quote = next((e.text for e in unique_evidence(f) if not e.table and e.text), "")
    if quote:
        lines.append(f"原文：「{quote}」")
    return "\n".join(lines)


def _cited(results: list[AuditResult]) -> dict:
    """(result index, table id, row key, column) -> [(severity rank, comment)] of the findings citing that cell."""
    out: dict = {}
    for ri, r in enumerate(results):
        for f in sorted_findings(r.findings):
            for e in unique_evidence(f):
                if e.table and e.row:
                    notes = out.setdefault((ri, e.table, e.row, e.column), [])
                    note = (severity_rank(f.severity), _note(f))
                    if note not in notes:
                        notes.append(note)
    return out


def _mark(cell, notes: list, fills: dict, comment_cls) -> None:
    """Fill a cited cell in the colour of the most severe finding citing it; the comment lists them all."""
    sev = SEVERITIES[min(rank for rank, _ in notes)]
    cell.fill = fills[sev]
    text = "\n\n".join(n for _, n in notes)
    cell.comment = comment_cls(text, "auditor", width=420, height=min(600, 60 + 18 * text.count("\n")))


def _table_sheet(wb, name: str, t: Table, path: str, ri: int, cited: dict, fills: dict, comment_cls, bold):
    ws = wb.create_sheet(name)
    ws.append([f"{t.id} {t.title}", t.printed_title, f"单位：{t.unit}", path])
    ws.append(["key", "编码", "名称", *t.columns])
    for c in ws[2]:
        c.font = bold
    df = t.frame
    for rn, r in enumerate(t.rows, start=3):
        vals = [None if v != v else float(v) for v in df.iloc[rn - 3].tolist()]  # NaN -> empty
        ws.append([r.key, r.code, r.name, *vals])
        for cn, col in enumerate(t.columns, start=4):
            notes = cited.get((ri, t.id, r.key, col))
            if notes:
                _mark(ws.cell(row=rn, column=cn), notes, fills, comment_cls)
        whole = cited.get((ri, t.id, r.key, None))
        if whole:  # evidence naming a row but no column: mark the row key
            _mark(ws.cell(row=rn, column=1), whole, fills, comment_cls)
    ws.freeze_panes = "D3"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["C"].width = 30
    return ws


@register("xlsx")
def render_xlsx(results: list[AuditResult]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    used: set[str] = set()
    ws.title = sheet_name("问题清单", used)
    ws.append(HEADER)
    bold = Font(bold=True)
    for c in ws[1]:
        c.font = bold
    for r in results:
        for f in sorted_findings(r.findings):
            p = f.prov
            ws.append([r.doc.source.path, f.rule, f.title, SEVERITY_ZH.get(f.severity, f.severity),
                       p.line if p else None, p.page if p else None, f.section, f.stated, f.expected, f.tolerance,
                       f.message, evidence_joined(f), None])
            sev = ws.cell(row=ws.max_row, column=4)
            if f.severity in SEV_FILL:
                sev.fill = PatternFill("solid", fgColor=SEV_FILL[f.severity])
            for col in (11, 12):
                ws.cell(row=ws.max_row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{ws.max_row}"
    ws.freeze_panes = "A2"
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w

    cited = _cited(results)
    fills = {sev: PatternFill("solid", fgColor=CELL_FILL[sev]) for sev in SEVERITIES}
    for ri, r in enumerate(results):
        for t in r.doc.tables:
            want = t.id if len(results) == 1 else f"{ri + 1}-{t.id}"
            _table_sheet(wb, sheet_name(want, used), t, r.doc.source.path, ri, cited, fills, Comment, bold)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
