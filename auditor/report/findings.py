"""`auditor check`: the discrepancy report — one renderer per format, registered in ``FINDING_RENDERERS``.

Formats: json (the machine contract, schema ``auditor.report/1``), text (terminal), md (for journalists),
csv (one row per finding, UTF-8 with BOM for Excel), html (one self-contained page, see ``report.html``)
and xlsx (reviewer workbook, see ``report.xlsx``). Every renderer takes ``list[AuditResult]``; findings are
always shown errors first, then warnings, then infos, each group in document order (page, then line).
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Callable, Optional

from ..model import AuditResult, Block, Claim, Document, Evidence, Finding, Provenance

SCHEMA = "auditor.report/1"
SEVERITIES = ("error", "warning", "info")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
TABLE_SECTION = "(表格)"  # heading for findings that belong to no narrative section

FINDING_RENDERERS: dict[str, Callable[..., str | bytes]] = {}


def register(fmt: str):
    def deco(fn):
        FINDING_RENDERERS[fmt] = fn
        return fn
    return deco


# --------------------------------------------------------------------------- shared helpers

def severity_rank(sev: str) -> int:
    return SEVERITIES.index(sev) if sev in SEVERITIES else len(SEVERITIES)


def _pos(p: Optional[Provenance]) -> tuple:
    inf = float("inf")
    if p is None:
        return (inf, inf)
    return (inf if p.page is None else p.page, inf if p.line is None else p.line)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then infos; within a severity in document order (page, line)."""
    return sorted(findings, key=lambda f: (severity_rank(f.severity), *_pos(f.prov)))


def where(p: Optional[Provenance]) -> str:
    """Chinese location: 第N页 第N行, or '' when unknown."""
    return "" if p is None or (p.line is None and p.page is None) else p.where()


def num(v: Optional[float]) -> str:
    """A figure for people: thousands separators, 2 decimals for money-like values, more only when needed."""
    if v is None:
        return ""
    v = float(v)
    if round(v, 2) == v:
        return f"{v:,.2f}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")


def evidence_label(e: Evidence) -> str:
    """One line quoting a piece of evidence: its text, or 表/行/列 = 值."""
    loc = where(e.prov)
    if e.table or e.row or e.column:
        cell = "／".join(x for x in (e.table, e.row, e.column) if x)
        s = f"{cell} = {num(e.value) if e.value is not None else '（空）'}"
        if e.text:
            s += f"「{e.text}」"
    else:
        s = f"「{e.text}」" if e.text else (num(e.value) or "")
    return f"{s}（{loc}）" if loc else s


def unique_evidence(f: Finding) -> list[Evidence]:
    """The finding's evidence without repeats (the same cell or the same quote at the same place cited twice)."""
    seen, out = set(), []
    for e in f.evidence:
        p = e.prov
        k = (p.line, p.page, p.bbox, e.table, e.row, e.column, e.value, e.text)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def evidence_joined(f: Finding) -> str:
    return "；".join(evidence_label(e) for e in unique_evidence(f))


def _decimals(v: float) -> int:
    s = num(v)
    return len(s) - s.index(".") - 1 if "." in s else 0


def expected_text(f: Finding) -> str:
    """The expected figure at the stated figure's precision (99.868 beside 99.87 is shown 99.87 only if that
    differs from the stated text; otherwise with the fewest more decimals that show the difference)."""
    if f.expected is None:
        return ""
    if f.stated is None:
        return num(f.expected)
    d = max(_decimals(f.stated), 2)
    stated = f"{f.stated:,.{d}f}"
    for places in range(d, 7):
        text = f"{f.expected:,.{places}f}"
        if text != stated or round(f.expected, places) == f.expected:
            return text.rstrip("0").rstrip(".") if places > d else text
    return num(f.expected)


def finding_nums(f: Finding) -> list[tuple[str, str]]:
    """(label, text) of the finding's figures: 陈述值, 应为, 容差 — those it has."""
    out = []
    if f.stated is not None:
        out.append(("陈述值", num(f.stated)))
    if f.expected is not None:
        out.append(("应为", expected_text(f)))
    if f.tolerance is not None:
        out.append(("容差", num(f.tolerance)))
    return out


def block_index(doc: Document) -> dict:
    """Look-up of document blocks by (line, page) and (page, bbox) for quoting the source."""
    idx: dict = {}
    for b in doc.blocks:
        p = b.prov
        if p.line is not None:
            idx.setdefault(("l", p.line, p.page), b)
        if p.bbox is not None:
            idx.setdefault(("b", p.page, p.bbox), b)
    return idx


def find_block(doc: Document, prov: Optional[Provenance], idx: Optional[dict] = None) -> Optional[Block]:
    """The block a provenance points at (same line and page, or same page and box; None for page-only)."""
    if prov is None:
        return None
    idx = block_index(doc) if idx is None else idx
    if prov.line is not None:
        b = idx.get(("l", prov.line, prov.page)) or idx.get(("l", prov.line, None))
        if b is not None:
            return b
    if prov.bbox is not None:
        b = idx.get(("b", prov.page, prov.bbox))
        if b is not None:
            return b
        x0, t0, x1, b0 = prov.bbox
        for blk in doc.blocks:  # a claim box inside a paragraph box
            bb = blk.prov.bbox
            if blk.prov.page == prov.page and bb and bb[0] <= x0 and bb[1] <= t0 and bb[2] >= x1 and bb[3] >= b0:
                return blk
    return None


_NUM = re.compile(r"-?\d[\d,，]*(?:\.\d+)?")


def figure_span(text: str, value: Optional[float], doc: Optional[Document] = None,
                prov: Optional[Provenance] = None) -> Optional[tuple[int, int]]:
    """Character span of the figure ``value`` in ``text``: a claim's raw text on that line first, else the first
    number equal to it."""
    if not text or value is None:
        return None
    if doc is not None and prov is not None:
        for c in doc.claims:
            if c.value is not None and abs(c.value - value) < 1e-9 and c.prov.line == prov.line \
                    and c.prov.page == prov.page and c.raw:
                m = re.search(r"(?<![\d.,])" + re.escape(c.raw.rstrip("%")) + r"(?![\d])", text)
                if m:  # the figure itself, not the same digits inside a longer number ("63" in "163%")
                    return m.span()
    for m in _NUM.finditer(text):
        try:
            v = float(m.group().replace(",", "").replace("，", ""))
        except ValueError:
            continue
        if abs(v - value) < 1e-9:
            return m.span()
    return None


def finding_dict(f: Finding) -> dict:
    p = f.prov
    return {
        "rule": f.rule, "title": f.title, "severity": f.severity, "message": f.message,
        "line": None if p is None else p.line, "page": None if p is None else p.page, "section": f.section,
        "stated": f.stated, "expected": f.expected, "tolerance": f.tolerance,
        "evidence": [{"line": e.prov.line, "page": e.prov.page, "table": e.table, "row": e.row,
                      "column": e.column, "value": e.value, "unit": e.unit, "text": e.text} for e in f.evidence],
    }


def claim_dict(c: Claim) -> dict:
    return {"id": c.id, "kind": c.kind, "value": c.value, "unit": c.unit, "raw": c.raw, "subject": c.subject,
            "subject_text": c.subject_text, "period": c.period, "polarity": c.polarity, "base": c.base,
            "word": c.word, "section": c.section, "sentence": c.sentence, "line": c.prov.line,
            "page": c.prov.page, "span": list(c.span)}


NOT_UNDERSTOOD_ZH = "文件有表格，但说明部分未能识别出任何数字陈述：说明与表格没有核对，没有发现问题不代表没有问题，请人工审阅说明"
NOT_UNDERSTOOD_EN = "the document has tables but no figure of its narrative was understood: the narrative was not checked"


def narrative_not_understood(r: AuditResult) -> bool:
    """Tables were read but the narrative yielded no claim: no finding does not mean no problem."""
    return bool(r.doc.tables) and not r.doc.claims


def no_findings_line(r: AuditResult) -> str:
    """What a report says in place of its findings when there are none."""
    return f"说明未能识别：{NOT_UNDERSTOOD_ZH}。" if narrative_not_understood(r) else "未发现问题。"


def summary_dict(r: AuditResult) -> dict:
    return {"errors": r.count("error"), "warnings": r.count("warning"), "infos": r.count("info"),
            "claims": len(r.doc.claims), "claims_checked": r.claims_checked,
            "narrative_understood": not narrative_not_understood(r)}


def result_dict(r: AuditResult) -> dict:
    d, s = r.doc, r.doc.source
    return {
        "schema": SCHEMA,
        "source": {"path": s.path, "sha256": s.sha256, "format": s.format, "pages": s.pages},
        "document": {"department": d.department, "year": d.year, "kind": d.kind, "unit": d.unit},
        "tables": [{"id": t.id, "title": t.title, "line": t.prov.line, "page": t.prov.page, "family": t.family,
                    "unit": t.unit} for t in d.tables],
        "claims": [claim_dict(c) for c in d.claims],
        "findings": [finding_dict(f) for f in sorted_findings(r.findings)],
        "summary": summary_dict(r),
    }


def doc_heading(r: AuditResult) -> str:
    d = r.doc
    return " ".join(str(x) for x in (d.department or "（未识别单位）", f"{d.year}年" if d.year else None, d.kind) if x)


def summary_line(r: AuditResult) -> str:
    s = summary_dict(r)
    return (f"错误 {s['errors']} 项，警告 {s['warnings']} 项，提示 {s['infos']} 项；"
            f"文中数字陈述 {s['claims']} 处，已核对 {s['claims_checked']} 处")


def grouped_by_section(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Sections in the order of their most severe, earliest finding; findings sorted inside each."""
    groups: dict[str, list[Finding]] = {}
    for f in sorted_findings(findings):
        groups.setdefault(f.section or TABLE_SECTION, []).append(f)
    return list(groups.items())


# --------------------------------------------------------------------------- json

@register("json")
def render_json(results: list[AuditResult]) -> str:
    data = [result_dict(r) for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=1)


# --------------------------------------------------------------------------- text

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan", "h": "bold", "dim": "dim"}


@register("text")
def render_text(results: list[AuditResult], color: bool = False) -> str:
    """Plain terminal report; ``color=True`` (the CLI passes it only when stdout is a TTY) adds ANSI styles via rich."""
    lines: list[tuple[str, Optional[str]]] = []
    add = lambda s, style=None: lines.append((s, style))  # noqa: E731
    for r in results:
        add(f"文件：{r.doc.source.path}", "h")
        add(f"单位：{doc_heading(r)}（金额单位：{r.doc.unit}）")
        add(f"小结：{summary_line(r)}", "h")
        if narrative_not_understood(r) and r.findings:
            add(f"注意：{NOT_UNDERSTOOD_ZH}。", "warning")
        if not r.findings:
            add(no_findings_line(r), "warning" if narrative_not_understood(r) else None)
        for section, fs in grouped_by_section(r.findings):
            add("")
            add(f"【{section}】", "h")
            for f in fs:
                loc = where(f.prov)
                add(f"  [{SEVERITY_ZH.get(f.severity, f.severity)}] 规则 {f.rule} {f.title}"
                    + (f"  位置：{loc}" if loc else ""), f.severity)
                add(f"    说明：{f.message}")
                nums = [f"{k}：{v}" for k, v in finding_nums(f)]
                if nums:
                    add("    " + "  ".join(nums))
                for i, e in enumerate(unique_evidence(f), 1):
                    add(f"    证据{i}：{evidence_label(e)}", "dim")
        add("")
    if not color:
        return "\n".join(s for s, _ in lines)
    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=True, color_system="standard", width=200, soft_wrap=True)
    for s, style in lines:
        con.print(Text(s, style=_STYLE.get(style or "", "")))
    return buf.getvalue()


# --------------------------------------------------------------------------- markdown

def _md(s) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return str("" if s is None else s).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


@register("md")
def render_md(results: list[AuditResult]) -> str:
    out: list[str] = ["# 预决算公开审核报告", ""]
    for r in results:
        s = summary_dict(r)
        out += [f"## {_md(doc_heading(r))}", "", f"文件：`{r.doc.source.path}`", "",
                "| 项目 | 数量 |", "| --- | ---: |",
                f"| 错误 | {s['errors']} |", f"| 警告 | {s['warnings']} |", f"| 提示 | {s['infos']} |",
                f"| 数字陈述 | {s['claims']} |", f"| 已核对 | {s['claims_checked']} |", ""]
        fs = sorted_findings(r.findings)
        if narrative_not_understood(r) and fs:
            out += [f"**注意：{NOT_UNDERSTOOD_ZH}。**", ""]
        if not fs:
            out += [no_findings_line(r), ""]
            continue
        out += ["### 问题清单", "", "| # | 级别 | 规则 | 标题 | 位置 | 章节 | 陈述值 | 应为 | 容差 | 说明 |",
                "| ---: | --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |"]
        for i, f in enumerate(fs, 1):
            out.append("| " + " | ".join(_md(x) for x in (
                i, SEVERITY_ZH.get(f.severity, f.severity), f.rule, f.title, where(f.prov), f.section or TABLE_SECTION,
                num(f.stated), expected_text(f), num(f.tolerance), f.message)) + " |")
        out += ["", "### 证据", ""]
        for i, f in enumerate(fs, 1):
            out.append(f"**{i}. [{SEVERITY_ZH.get(f.severity, f.severity)}] {_md(f.rule)} {_md(f.title)}**"
                       + (f"（{where(f.prov)}）" if where(f.prov) else ""))
            out.append("")
            out += [f"- {_md(evidence_label(e))}" for e in unique_evidence(f)] or ["- （无证据）"]
            out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- csv

CSV_HEADER = ["file", "rule", "title", "severity", "line", "page", "section", "stated", "expected", "tolerance",
              "message", "evidence"]


@register("csv")
def render_csv(results: list[AuditResult]) -> bytes:
    """One row per finding, UTF-8 with BOM (bytes, so Excel detects the encoding and no newline is translated)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER)
    blank = lambda v: "" if v is None else v  # noqa: E731
    for r in results:
        for f in sorted_findings(r.findings):
            p = f.prov
            w.writerow([r.doc.source.path, f.rule, f.title, f.severity, blank(p and p.line), blank(p and p.page),
                        f.section or "", blank(f.stated), blank(f.expected), blank(f.tolerance), f.message,
                        evidence_joined(f)])
    return buf.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- entry point

def render_findings(results: list[AuditResult], fmt: str, **opts) -> str | bytes:
    """Render the audit results in ``fmt`` (one of ``FINDING_RENDERERS``); ``opts`` go to the renderer (text: color)."""
    if fmt not in FINDING_RENDERERS:
        raise ValueError(f"未知的报告格式 unknown report format: {fmt} (可选 {', '.join(sorted(FINDING_RENDERERS))})")
    return FINDING_RENDERERS[fmt](results, **opts)


from . import html as _html, xlsx as _xlsx  # noqa: E402,F401  (register the html and xlsx renderers)
