"""Report stage: every `auditor check` format renders a real seed with hand-made findings correctly."""
from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path

import pytest

from auditor.model import AuditResult, Claim, Evidence, Finding, Provenance
from auditor.pipeline import load_document
from auditor.report.findings import FINDING_RENDERERS, render_findings

SEED = "corpus/seeds/001_6d6ee4970fc0bf0d.txt"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def doc(request):
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)  # keep the source path relative, as the CLI would print it
    try:
        return load_document(SEED)
    finally:
        os.chdir(cwd)


def _findings(path: str) -> list[Finding]:
    P = lambda line: Provenance(path, line=line)  # noqa: E731
    info = Finding("C900", "其他支出未在表中列示", "info", "说明中列出“其他支出 19.77 万元”，支出决算表无对应栏目。",
                   prov=P(408), stated=19.77, section="（三）支出决算情况说明",
                   evidence=[Evidence(P(408), text="其他支出 19.77 万元，占 2.12%")])
    warning = Finding("S210", "占比合计不等于100%", "warning", "各项支出占比合计 <script>alert(1)</script> 为 100.00%。",
                      prov=P(410), stated=100.0, expected=100.0, tolerance=0.02, section="（三）支出决算情况说明")
    error = Finding("T101", "文中数字与表格不符", "error", "基本支出：说明为 907.94 万元，支出决算表为 927.71 万元。",
                    prov=P(408), stated=907.94, expected=927.71, tolerance=0.005, section="（三）支出决算情况说明",
                    evidence=[Evidence(P(197), table="J03", row="合计", column="基本支出", value=927.71),
                              Evidence(P(408), text="基本支出 907.94 万元")])
    table_error = Finding("B001", "表内合计不等于明细之和", "error", "J03 合计行与明细不符。", prov=P(197),
                          stated=927.71, expected=920.0, tolerance=0.01,
                          evidence=[Evidence(P(197), table="J03", row="合计", column="本年支出合计", value=927.71)])
    return [info, warning, error, table_error]  # deliberately unsorted


@pytest.fixture(scope="module")
def result(doc):
    d = copy.copy(doc)
    d.claims = [Claim("amount", 907.94, "万元", "907.94", "基本支出 907.94 万元", Provenance(d.source.path, line=408),
                      span=(5, 11), subject="基本支出", subject_text="基本支出", period="本年", section="（三）", id="c1")]
    return AuditResult(d, _findings(d.source.path), claims_checked=1)


@pytest.fixture(scope="module")
def two(result, doc):
    return [result, AuditResult(doc, _findings(doc.source.path)[:1], claims_checked=0)]


SEV_ORDER = {"error": 0, "warning": 1, "info": 2}


def test_registry():
    assert set(FINDING_RENDERERS) == {"json", "text", "md", "csv", "html", "xlsx"}
    with pytest.raises(ValueError):
        render_findings([], "pdf")


def test_json_contract(result, two):
    data = json.loads(render_findings([result], "json"))
    assert isinstance(data, dict)
    assert set(data) == {"schema", "source", "document", "tables", "claims", "findings", "summary"}
    assert data["schema"] == "auditor.report/1"
    assert set(data["source"]) == {"path", "sha256", "format", "pages"}
    assert data["source"]["path"] == SEED and len(data["source"]["sha256"]) == 64
    assert set(data["document"]) == {"department", "year", "kind", "unit"}
    assert data["document"]["year"] == 2024 and data["document"]["kind"] == "决算"
    assert all(set(t) == {"id", "title", "line", "page", "family", "unit"} for t in data["tables"])
    assert "J03" in [t["id"] for t in data["tables"]]
    assert set(data["claims"][0]) == {"id", "kind", "value", "unit", "raw", "subject", "subject_text", "period",
                                      "polarity", "base", "word", "section", "sentence", "line", "page", "span"}
    assert data["claims"][0]["span"] == [5, 11]
    fs = data["findings"]
    assert all(set(f) == {"rule", "title", "severity", "message", "line", "page", "section", "stated", "expected",
                          "tolerance", "evidence"} for f in fs)
    assert all(set(e) == {"line", "page", "table", "row", "column", "value", "unit", "text"}
               for f in fs for e in f["evidence"])
    assert [f["rule"] for f in fs] == ["B001", "T101", "S210", "C900"]
    keys = [(SEV_ORDER[f["severity"]], f["line"]) for f in fs]
    assert keys == sorted(keys)
    err = fs[1]
    assert err["line"] == 408 and err["page"] is None and err["stated"] == 907.94 and err["expected"] == 927.71
    assert err["evidence"][0] == {"line": 197, "page": None, "table": "J03", "row": "合计", "column": "基本支出",
                                  "value": 927.71, "unit": None, "text": ""}
    assert data["summary"] == {"errors": 2, "warnings": 1, "infos": 1, "claims": 1, "claims_checked": 1,
                               "narrative_understood": True}
    many = json.loads(render_findings(two, "json"))
    assert isinstance(many, list) and len(many) == 2 and many[1]["summary"]["infos"] == 1


def test_text(result):
    out = render_findings([result], "text")
    assert "\x1b[" not in out  # plain unless asked
    assert SEED in out and "洛阳市孟津区政务服务和大数据管理局" in out and "2024" in out
    assert "错误 2 项" in out and "警告 1 项" in out and "提示 1 项" in out
    assert "【(表格)】" in out and "【（三）支出决算情况说明】" in out
    assert out.index("T101") < out.index("S210") < out.index("C900")
    assert "第408行" in out and "陈述值：907.94" in out and "应为：927.71" in out and "容差：0.005" in out
    assert "J03／合计／基本支出 = 927.71" in out and "「基本支出 907.94 万元」" in out
    coloured = render_findings([result], "text", color=True)
    assert "\x1b[" in coloured and "T101" in coloured


def test_md(result):
    out = render_findings([result], "md")
    assert re.search(r"^\| 项目 \| 数量 \|$", out, re.M) and "| --- |" in out
    rows = [ln for ln in out.splitlines() if re.match(r"^\| \d+ \|", ln)]
    assert len(rows) == 4 and "T101" in rows[1]
    assert all(ln.count(" | ") == 9 for ln in rows)  # no stray pipes break the table
    assert "- J03／合计／基本支出 = 927.71" in out


def test_csv(result, two):
    raw = render_findings([result], "csv")
    assert isinstance(raw, bytes) and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["file", "rule", "title", "severity", "line", "page", "section", "stated", "expected",
                       "tolerance", "message", "evidence"]
    assert len(rows) == 5 and [r[1] for r in rows[1:]] == ["B001", "T101", "S210", "C900"]
    t101 = rows[2]
    assert t101[0] == SEED and t101[4] == "408" and t101[5] == "" and float(t101[7]) == 907.94
    assert "J03／合计／基本支出" in t101[11]
    assert len(list(csv.reader(io.StringIO(render_findings(two, "csv").decode("utf-8-sig"))))) == 6


def test_html(result, two):
    out = render_findings([result], "html")
    assert out.startswith("<!DOCTYPE html>")
    assert "http://" not in out and "https://" not in out
    assert not re.search(r"<(script|link|img|iframe)\b", out, re.I)
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<mark>907.94</mark>" in out  # the stated figure in the quoted line 408
    for a in ("f1", "f2", "f3", "f4"):
        assert f'id="{a}"' in out
    # every internal link points at an existing anchor
    ids = set(re.findall(r'id="([^"]+)"', out))
    assert set(re.findall(r'href="#([^"]+)"', out)) <= ids
    # the document's own line is quoted
    line408 = next(b.text for b in result.doc.blocks if b.prov.line == 408)
    assert line408[:20] in out
    multi = render_findings(two, "html")
    ids = re.findall(r'id="([^"]+)"', multi)
    assert len(ids) == len(set(ids)) and 'id="doc2"' in multi and 'id="f5"' in multi


def _article(out: str, fid: str) -> str:
    return re.search(rf'<article [^>]*id="{fid}">(.*?)</article>', out, re.S).group(1)


def test_html_table_evidence_is_the_tables_grid(result):
    out = render_findings([result], "html")
    # f1 = B001 (table error): the 03 table's own grid, headers kept, the stated total red with what it should be
    b001 = _article(out, "f1")
    assert '<table class="tg">' in b001 and "<th>基本支出</th>" in b001 and "<th>本年支出合计</th>" in b001
    assert re.search(r'<td class="v stated">927.71<span class="note">应为 920.00</span></td>', b001)
    t03 = result.doc.table("J03")
    i = next(k for k, r in enumerate(t03.rows) if r.key == "合计")
    shown = re.findall(r'<tr class="[^"]*">(?:<td class="k">[^<]*</td>)?<td class="k">([^<]*)</td>', b001)
    want = [r.name or r.key for r in t03.rows[max(0, i - 2):i + 3]]
    assert shown == want  # the cited row and two rows either side, not the page's text
    assert "<blockquote" not in b001  # the table row's text dump is not quoted besides the grid
    # f2 = T101 (narrative vs table): the cell is what the figure should be (green), the narrative's figure noted
    t101 = _article(out, "f2")
    assert re.search(r'<td class="v expected">927.71<span class="note">[^<]*907.94</span></td>', t101)
    assert "<mark>907.94</mark>" in t101 and "stated" not in re.sub(r"<blockquote.*?</blockquote>", "", t101, flags=re.S)


def test_html_groups_by_severity_folds_hints_and_filters_by_rule(result):
    out = render_findings([result], "html")
    groups = re.findall(r'<details class="grp sev-(\w+)"( open)?>', out)
    assert groups == [("error", " open"), ("warning", " open"), ("info", "")]
    for code in ("B001", "T101", "S210", "C900"):
        assert f'id="doc1-r-{code}"' in out and f"#doc1:has(#doc1-r-{code}:checked) article.f:not(.r-{code})" in out
        assert f'class="f sev-' in out and f" r-{code}\"" in out
    assert re.search(r'<input type="radio" name="doc1-rule" id="doc1-r-all" checked>', out)


def test_evidence_repeated_is_shown_once(result):
    f = copy.deepcopy(result.findings[2])
    f.evidence = f.evidence + f.evidence
    r = AuditResult(result.doc, [f], claims_checked=1)
    assert render_findings([r], "text").count("证据3") == 0
    md = render_findings([r], "md")
    assert md.count("基本支出 907.94 万元") == 1


def test_expected_shown_at_the_stated_precision(result):
    from auditor.report.findings import expected_text

    f = copy.deepcopy(result.findings[2])
    f.stated, f.expected = 99.87, 99.8681
    assert expected_text(f) == "99.868"  # 99.87 would read as equal: one more decimal shows the difference
    f.stated, f.expected = 85.76, 85.4321
    assert expected_text(f) == "85.43"


def test_narrative_not_understood_is_not_a_clean_report(result):
    d = copy.copy(result.doc)
    d.claims = []
    r = AuditResult(d, [], claims_checked=0)
    for fmt in ("text", "md", "html"):
        out = render_findings([r], fmt)
        assert "未发现问题" not in out and "说明部分未能识别出任何数字陈述" in out
    assert json.loads(render_findings([r], "json"))["summary"]["narrative_understood"] is False
    d.tables = []  # no tables either: nothing was understood that could be checked; the usual line
    assert "未发现问题" in render_findings([AuditResult(d, [], claims_checked=0)], "text")


def test_xlsx(result, two):
    from openpyxl import load_workbook

    data = render_findings([result], "xlsx")
    assert isinstance(data, bytes)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "问题清单" and "J03" in wb.sheetnames
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == ["文件", "规则", "标题", "级别", "行", "页", "章节", "陈述值", "应为", "容差", "说明", "证据", "审核意见"]
    assert ws.max_row == 5 and ws.auto_filter.ref and ws.freeze_panes == "A2"
    assert [ws.cell(row=i, column=2).value for i in range(2, 6)] == ["B001", "T101", "S210", "C900"]
    assert ws.cell(row=3, column=4).value == "错误" and ws.cell(row=3, column=5).value == 408

    j03 = wb["J03"]
    cols = [c.value for c in j03[2]]
    row = next(r for r in j03.iter_rows(min_row=3) if r[0].value == "合计")
    filled = {cols[c.column - 1] for c in row if c.fill and c.fill.fill_type == "solid"}
    assert filled == {"基本支出", "本年支出合计"}
    assert row[cols.index("基本支出")].value == pytest.approx(927.71)
    others = [c for r in j03.iter_rows(min_row=3) if r[0].value != "合计" for c in r if c.fill.fill_type == "solid"]
    assert not others
    assert all(len(n) <= 31 for n in wb.sheetnames) and len(set(wb.sheetnames)) == len(wb.sheetnames)
    # cited cells coloured by severity, comments with the figures, the place, the message and the sentence
    total = row[cols.index("本年支出合计")]
    basic = row[cols.index("基本支出")]
    assert total.fill.fgColor.rgb.endswith("EF9A9A") and basic.fill.fgColor.rgb.endswith("EF9A9A")
    note = basic.comment.text
    assert "[错误] T101" in note and "陈述值 907.94" in note and "应为 927.71" in note and "第408行" in note
    assert "原文：「基本支出 907.94 万元」" in note
    info = copy.deepcopy(result.findings[0])
    info.evidence = [Evidence(Provenance(result.doc.source.path, line=197), table="J03", row="合计", column="基本支出")]
    wb3 = load_workbook(io.BytesIO(render_findings([AuditResult(result.doc, [info])], "xlsx")))
    c3 = next(r for r in wb3["J03"].iter_rows(min_row=3) if r[0].value == "合计")[cols.index("基本支出")]
    assert c3.fill.fgColor.rgb.endswith("90CAF9") and "[提示] C900" in c3.comment.text

    wb2 = load_workbook(io.BytesIO(render_findings(two, "xlsx")))
    assert wb2["问题清单"].max_row == 6 and "1-J03" in wb2.sheetnames and "2-J03" in wb2.sheetnames
