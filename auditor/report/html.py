"""`auditor check --format html`: one self-contained HTML page (inline CSS, no script, no network).

At the top of each document's section a summary (counts per severity and per rule); then every finding beside
the quoted source — the document line it points at, with the stated figure in ``<mark>``, and each piece of
evidence (quote or 表/行/列 = 值) — linked both ways (``#f3`` <-> ``#f3-e1``). All document text is escaped by
jinja2 autoescape; the quotes are assembled with ``markupsafe.escape`` around the ``<mark>`` tags.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from jinja2 import Environment
from markupsafe import Markup, escape

from ..model import AuditResult, Document, Evidence, Finding
from .findings import (SEVERITY_ZH, TABLE_SECTION, block_index, cell_span, doc_heading, evidence_label, figure_span,
                       find_block, num, register, severity_rank, sorted_findings, summary_dict, where)

_CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:1200px;
 padding:1em 2em;color:#222;line-height:1.55}
h1{font-size:1.6em;border-bottom:2px solid #444}h2{margin-top:2em;border-bottom:1px solid #aaa}
table.sum{border-collapse:collapse;margin:.5em 1.5em .5em 0;display:inline-table;vertical-align:top}
table.sum td,table.sum th{border:1px solid #ccc;padding:.2em .7em;text-align:left}
table.sum td.n{text-align:right}
.sev-error{--c:#c62828}.sev-warning{--c:#ef6c00}.sev-info{--c:#1565c0}
.badge{display:inline-block;color:#fff;background:var(--c,#666);border-radius:3px;padding:0 .4em;font-size:.9em}
article.f{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.2fr);gap:1.2em;border-left:5px solid var(--c);
 padding:.6em 1em;margin:1em 0;background:#fafafa}
article.f h3{margin:.1em 0 .4em;font-size:1.05em}article.f:target{background:#fff8e1}
.meta{color:#555;font-size:.92em}.nums span{margin-right:1.2em}
blockquote{margin:.3em 0 .7em;padding:.4em .8em;border-left:3px solid #bbb;background:#fff;white-space:pre-wrap;
 word-break:break-all}blockquote:target{outline:2px solid #f9a825}
blockquote cite{display:block;font-style:normal;color:#666;font-size:.85em;margin-bottom:.2em}
mark{background:#ffcdd2;color:#b71c1c;font-weight:bold;padding:0 .1em}mark.ev{background:#c8e6c9;color:#1b5e20}
a{color:#1565c0;text-decoration:none}a:hover{text-decoration:underline}
@media print{article.f{break-inside:avoid}}
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>预决算公开审核报告</title><style>{{ css }}</style></head>
<body>
<h1>预决算公开审核报告</h1>
{% if docs|length > 1 %}<ul>{% for d in docs %}<li><a href="#{{ d.id }}">{{ d.heading }}</a>：错误 {{ d.summary.errors }}，
警告 {{ d.summary.warnings }}，提示 {{ d.summary.infos }}</li>{% endfor %}</ul>{% endif %}
{% for d in docs %}
<section class="doc" id="{{ d.id }}">
<h2>{{ d.heading }}</h2>
<p class="meta">文件：<code>{{ d.path }}</code>{% if d.sha256 %} · SHA-256 <code>{{ d.sha256[:16] }}…</code>{% endif %}
 · 金额单位：{{ d.unit }} · 识别表格 {{ d.tables }} 张</p>
<table class="sum"><tr><th>级别</th><th>数量</th></tr>
<tr class="sev-error"><td><span class="badge">错误</span></td><td class="n">{{ d.summary.errors }}</td></tr>
<tr class="sev-warning"><td><span class="badge">警告</span></td><td class="n">{{ d.summary.warnings }}</td></tr>
<tr class="sev-info"><td><span class="badge">提示</span></td><td class="n">{{ d.summary.infos }}</td></tr>
<tr><td>数字陈述 / 已核对</td><td class="n">{{ d.summary.claims }} / {{ d.summary.claims_checked }}</td></tr></table>
{% if d.rules %}<table class="sum"><tr><th>规则</th><th>标题</th><th>级别</th><th>数量</th></tr>
{% for r in d.rules %}<tr class="sev-{{ r.severity }}"><td><a href="#{{ r.first }}">{{ r.rule }}</a></td>
<td>{{ r.title }}</td><td><span class="badge">{{ r.severity_zh }}</span></td><td class="n">{{ r.n }}</td></tr>
{% endfor %}</table>{% endif %}
{% if not d.findings %}<p>未发现问题。</p>{% endif %}
{% for f in d.findings %}
<article class="f sev-{{ f.severity }}" id="{{ f.id }}">
<div class="what">
<h3><a href="#{{ f.id }}">#{{ f.n }}</a> <span class="badge">{{ f.severity_zh }}</span>
 规则 {{ f.rule }} {{ f.title }}</h3>
<div class="meta">{% if f.where %}位置：{{ f.where }} · {% endif %}章节：{{ f.section }}</div>
<p>{{ f.message }}</p>
<div class="nums">{% for k, v in f.nums %}<span>{{ k }}：<b>{{ v }}</b></span>{% endfor %}</div>
{% if f.evidence %}<div class="meta">证据：
{%- for e in f.evidence %}<a href="#{{ e.id }}">证据{{ loop.index }}</a>{{ "" if loop.last else "、" }}{% endfor %}
</div>{% endif %}
</div>
<div class="quotes">
{% if f.quote %}<blockquote id="{{ f.id }}-src"><cite>原文 · {{ f.where }}</cite>{{ f.quote }}</blockquote>{% endif %}
{% for e in f.evidence %}<blockquote id="{{ e.id }}"><cite>证据{{ loop.index }} · {{ e.label }}
 <a href="#{{ f.id }}" title="返回问题">↩ #{{ f.n }}</a></cite>
{%- for q in e.quotes %}{% if not loop.first %}<br>{% endif %}{{ q }}{% endfor %}</blockquote>
{% endfor %}</div>
</article>
{% endfor %}
</section>
{% endfor %}
</body></html>
"""

_env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_tmpl = _env.from_string(_TEMPLATE)


def marked(text: str, span: Optional[tuple[int, int]], cls: str = "") -> Markup:
    """``text`` escaped, with ``span`` wrapped in <mark>."""
    if not span:
        return escape(text)
    a, b = span
    open_tag = Markup(f'<mark class="{cls}">') if cls else Markup("<mark>")
    return escape(text[:a]) + open_tag + escape(text[a:b]) + Markup("</mark>") + escape(text[b:])


def _evidence_view(doc: Document, idx: dict, f: Finding, e: Evidence, eid: str, shown) -> dict:
    """An evidence quote: its own text and the document line it points at (unless that line is already the
    finding's quote or the evidence text), with the cited cell (or the stated figure) marked."""
    if e.value is not None:
        value, cls = e.value, "ev"
    else:
        value, cls = f.stated, ""
    quotes = []
    texts = [e.text] if e.text else []
    blk = find_block(doc, e.prov, idx)
    if blk is not None and blk is not shown and blk.text and blk.text.strip() != (e.text or "").strip():
        texts.append(blk.text)
    for t in texts:
        span = (cell_span(doc, e, t) if e.table else None) or figure_span(t, value, doc, e.prov)
        quotes.append(marked(t, span, cls))
    cell = "／".join(x for x in (e.table, e.row, e.column) if x)
    label = f"{cell} = {num(e.value) if e.value is not None else '（空）'}" if cell else "原文"
    loc = where(e.prov)
    return {"id": eid, "label": f"{label} · {loc}" if loc else label, "quotes": quotes or [escape(evidence_label(e))]}


def _finding_view(doc: Document, idx: dict, f: Finding, n: int) -> dict:
    fid = f"f{n}"
    quote = None
    blk = find_block(doc, f.prov, idx)
    if blk is not None and blk.text:
        span = None
        for e in f.evidence:  # the finding points at a table row: mark the cited cell holding the stated figure
            if e.table and e.value == f.stated and find_block(doc, e.prov, idx) is blk:
                span = cell_span(doc, e, blk.text)
                if span:
                    break
        quote = marked(blk.text, span or figure_span(blk.text, f.stated, doc, f.prov))
    return {
        "id": fid, "n": n, "severity": f.severity, "severity_zh": SEVERITY_ZH.get(f.severity, f.severity),
        "rule": f.rule, "title": f.title, "message": f.message, "where": where(f.prov),
        "section": f.section or TABLE_SECTION, "quote": quote,
        "nums": [(k, num(v)) for k, v in (("陈述值", f.stated), ("应为", f.expected), ("容差", f.tolerance))
                 if v is not None],
        "evidence": [_evidence_view(doc, idx, f, e, f"{fid}-e{i}", blk) for i, e in enumerate(f.evidence, 1)],
    }


def _doc_view(r: AuditResult, di: int, start: int) -> dict:
    doc = r.doc
    idx = block_index(doc)
    fs = sorted_findings(r.findings)
    views = [_finding_view(doc, idx, f, start + i) for i, f in enumerate(fs, 1)]
    counts = Counter((f.rule, f.title, f.severity) for f in fs)
    first: dict = {}
    for f, v in zip(fs, views):
        first.setdefault((f.rule, f.title, f.severity), v["id"])
    rules = [{"rule": k[0], "title": k[1], "severity": k[2], "severity_zh": SEVERITY_ZH.get(k[2], k[2]),
              "n": n, "first": first[k]}
             for k, n in sorted(counts.items(), key=lambda kv: (severity_rank(kv[0][2]), -kv[1], kv[0][0]))]
    return {"id": f"doc{di}", "heading": doc_heading(r), "path": doc.source.path, "sha256": doc.source.sha256,
            "unit": doc.unit, "tables": len(doc.tables), "summary": summary_dict(r), "rules": rules,
            "findings": views}


@register("html")
def render_html(results: list[AuditResult]) -> str:
    """Findings are numbered across documents (f1, f2, …) so every anchor in the page is unique."""
    docs, start = [], 0
    for di, r in enumerate(results, 1):
        docs.append(_doc_view(r, di, start))
        start += len(r.findings)
    return _tmpl.render(css=Markup(_CSS), docs=docs)
