"""Exports of a reviewed document: the findings with the reviewer's verdict and note as XLSX and CSV, and the
JSON report (auditor.report/1) with each finding's ``id`` and ``verdict``."""
from __future__ import annotations

import copy
import csv
import io

from ..store.verdicts import VERDICT_ZH

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
HEADER = ["编号", "级别", "规则", "标题", "问题", "页码", "行号", "章节", "说明数", "应为", "容差", "证据",
          "审核结论", "备注", "审核时间"]


def _evidence(f: dict) -> str:
    parts = []
    for e in f.get("evidence") or []:
        cell = "／".join(str(x) for x in (e.get("table"), e.get("row"), e.get("column")) if x)
        where = f"第{e['page']}页" if e.get("page") else (f"第{e['line']}行" if e.get("line") else "")
        text = cell + (f" = {e['value']}" if cell and e.get("value") is not None else "")
        if e.get("text") and not cell:
            text = f"「{e['text']}」"
        parts.append(f"{text}（{where}）" if where else text)
    return "；".join(parts)


def rows(view: dict) -> list[list]:
    out = []
    for f in view["findings"]:
        v = f.get("verdict") or {}
        out.append([f["id"], SEVERITY_ZH.get(f["severity"], f["severity"]), f["rule"], f["title"], f["message"],
                    f.get("page"), f.get("line"), f.get("section"), f.get("stated"), f.get("expected"),
                    f.get("tolerance"), _evidence(f), VERDICT_ZH.get(v.get("verdict"), ""), v.get("note", ""),
                    v.get("updated_at", "")])
    return out


def to_csv(view: dict) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows([["" if x is None else x for x in r] for r in rows(view)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def to_xlsx(view: dict, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "审核结论"
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows(view):
        ws.append([_safe(x) for x in r])
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJKLMNO", (6, 6, 6, 22, 60, 6, 6, 30, 12, 12, 8, 60, 10, 40, 20)):
        ws.column_dimensions[col].width = width
    info = wb.create_sheet("文件")
    info.append(["文件", title])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _safe(x):
    """Text that would start a formula in Excel is kept as text."""
    if isinstance(x, str) and x[:1] in ("=", "+", "-", "@"):
        return "'" + x
    return x


def to_json(view: dict) -> dict:
    report = copy.deepcopy(view["report"])
    by = {f["id"]: f for f in view["findings"]}
    for i, f in enumerate(report["findings"], 1):
        w = by.get(f"D{i}", {})
        f["id"], f["verdict"] = f"D{i}", w.get("verdict")
    report["cross_findings"] = [{k: v for k, v in f.items() if k not in ("boxes", "fid")}
                                for f in view["findings"] if f["id"].startswith("Y")]
    return report
