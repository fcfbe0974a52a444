"""The batch overview, from the store: index.html (one row per document, charts of error findings by rule and by
year as inline SVG; one self-contained page, no script, no network, every document text escaped by jinja2),
summary.csv (UTF-8 with BOM) and summary.xlsx."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment

from .. import __version__
from ..store import Store
from .cross import CrossResult
from ..report.findings import NOT_UNDERSTOOD_ZH
from .model import FAILED, SKIPPED, STATUS_ZH

# (column of the documents table, Chinese header): summary.csv uses the keys, summary.xlsx the Chinese headers
COLUMNS = [("rel", "文件"), ("department", "单位"), ("dept_key", "单位键"), ("year", "年度"), ("kind", "类型"),
           ("status", "状态"), ("error", "原因"), ("errors", "错误"), ("warnings", "警告"), ("infos", "提示"),
           ("cross_errors", "跨文件错误"), ("cross_warnings", "跨文件警告"), ("cross_infos", "跨文件提示"),
           ("claims", "数字陈述"), ("claims_checked", "已核对"), ("tables", "表格"), ("format", "格式"),
           ("pages", "页数"), ("report", "报告"), ("sha256", "SHA-256"), ("audited_at", "审核时间"), ("path", "路径")]


def write_overview(store: Store, paths: list[str], outdir: Path, cross: CrossResult) -> None:
    docs = _documents(store, paths)
    by_rule = store.con.execute(
        "SELECT f.rule, any_value(f.title), count(*) FROM findings f JOIN documents d ON d.path = f.doc "
        "WHERE f.severity = 'error' AND list_contains(?, d.path) GROUP BY f.rule ORDER BY 3 DESC, 1",
        [paths]).fetchall()
    (outdir / "summary.csv").write_bytes(summary_csv(docs))
    (outdir / "summary.xlsx").write_bytes(summary_xlsx(docs, by_rule, store, paths))
    (outdir / "index.html").write_text(index_html(docs, by_rule, cross), encoding="utf-8")


def _documents(store: Store, paths: list[str]) -> list[dict]:
    cols = [c for c, _ in COLUMNS if c != "report"] + ["reports"]
    rows = store.con.execute(f"SELECT {', '.join(cols)} FROM documents WHERE list_contains(?, path) ORDER BY rel",
                             [paths]).fetchall()
    out = []
    for r in rows:
        d = dict(zip(cols, r))
        reports = json.loads(d.pop("reports") or "{}")
        d["report"] = reports.get("html") or reports.get("json") or next(iter(reports.values()), "")
        d["audited_at"] = str(d["audited_at"] or "")
        out.append(d)
    return out


def summary_csv(docs: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([k for k, _ in COLUMNS])
    for d in docs:
        w.writerow(["" if d[k] is None else d[k] for k, _ in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def summary_xlsx(docs: list[dict], by_rule: list[tuple], store: Store, paths: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    bold, red = Font(bold=True), PatternFill("solid", fgColor="FFCDD2")

    def sheet(ws, header: list[str], rows: list[list], widths: dict[int, int]):
        ws.append(header)
        for c in ws[1]:
            c.font = bold
        for r in rows:
            ws.append(r)
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions
        for i, wdt in widths.items():
            ws.column_dimensions[chr(ord("A") + i)].width = wdt

    ws = wb.active
    ws.title = "文件 documents"
    sheet(ws, [zh for _, zh in COLUMNS], [[d[k] for k, _ in COLUMNS] for d in docs], {0: 40, 1: 30, 6: 40})
    status_col = [k for k, _ in COLUMNS].index("status")
    for row in ws.iter_rows(min_row=2):
        if row[status_col].value in FAILED:
            for c in row:
                c.fill = red
    sheet(wb.create_sheet("规则 rules"), ["规则 rule", "标题 title", "错误数 errors"],
          [list(r) for r in by_rule], {0: 10, 1: 40})
    cross = store.con.execute(
        "SELECT d.rel, f.rule, f.title, f.severity, f.line, f.page, f.message FROM findings f "
        "LEFT JOIN documents d ON d.path = f.doc WHERE f.scope = 'archive' AND (list_contains(?, f.doc) OR f.doc = '') "
        "ORDER BY d.rel, f.finding_id", [paths]).fetchall()
    sheet(wb.create_sheet("跨文件 cross"), ["文件", "规则", "标题", "级别", "行", "页", "说明"],
          [list(r) for r in cross], {0: 40, 2: 30, 6: 100})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bars(items: list[tuple[str, str, int]], width: int = 420) -> dict:
    """Geometry of a horizontal bar chart: items are (label, tooltip, count)."""
    top = max((n for _, _, n in items), default=0) or 1
    rows = [{"label": label, "tip": tip, "n": n, "y": 6 + i * 24, "w": round(n / top * width, 1)}
            for i, (label, tip, n) in enumerate(items)]
    return {"rows": rows, "height": 12 + 24 * len(rows), "width": width}


UNKNOWN = "未识别"


def not_understood(d: dict) -> bool:
    """Audited, tables read, but no claim of the narrative understood: its clean count means nothing."""
    return d["status"] == "ok" and bool(d["tables"]) and not d["claims"]


def index_html(docs: list[dict], by_rule: list[tuple], cross: CrossResult) -> str:
    years: dict = {}
    for d in docs:
        if d["status"] != "ok":
            continue  # a document that could not be read has neither a year nor findings: no bar for it
        y = str(d["year"]) if d["year"] else f"年度{UNKNOWN}"
        years[y] = years.get(y, 0) + (d["errors"] or 0) + (d["cross_errors"] or 0)
    totals = {k: sum(d[k] or 0 for d in docs) for k in ("errors", "warnings", "cross_errors", "cross_warnings")}
    failed = [d for d in docs if d["status"] in FAILED]
    skipped = [d for d in docs if d["status"] == SKIPPED]
    for d in docs:
        d["href"] = quote(d["report"]) if d["report"] else None
        d["status_zh"] = STATUS_ZH.get(d["status"], d["status"])
        d["note"] = NOT_UNDERSTOOD_ZH if not_understood(d) else ""
    return _ENV.from_string(_TEMPLATE).render(
        docs=docs, failed=failed, skipped=skipped, totals=totals, cross=cross, version=__version__,
        now=datetime.now().strftime("%Y-%m-%d %H:%M"),
        rule_chart=bars([(r, t or "", n) for r, t, n in by_rule]),
        year_chart=bars(sorted(((y, y if y.startswith("年度") else f"{y}年", n) for y, n in years.items()),
                               key=lambda x: (x[0].startswith("年度"), x[0]))),
        failed_statuses=FAILED, unknown=UNKNOWN, not_understood=[d for d in docs if d["note"]])


_ENV = Environment(autoescape=True)
_CSS = """body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:1400px;margin:0 auto;
padding:1em 2em;color:#222;line-height:1.5}h1{border-bottom:2px solid #444}.meta{color:#555}
.charts{display:flex;flex-wrap:wrap;gap:2em}.charts figure{margin:0}figcaption{font-weight:bold;margin-bottom:.3em}
table.docs{border-collapse:collapse;width:100%;font-size:.92em}table.docs th,table.docs td{border:1px solid #ccc;
padding:.2em .5em;text-align:left;vertical-align:top}table.docs td.n{text-align:right}
tr.bad{background:#ffebee}tr.warn{background:#fff3e0}td.err{color:#c62828;font-weight:bold}
a{color:#1565c0;text-decoration:none}.reason{color:#b71c1c;font-size:.9em}.unknown{color:#999}
table.docs td.s{white-space:nowrap}"""
_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>批量审核总览 batch overview</title><style>{{ css }}</style></head><body>
<h1>预决算公开批量审核总览</h1>
<p class="meta">{{ now }} · auditor {{ version }} · 文件 {{ docs|length }} 个，其中无法审核 {{ failed|length }} 个{% if skipped %}，不是预决算公开文件而跳过 {{ skipped|length }} 个{% endif %} ·
错误 {{ totals.errors }} · 警告 {{ totals.warnings }} · 跨文件错误 {{ totals.cross_errors }} · 跨文件警告 {{ totals.cross_warnings }}</p>
<p class="meta"><a href="summary.csv">summary.csv</a> · <a href="summary.xlsx">summary.xlsx</a> ·
<a href="cross_document.html">跨文件问题 cross-document findings</a>{% if cross.note %}（{{ cross.note }}）{% endif %}</p>
<div class="charts">
{% for title, ch, color in [("错误数（按规则）errors by rule", rule_chart, "#c62828"), ("错误数（按年度）errors by year", year_chart, "#1565c0")] %}
<figure><figcaption>{{ title }}</figcaption>
{% if ch.rows %}<svg xmlns="http://www.w3.org/2000/svg" width="{{ ch.width + 150 }}" height="{{ ch.height }}" role="img"
 font-family="sans-serif" font-size="13">{% for r in ch.rows %}<g><title>{{ r.label }} {{ r.tip }}：{{ r.n }}</title>
<text x="0" y="{{ r.y + 13 }}">{{ r.label }}</text>
<rect x="90" y="{{ r.y }}" width="{{ r.w }}" height="18" fill="{{ color }}"/>
<text x="{{ 95 + r.w }}" y="{{ r.y + 13 }}">{{ r.n }}</text></g>{% endfor %}</svg>
{% else %}<p>无错误 / no errors</p>{% endif %}</figure>
{% endfor %}
</div>
{% if failed %}<h2>无法审核的文件 failed documents（{{ failed|length }}）</h2><ul>
{% for d in failed %}<li>{{ d.rel }}：{{ d.status_zh }} — <span class="reason">{{ d.error }}</span></li>{% endfor %}</ul>{% endif %}
{% if skipped %}<h2>跳过的文件 skipped, not a disclosure（{{ skipped|length }}）</h2><ul>
{% for d in skipped %}<li>{{ d.rel }} — <span class="reason">{{ d.error }}</span></li>{% endfor %}</ul>{% endif %}
{% if not_understood %}<h2>说明未能识别的文件 narrative not understood（{{ not_understood|length }}）</h2><ul>
{% for d in not_understood %}<li>{{ d.rel }} — <span class="reason">{{ d.note }}</span></li>{% endfor %}</ul>{% endif %}
<h2>文件 documents</h2>
<table class="docs"><tr><th>#</th><th>文件</th><th>单位</th><th>年度</th><th>类型</th><th>错误</th><th>警告</th>
<th>跨文件 错误/警告</th><th>状态</th></tr>
{% for d in docs %}<tr{% if d.status in failed_statuses %} class="bad"{% elif d.note %} class="warn"{% endif %}><td class="n">{{ loop.index }}</td>
<td>{% if d.href %}<a href="{{ d.href }}">{{ d.rel }}</a>{% else %}{{ d.rel }}{% endif %}</td>
{% for v in (d.department, d.year, d.kind) %}<td class="s">{% if v %}{{ v }}{% else %}<span class="unknown">{{ unknown }}</span>{% endif %}</td>{% endfor %}
<td class="n{% if d.errors %} err{% endif %}">{{ d.errors if d.errors is not none else "" }}</td>
<td class="n">{{ d.warnings if d.warnings is not none else "" }}</td>
<td class="n{% if d.cross_errors %} err{% endif %}">{{ d.cross_errors or 0 }} / {{ d.cross_warnings or 0 }}</td>
<td class="s">{{ d.status_zh }}{% if d.note %}（说明未识别）{% endif %}{% if d.error %}<div class="reason">{{ d.error }}</div>{% endif %}</td></tr>
{% endfor %}</table>
</body></html>
"""
_ENV.globals["css"] = _CSS
