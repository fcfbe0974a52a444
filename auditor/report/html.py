"""`auditor check --format html`: one self-contained HTML page (inline CSS, no script, no network).

Each document's section: a summary (counts per severity and per rule), a filter by rule (radio buttons and CSS
``:has``, so no script), then the findings grouped by severity — errors and warnings open, hints (info) folded.
A finding shows its message and figures, the narrative line it points at with the stated figure marked, and its
evidence: every cited table as the table's own grid around the cited cells (see ``report.grid``: stated value red,
expected green), every other piece of evidence as a quote. Document text is escaped by jinja2 autoescape; the
quotes are assembled with ``markupsafe.escape`` around the ``<mark>`` tags.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from jinja2 import Environment
from markupsafe import Markup, escape

from ..model import AuditResult, Document, Evidence, Finding
from .findings import (NOT_UNDERSTOOD_ZH, SEVERITIES, SEVERITY_ZH, TABLE_SECTION, block_index, doc_heading,
                       evidence_label, figure_span, find_block, finding_nums, narrative_not_understood, no_findings_line,
                       num, register, severity_rank, sorted_findings, summary_dict, unique_evidence, where)
from .grid import table_grids

_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:1200px;
 padding:1em 2em;color:#222;line-height:1.5}
h1{font-size:1.6em;border-bottom:2px solid #444}h2{margin-top:1.5em;border-bottom:1px solid #aaa}
table.sum{border-collapse:collapse;margin:.5em 1.5em .5em 0;display:inline-table;vertical-align:top}
table.sum td,table.sum th{border:1px solid #ccc;padding:.15em .6em;text-align:left}table.sum td.n{text-align:right}
.sev-error{--c:#c62828}.sev-warning{--c:#ef6c00}.sev-info{--c:#1565c0}
.badge{display:inline-block;color:#fff;background:var(--c,#666);border-radius:3px;padding:0 .4em;font-size:.9em}
.notice{border:2px solid #ef6c00;background:#fff3e0;padding:.5em 1em;font-weight:bold}
.filter{margin:.8em 0;font-size:.92em}.filter input{display:none}
.filter label{display:inline-block;border:1px solid #bbb;border-radius:1em;padding:0 .7em;margin:.15em .1em;cursor:pointer}
.filter input:checked+label{background:#37474f;color:#fff;border-color:#37474f}
details.grp{margin:.6em 0}details.grp>summary{cursor:pointer;font-weight:bold;font-size:1.1em;padding:.2em 0;
 color:var(--c)}
article.f{border-left:5px solid var(--c);padding:.4em 1em;margin:.6em 0;background:#fafafa}
article.f h3{margin:.1em 0 .3em;font-size:1.02em}article.f:target{background:#fff8e1}
article.f p{margin:.2em 0}
.meta{color:#555;font-size:.9em}.nums span{margin-right:1.2em}
blockquote{margin:.3em 0;padding:.3em .8em;border-left:3px solid #bbb;background:#fff;white-space:pre-wrap;
 word-break:break-all}blockquote:target{outline:2px solid #f9a825}
cite{display:block;font-style:normal;color:#666;font-size:.85em}
mark{background:#ffcdd2;color:#b71c1c;font-weight:bold;padding:0 .1em}mark.expected{background:#c8e6c9;color:#1b5e20}
mark.cited{background:#fff59d;color:#222}
.grid{overflow-x:auto;margin:.3em 0}.grid:target{outline:2px solid #f9a825}
table.tg{border-collapse:collapse;font-size:.85em;background:#fff}
table.tg th,table.tg td{border:1px solid #d0d0d0;padding:.1em .45em;white-space:nowrap}
table.tg th{background:#eceff1;font-weight:normal}table.tg td.v{text-align:right;font-variant-numeric:tabular-nums}
table.tg tr.cited td.k{font-weight:bold}table.tg tr.gap td{color:#999;text-align:center;background:#f5f5f5}
table.tg tr.whole td{background:#fffde7}
td.stated{background:#ffcdd2;color:#b71c1c;font-weight:bold;outline:2px solid #c62828}
td.expected{background:#c8e6c9;color:#1b5e20;font-weight:bold;outline:2px solid #2e7d32}
td.cited{background:#fff9c4;outline:1px solid #f9a825}
td .note{display:block;font-size:.85em;font-weight:bold}td.stated .note{color:#1b5e20}td.expected .note{color:#b71c1c}
a{color:#1565c0;text-decoration:none}a:hover{text-decoration:underline}
@media print{article.f{break-inside:avoid}.filter{display:none}}
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>预决算公开审核报告</title><style>{{ css }}{{ filter_css }}</style></head>
<body>
<h1>预决算公开审核报告</h1>
{% if docs|length > 1 %}<ul>{% for d in docs %}<li><a href="#{{ d.id }}">{{ d.heading }}</a>：错误 {{ d.summary.errors }}，
警告 {{ d.summary.warnings }}，提示 {{ d.summary.infos }}</li>{% endfor %}</ul>{% endif %}
{% for d in docs %}
<section class="doc" id="{{ d.id }}">
<h2>{{ d.heading }}</h2>
<p class="meta">文件：<code>{{ d.path }}</code>{% if d.sha256 %} · SHA-256 <code>{{ d.sha256[:16] }}…</code>{% endif %}
 · 金额单位：{{ d.unit }} · 识别表格 {{ d.tables }} 张</p>
{% if d.notice %}<p class="notice">注意：{{ d.notice }}。</p>{% endif %}
<table class="sum"><tr><th>级别</th><th>数量</th></tr>
<tr class="sev-error"><td><span class="badge">错误</span></td><td class="n">{{ d.summary.errors }}</td></tr>
<tr class="sev-warning"><td><span class="badge">警告</span></td><td class="n">{{ d.summary.warnings }}</td></tr>
<tr class="sev-info"><td><span class="badge">提示</span></td><td class="n">{{ d.summary.infos }}</td></tr>
<tr><td>数字陈述 / 已核对</td><td class="n">{{ d.summary.claims }} / {{ d.summary.claims_checked }}</td></tr></table>
{% if d.rules %}<table class="sum"><tr><th>规则</th><th>标题</th><th>级别</th><th>数量</th></tr>
{% for r in d.rules %}<tr class="sev-{{ r.severity }}"><td><a href="#{{ r.first }}">{{ r.rule }}</a></td>
<td>{{ r.title }}</td><td><span class="badge">{{ r.severity_zh }}</span></td><td class="n">{{ r.n }}</td></tr>
{% endfor %}</table>{% endif %}
{% if not d.groups %}<p{% if d.notice %} class="notice"{% endif %}>{{ d.none }}</p>{% else %}
<div class="filter">按规则筛选：<input type="radio" name="{{ d.id }}-rule" id="{{ d.id }}-r-all" checked>
<label for="{{ d.id }}-r-all">全部 {{ d.total }}</label>
{%- for code, n in d.codes %}<input type="radio" name="{{ d.id }}-rule" id="{{ d.id }}-r-{{ code }}">
<label for="{{ d.id }}-r-{{ code }}">{{ code }} · {{ n }}</label>{% endfor %}</div>
{% endif %}
{% for g in d.groups %}
<details class="grp sev-{{ g.severity }}"{% if g.open %} open{% endif %}>
<summary>{{ g.severity_zh }}（{{ g.findings|length }}）{% if not g.open %} — 点击展开{% endif %}</summary>
{% for f in g.findings %}
<article class="f sev-{{ f.severity }} r-{{ f.rule }}" id="{{ f.id }}">
<h3><a href="#{{ f.id }}">#{{ f.n }}</a> <span class="badge">{{ f.severity_zh }}</span>
 规则 {{ f.rule }} {{ f.title }}</h3>
<div class="meta">{% if f.where %}位置：{{ f.where }} · {% endif %}章节：{{ f.section }}</div>
<p>{{ f.message }}</p>
{% if f.nums %}<div class="nums">{% for k, v in f.nums %}<span>{{ k }}：<b>{{ v }}</b></span>{% endfor %}</div>{% endif %}
{% if f.quote %}<blockquote id="{{ f.id }}-src"><cite>原文 · {{ f.where }}</cite>{{ f.quote }}</blockquote>{% endif %}
{% for e in f.quotes %}<blockquote id="{{ e.id }}"><cite>{{ e.label }}</cite>{{ e.quote }}</blockquote>
{% endfor %}
{% for g2 in f.grids %}<div class="grid" id="{{ f.id }}-t{{ loop.index }}"><cite>{{ g2.title }} · {{ g2.where }} · 单位：{{ g2.unit }}</cite>
<table class="tg"><tr>{% if g2.has_code %}<th>编码</th>{% endif %}<th>项目</th>{% for c in g2.columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for r in g2.rows %}{% if r.gap %}<tr class="gap"><td colspan="{{ g2.columns|length + (2 if g2.has_code else 1) }}">⋯</td></tr>
{% else %}<tr class="{{ 'cited' if r.cited else '' }}{{ ' whole' if r.whole else '' }}">{% if g2.has_code %}<td class="k">{{ r.code }}</td>{% endif %}<td class="k">{{ r.name }}</td>
{%- for c in r.cells %}<td class="v {{ c.role }}">{{ c.text }}{% if c.note %}<span class="note">{{ c.note }}</span>{% endif %}</td>{% endfor %}</tr>
{% endif %}{% endfor %}</table></div>
{% endfor %}
</article>
{% endfor %}
</details>
{% endfor %}
</section>
{% endfor %}
</body></html>
"""

_env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_tmpl = _env.from_string(_TEMPLATE)
_CODE = re.compile(r"^[A-Za-z0-9_]+$")


def marked(text: str, span: Optional[tuple[int, int]], cls: str = "") -> Markup:
    """``text`` escaped, with ``span`` wrapped in <mark>."""
    if not span:
        return escape(text)
    a, b = span
    open_tag = Markup(f'<mark class="{cls}">') if cls else Markup("<mark>")
    return escape(text[:a]) + open_tag + escape(text[a:b]) + Markup("</mark>") + escape(text[b:])


def _role(f: Finding, value: Optional[float]) -> str:
    """The mark of a figure quoted as evidence: red if it is the stated (wrong) figure, green if the expected one."""
    if value is None:
        return ""
    if f.stated is not None and abs(value - f.stated) < 1e-9:
        return ""
    if f.expected is not None and abs(value - f.expected) < 1e-9:
        return "expected"
    return "cited"


def _quote_view(doc: Document, idx: dict, f: Finding, e: Evidence, eid: str, shown) -> Optional[dict]:
    """A piece of evidence that is not a table cell: its text (or the document line it points at), the figure marked."""
    blk = find_block(doc, e.prov, idx)
    if blk is not None and blk is shown and (not e.text or e.text.strip() in blk.text):
        return None  # the finding's own quoted line already shows it
    text = e.text or (blk.text if blk is not None else "")
    loc = where(e.prov)
    if not text:
        return {"id": eid, "label": loc or "证据", "quote": escape(evidence_label(e))}
    span = figure_span(text, e.value, doc, e.prov)
    return {"id": eid, "label": f"原文 · {loc}" if loc else "原文", "quote": marked(text, span, _role(f, e.value))}


def _finding_view(doc: Document, idx: dict, row_blocks: set, f: Finding, n: int) -> dict:
    fid = f"f{n}"
    f_ev = unique_evidence(f)
    grids, rest = table_grids(doc, Finding(f.rule, f.title, f.severity, f.message, f.prov, f.stated, f.expected,
                                           f.tolerance, f_ev, f.section), num)
    quote = None
    blk = find_block(doc, f.prov, idx)
    if blk is not None and blk.text and not (grids and id(blk) in row_blocks):
        quote = marked(blk.text, figure_span(blk.text, f.stated, doc, f.prov))
    quotes = [q for i, e in enumerate(rest, 1) if (q := _quote_view(doc, idx, f, e, f"{fid}-e{i}", blk))]
    if quote is not None and any(blk.text.strip() in (e.text or "") for e in rest):
        quote = None  # an evidence quote holds the finding's whole line (its sentence): show that one only
    return {
        "id": fid, "n": n, "severity": f.severity, "severity_zh": SEVERITY_ZH.get(f.severity, f.severity),
        "rule": f.rule if _CODE.match(f.rule) else "x", "title": f.title, "message": f.message, "where": where(f.prov),
        "section": f.section or TABLE_SECTION, "quote": quote, "nums": finding_nums(f), "grids": grids,
        "quotes": quotes,
    }


def _row_blocks(doc: Document, idx: dict) -> set:
    """ids of the document blocks that are rows of a recognised table (their text is shown as a grid instead)."""
    out = set()
    for t in doc.tables:
        for r in t.rows:
            b = find_block(doc, r.prov, idx)
            if b is not None:
                out.add(id(b))
    return out


def _doc_view(r: AuditResult, di: int, start: int) -> dict:
    doc = r.doc
    idx = block_index(doc)
    rows = _row_blocks(doc, idx)
    fs = sorted_findings(r.findings)
    views = [_finding_view(doc, idx, rows, f, start + i) for i, f in enumerate(fs, 1)]
    counts = Counter((f.rule, f.title, f.severity) for f in fs)
    first: dict = {}
    for f, v in zip(fs, views):
        first.setdefault((f.rule, f.title, f.severity), v["id"])
    rules = [{"rule": k[0], "title": k[1], "severity": k[2], "severity_zh": SEVERITY_ZH.get(k[2], k[2]),
              "n": n, "first": first[k]}
             for k, n in sorted(counts.items(), key=lambda kv: (severity_rank(kv[0][2]), -kv[1], kv[0][0]))]
    groups = [{"severity": s, "severity_zh": SEVERITY_ZH[s], "open": s != "info",
               "findings": [v for v in views if v["severity"] == s]} for s in SEVERITIES]
    codes = Counter(v["rule"] for v in views)
    return {"id": f"doc{di}", "heading": doc_heading(r), "path": doc.source.path, "sha256": doc.source.sha256,
            "unit": doc.unit, "tables": len(doc.tables), "summary": summary_dict(r), "rules": rules,
            "groups": [g for g in groups if g["findings"]], "codes": sorted(codes.items()), "total": len(views),
            "notice": NOT_UNDERSTOOD_ZH if narrative_not_understood(r) else None, "none": no_findings_line(r)}


def _filter_css(docs: list[dict]) -> Markup:
    """One rule per document and rule code: with that code's radio button checked, other findings are hidden."""
    out = []
    for d in docs:
        for code, _ in d["codes"]:
            out.append(f"#{d['id']}:has(#{d['id']}-r-{code}:checked) article.f:not(.r-{code}){{display:none}}")
    return Markup("\n".join(out))


@register("html")
def render_html(results: list[AuditResult]) -> str:
    """Findings are numbered across documents (f1, f2, …) so every anchor in the page is unique."""
    docs, start = [], 0
    for di, r in enumerate(results, 1):
        docs.append(_doc_view(r, di, start))
        start += len(r.findings)
    return _tmpl.render(css=Markup(_CSS), filter_css=_filter_css(docs), docs=docs)
