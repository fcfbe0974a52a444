"""The cross-document (Y) rules over a batch: every document's stored facts (skipped documents' too) go through
``auditor.archive.check_archive``; the findings are stored (scope ``archive``), counted per document, and written
to OUTDIR/cross_document.json and cross_document.html (each finding cites both documents)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from jinja2 import Environment

from ..model import Finding
from ..store import Store
from ..store.rows import finding_rows
from .worker import crash_reason

SCHEMA = "auditor.cross/1"


@dataclass
class CrossResult:
    ran: bool
    documents: int = 0                                    # documents with facts that took part
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    note: Optional[str] = None                            # why the rules did not run (they crashed)

    def count(self, severity: str) -> int:
        return sum(1 for fs in self.findings.values() for f in fs if f.severity == severity)


def run_cross(store: Store, paths: list[str], outdir: Path) -> CrossResult:
    res = _check(store, paths)
    fs_rows, ev_rows, counts = [], [], {}
    for doc, fs in res.findings.items():
        f, e = finding_rows(doc, fs, "archive")
        fs_rows += f
        ev_rows += e
        counts[doc] = tuple(sum(1 for x in fs if x.severity == s) for s in ("error", "warning", "info"))
    store.replace_archive_findings(paths + [""], fs_rows, ev_rows, {d: c for d, c in counts.items() if d})
    docs = store.con.execute("SELECT path, rel, reports FROM documents").fetchall()
    _write(res, {p: rel for p, rel, _ in docs}, {p: json.loads(r or "{}") for p, _, r in docs}, outdir)
    return res


def _check(store: Store, paths: list[str]) -> CrossResult:
    facts: list = []
    try:
        from ..archive import check_archive
        from ..archive.facts import DocFacts

        facts = [DocFacts.from_dict(d) for d in store.facts(paths)]
        found = check_archive(facts)
    except Exception as e:  # the documents' own results stand whatever happens here
        return CrossResult(False, len(facts), note=f"跨文件规则出错 / cross-document rules failed: {crash_reason(e)}")
    return CrossResult(True, len(facts), {p: fs for p, fs in found.items() if fs})


def _finding_json(doc: str, rels: dict, f: Finding) -> dict:
    from ..report.findings import finding_dict

    d = finding_dict(f)
    d = {"doc": doc, "rel": rels.get(doc, doc), **d}
    for e, src in zip(d["evidence"], f.evidence):
        e["path"] = src.prov.path
        e["rel"] = rels.get(src.prov.path, src.prov.path)
    return d


def _write(res: CrossResult, rels: dict, reports: dict, outdir: Path) -> None:
    rank = {"error": 0, "warning": 1, "info": 2}
    items = sorted((_finding_json(doc, rels, f) for doc, fs in res.findings.items() for f in fs),
                   key=lambda d: (rank.get(d["severity"], 3), d["rel"], d["line"] or 0, d["rule"]))
    data = {"schema": SCHEMA, "ran": res.ran, "note": res.note, "documents": res.documents,
            "summary": {s: res.count(s) for s in ("error", "warning", "info")}, "findings": items}
    (outdir / "cross_document.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

    def link(path: str) -> Optional[str]:
        r = reports.get(path) or {}
        name = r.get("html") or r.get("json") or next(iter(r.values()), None)
        return quote(name) if name else None

    html = _ENV.from_string(_TEMPLATE).render(data=data, items=items, link=link, css=_CSS)
    (outdir / "cross_document.html").write_text(html, encoding="utf-8")


_ENV = Environment(autoescape=True)
_CSS = """body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:1200px;margin:0 auto;
padding:1em 2em;color:#222;line-height:1.55}h1{border-bottom:2px solid #444}
article{border-left:5px solid var(--c,#666);background:#fafafa;padding:.5em 1em;margin:1em 0}
.error{--c:#c62828}.warning{--c:#ef6c00}.info{--c:#1565c0}.badge{color:#fff;background:var(--c);border-radius:3px;
padding:0 .4em}ul{margin:.3em 0}.meta{color:#555}a{color:#1565c0}"""
_SEV = {"error": "错误", "warning": "警告", "info": "提示"}
_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>跨文件审核 cross-document findings</title>
<style>{{ css }}</style></head><body>
<h1>跨文件审核（Y 类规则）</h1>
<p class="meta">参与比对的文件 {{ data.documents }} 个 · 错误 {{ data.summary.error }} · 警告 {{ data.summary.warning }}
 · 提示 {{ data.summary.info }} · <a href="index.html">返回总览 overview</a></p>
{% if data.note %}<p><strong>{{ data.note }}</strong></p>{% endif %}
{% if not items %}<p>未发现跨文件问题 / no cross-document findings.</p>{% endif %}
{% for f in items %}<article class="{{ f.severity }}">
<h3><span class="badge">{{ sev.get(f.severity, f.severity) }}</span> {{ f.rule }} {{ f.title }}</h3>
<p class="meta">文件：{% if link(f.doc) %}<a href="{{ link(f.doc) }}">{{ f.rel }}</a>{% else %}{{ f.rel or "（全部）" }}{% endif %}
{% if f.line %} 第{{ f.line }}行{% endif %}{% if f.page %} 第{{ f.page }}页{% endif %}</p>
<p>{{ f.message }}</p>
{% if f.evidence %}<ul>{% for e in f.evidence %}<li>{% if link(e.path) %}<a href="{{ link(e.path) }}">{{ e.rel }}</a>{% else %}{{ e.rel }}{% endif %}
{% if e.page %} 第{{ e.page }}页{% endif %}{% if e.line %} 第{{ e.line }}行{% endif %}：
{% if e.table %}{{ e.table }}／{{ e.row }}／{{ e.column }} = {{ e.value }}{% endif %} {{ e.text }}</li>{% endfor %}</ul>{% endif %}
</article>{% endfor %}
</body></html>
"""
_ENV.globals["sev"] = _SEV
