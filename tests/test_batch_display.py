"""What the batch shows while it runs and in its overview: the file at work, unknown identity fields shown as
未识别, no year bar for documents that could not be read, and a document whose narrative was not understood."""
from __future__ import annotations

import re

from auditor.batch.cross import CrossResult
from auditor.batch.overview import COLUMNS, index_html
from auditor.batch.progress import BatchProgress


def row(**kw) -> dict:
    d = {k: None for k, _ in COLUMNS}
    d.update(status="ok", errors=0, warnings=0, infos=0, cross_errors=0, cross_warnings=0, claims=10, tables=9,
             report="")
    d.update(kw)
    return d


def test_progress_names_the_file_at_work():
    bar = BatchProgress(3, enabled=False)
    assert bar.current == ""
    bar.sent(["a.pdf", "b.pdf", "c.pdf"])
    assert "a.pdf" in bar.current and "starting workers" in bar.current
    bar.add(audited=1, name="a.pdf")
    assert "b.pdf" in bar.current and "正在审核" in bar.current
    bar.add(audited=1, name="c.pdf")  # results may come back out of order
    assert "b.pdf" in bar.current
    bar.add(audited=1, name="b.pdf")
    assert bar.current == "" and bar.tally.done == 3


def test_overview_unknown_fields_failed_documents_and_unread_narratives():
    docs = [row(rel="a.txt", department="某局", year=2023, kind="决算", errors=2),
            row(rel="b.txt", department=None, year=None, kind=None, errors=1),
            row(rel="bad.pdf", status="input_error", error="不是 PDF 文件", tables=None, claims=None),
            row(rel="quiet.pdf", department="某委", year=2024, kind="预算", claims=0, tables=14)]
    html = index_html(docs, [("N01", "说明金额与表格不符", 3)], CrossResult(ran=True))
    svg_labels = re.findall(r'<text x="0" y="\d+">([^<]+)</text>', html)
    assert "年度未识别" in svg_labels and "未识别" not in svg_labels  # b.txt's errors; bad.pdf has no bar
    assert svg_labels.count("年度未识别") == 1
    b = re.search(r"<tr[^>]*>.*?b\.txt.*?</tr>", html, re.S).group(0)
    assert b.count('<span class="unknown">未识别</span>') == 3
    assert 'table.docs td.s{white-space:nowrap}' in html and '<td class="s">决算</td>' in html
    quiet = re.search(r"<tr[^>]*>.*?quiet\.pdf.*?</tr>", html, re.S).group(0)
    assert 'class="warn"' in quiet and "说明未识别" in quiet
    assert "说明未能识别的文件" in html
    a = re.search(r"<tr[^>]*>.*?a\.txt.*?</tr>", html, re.S).group(0)
    assert "说明未识别" not in a
