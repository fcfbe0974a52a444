"""Reading PDF, DOCX and XLSX sources: grids with cell provenance, text lines, continued tables, and bad input."""
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.read import read_blocks
from auditor.read.pdf import cell_text, join_cjk, read_pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
PDF001 = FIXTURES / "001_6d6ee4970fc0bf0d.pdf"
ALL_PDFS = sorted(FIXTURES.glob("*.pdf"))


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@pytest.fixture(scope="module")
def pdf001():
    return read_pdf(PDF001)


def test_pdf_source_info(pdf001):
    info, blocks = pdf001
    assert info.format == "pdf" and info.encoding is None
    assert info.pages == 15
    assert len(info.sha256) == 64
    assert blocks and all(b.prov.page and 1 <= b.prov.page <= 15 for b in blocks)
    assert all(b.prov.bbox is not None for b in blocks)
    pages = [b.prov.page for b in blocks]
    assert pages == sorted(pages)  # reading order


def test_pdf_grid_cell_with_provenance(pdf001):
    _, blocks = pdf001
    grids = [b for b in blocks if b.kind == "grid"]
    assert len(grids) >= 9
    hits = [(g, row) for g in grids for row in g.grid if [c.text for c in row][3:6] == ["30231", "公务用车运行维护费", "2.45"]]
    assert len(hits) == 1
    g, row = hits[0]
    assert g.prov.page == 8
    cell = row[5]
    assert cell.prov.page == 8 and cell.prov.path == str(PDF001)
    x0, top, x1, bottom = cell.prov.bbox
    gx0, gtop, gx1, gbottom = g.prov.bbox
    assert gx0 <= x0 < x1 <= gx1 and gtop <= top < bottom <= gbottom
    assert all(len(r) == len(g.grid[0]) for r in g.grid)  # rectangular


def test_pdf_grids_are_rectangular_with_codes_in_one_cell(pdf001):
    _, blocks = pdf001
    cells = [c.text for b in blocks if b.kind == "grid" for r in b.grid for c in r]
    assert "2010101" in cells or any(c.startswith("201") and c.isdigit() for c in cells)
    assert not any("\n" in c for c in cells)


def test_pdf_text_lines_outside_tables(pdf001):
    _, blocks = pdf001
    texts = [b for b in blocks if b.kind == "text"]
    assert any(b.text == "六、一般公共预算财政拨款基本支出决算明细表" and b.prov.page == 1 for b in texts)
    line = next(b for b in texts if "公务用车运行支出 2.45 万元" in b.text)
    assert line.prov.page == 11
    # numbers printed in a table are not repeated as text lines
    assert not any(b.text.startswith("30231") for b in texts)


@pytest.mark.parametrize("pdf", ALL_PDFS, ids=lambda p: p.stem)
def test_every_fixture_reads(pdf):
    info, blocks = read_blocks(pdf)
    assert info.format == "pdf" and info.pages and blocks
    assert {b.kind for b in blocks} <= {"text", "grid"}


def test_text_helpers():
    assert join_cjk("因 公 出 国（境）费") == "因公出国（境）费"
    assert join_cjk("支出 2.45 万元") == "支出 2.45 万元"
    assert join_cjk("2024 年度 100.00%") == "2024 年度 100.00%"
    assert cell_text("一般公共预算财政\n拨款支出") == "一般公共预算财政拨款支出"
    assert cell_text("1,234\n.56") == "1,234.56"
    assert cell_text("20101\n01") == "2010101"
    assert cell_text(None) == "" and cell_text("  ") == ""


def test_repeated_header_on_continued_table_is_dropped(tmp_path):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from reportlab.lib.styles import ParagraphStyle

    font = _cjk_font()
    style = ParagraphStyle("b", fontName=font, fontSize=9, leading=12)
    rows = [["科目编码", "科目名称", "决算数"]] + [[f"2010{i:03d}", f"项目{i}", f"{i}.00"] for i in range(1, 121)]
    t = Table(rows, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), font)]))
    p = tmp_path / "long.pdf"
    SimpleDocTemplate(str(p), pagesize=A4).build([Paragraph("支出决算表", style), t])
    info, blocks = read_pdf(p)
    assert info.pages >= 2
    grids = [b for b in blocks if b.kind == "grid"]
    assert len(grids) == info.pages and [g.prov.page for g in grids] == list(range(1, info.pages + 1))
    assert [c.text for c in grids[0].grid[0]] == ["科目编码", "科目名称", "决算数"]
    for g in grids[1:]:
        assert [c.text for c in g.grid[0]] != ["科目编码", "科目名称", "决算数"]
    body = [[c.text for c in r] for g in grids for r in g.grid][1:]
    assert body == rows[1:]
    assert blocks[0].kind == "text" and blocks[0].text == "支出决算表"


def test_same_header_on_a_new_titled_table_is_kept(tmp_path):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = _cjk_font()
    style = ParagraphStyle("b", fontName=font, fontSize=9, leading=12)
    head = ["项目", "年初结转和结余", "本年收入"]

    def table(rows):
        t = Table([head] + rows)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), font)]))
        return t

    p = tmp_path / "two.pdf"
    SimpleDocTemplate(str(p)).build([
        Paragraph("政府性基金预算财政拨款收入支出决算表", style), table([["合计", "", ""]]), PageBreak(),
        Paragraph("国有资本经营预算财政拨款收入支出决算表", style), table([["合计", "", ""]]),
    ])
    _, blocks = read_pdf(p)
    grids = [b for b in blocks if b.kind == "grid"]
    assert [g.prov.page for g in grids] == [1, 2]
    assert [[c.text for c in r] for r in grids[1].grid] == [head, ["合计", "", ""]]


_ROWS = [["科目编码", "科目名称", "决算数"], ["2010101", "行政运行", "12.50"], ["2010102", "一般行政管理事务", "3.00"]]
_XS, _YS = [100, 200, 350, 450], [700, 680, 660, 640]


def _ruled(path, rule):
    """A three-row table whose ruling ``rule(canvas)`` draws (form XObject, thin filled rectangles, one path)."""
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    c = canvas.Canvas(str(path))
    rule(c)
    c.setFont(font, 10)
    for i, row in enumerate(_ROWS):
        for j, v in enumerate(row):
            c.drawString(_XS[j] + 3, _YS[i] - 14, v)
    c.save()
    return path


def _rule_in_form(c):
    c.beginForm("grid")
    c.lines([(x - 50, _YS[0] - 100, x - 50, _YS[-1] - 100) for x in _XS]
            + [(_XS[0] - 50, y - 100, _XS[-1] - 50, y - 100) for y in _YS])
    c.endForm()
    c.saveState()
    c.translate(50, 100)  # the form's matrix places it
    c.doForm("grid")
    c.restoreState()


def _rule_with_rectangles(c):
    for x0, y0, w, h in [(x - 0.25, _YS[-1], 0.5, _YS[0] - _YS[-1]) for x in _XS] + \
            [(_XS[0], y - 0.25, _XS[-1] - _XS[0], 0.5) for y in _YS]:
        c.rect(x0, y0, w, h, fill=1, stroke=0)


def _rule_with_one_path(c):
    p = c.beginPath()
    for x in _XS[1:-1]:
        p.moveTo(x, _YS[0])
        p.lineTo(x, _YS[-1])
    for y in _YS[1:-1]:
        p.moveTo(_XS[0], y)
        p.lineTo(_XS[-1], y)
    c.drawPath(p, stroke=1, fill=0)
    c.rect(_XS[0], _YS[-1], _XS[-1] - _XS[0], _YS[0] - _YS[-1], stroke=1, fill=0)


@pytest.mark.parametrize("rule", [_rule_in_form, _rule_with_rectangles, _rule_with_one_path], ids=lambda f: f.__name__)
def test_ruling_drawn_in_other_ways(tmp_path, rule):
    _, blocks = read_pdf(_ruled(tmp_path / "t.pdf", rule))
    assert [b.kind for b in blocks] == ["grid"]
    g = blocks[0]
    assert [[c.text for c in r] for r in g.grid] == _ROWS
    assert g.prov.bbox == (100.0, 141.89, 450.0, 201.89)  # page top is 841.89: 841.89 - 700
    assert g.grid[1][2].prov.bbox == (350.0, 161.89, 450.0, 181.89)


def test_fake_bold_doubles_are_dropped(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(p))
    c.drawString(100, 700, "Total 123.45")
    c.drawString(100.3, 700.2, "Total 123.45")  # the whole line again, a little offset
    t = c.beginText(100, 650)
    t.setFont("Helvetica", 12)
    t._code.append("[(T) 586 (T) (o) 531 (o) (t) 253 (t) (a) 531 (a) (l) 197 (l)] TJ")  # each letter twice
    c.drawText(t)
    c.save()
    _, blocks = read_pdf(p)
    assert [b.text for b in blocks] == ["Total 123.45", "Total"]


def test_spaced_out_cjk_is_rejoined(tmp_path):
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    p = tmp_path / "spaced.pdf"
    c = canvas.Canvas(str(p))
    t = c.beginText(100, 700)
    t.setFont(font, 12)
    t.setCharSpace(8)  # justified: wide gaps between the characters
    t.textOut("因公出国（境）费")
    t.setCharSpace(0)
    t.textOut(" 2.45 万元")
    c.drawText(t)
    c.save()
    _, blocks = read_pdf(p)
    assert [b.text for b in blocks] == ["因公出国（境）费 2.45 万元"]


def test_one_character_of_an_unembedded_cjk_font_is_kept(tmp_path):
    """A CJK font neither embedded nor installed gives PDFium no glyph boxes: a text object of one character is
    zero wide and left out of its text page; the reader must still have it (pdfminer reads such a page)."""
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    p = tmp_path / "wrap.pdf"
    c = canvas.Canvas(str(p))
    c.setFont(font, 10)
    c.drawString(100, 700, "政府办公厅（室）及相关机构事")
    c.drawString(100, 688, "务")  # the wrapped last character, alone
    c.drawString(100, 660, "合计 585.49")
    c.save()
    _, blocks = read_pdf(p)
    assert [b.text for b in blocks] == ["政府办公厅（室）及相关机构事", "务", "合计 585.49"]


def test_dedupe_chars_as_pdfplumber():
    from auditor.read.pdf_fallback import dedupe_chars
    from auditor.read.pdfium_page import Char

    def ch(t, x, top=100.0, size=10.0):
        return Char(t, x, x + 5, top, top + size, size)

    # "合计" drawn twice (0.3 pt to the right, 0.2 pt lower), then "合" again far away and in another size
    chars = [ch("合", 10), ch("计", 15), ch("合", 10.3, 100.2), ch("计", 15.3, 100.2), ch("合", 40), ch("合", 10, size=12)]
    kept = dedupe_chars(chars)
    assert [(c.text, c.x0, c.size) for c in kept] == [("合", 10, 10.0), ("计", 15, 10.0), ("合", 40, 10.0), ("合", 10, 12.0)]
    assert dedupe_chars([]) == []


def test_pages_pdfium_cannot_measure_are_read_by_pdfminer(tmp_path, monkeypatch):
    """Where no CJK font is installed, PDFium's text page loses such zero-wide objects: simulate the loss (a
    character gone, its text object unseen) and check that the page is read through pdfminer."""
    import auditor.read.pdf as reader
    from auditor.read.pdfium_page import PageShapes

    p = tmp_path / "wrap.pdf"
    test_one_character_of_an_unembedded_cjk_font_is_kept(tmp_path)
    real_chars, real_shapes = reader.page_chars, reader.page_shapes

    def lossy_chars(textpage, top):
        text = real_chars(textpage, top)
        text.chars = [c for c in text.chars if c.text != "务"]
        return text

    def lossy_shapes(page, top, seen):
        shapes = real_shapes(page, top, seen)
        return PageShapes(shapes.edges, shapes.dropped_text + 1)

    monkeypatch.setattr(reader, "page_chars", lossy_chars)
    monkeypatch.setattr(reader, "page_shapes", lossy_shapes)
    _, blocks = read_pdf(p)
    assert [b.text for b in blocks] == ["政府办公厅（室）及相关机构事", "务", "合计 585.49"]


def _expect_input_error(path, zh, en):
    with pytest.raises(InputError) as ei:
        read_blocks(path)
    assert ei.value.zh == zh and ei.value.en == en
    assert str(path) in str(ei.value)


def test_encrypted_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(p), encrypt="pw")
    c.drawString(100, 700, "secret 123")
    c.save()
    _expect_input_error(p, "PDF 已加密，无法读取", "encrypted PDF")


def test_truncated_pdf(tmp_path):
    p = tmp_path / "truncated.pdf"
    p.write_bytes(PDF001.read_bytes()[:1000])
    _expect_input_error(p, "PDF 文件已损坏或不完整", "broken or truncated PDF")


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    c.rect(100, 100, 200, 200, fill=1)
    c.save()
    _expect_input_error(p, "PDF 没有文字层（扫描件？），暂不支持 OCR", "PDF has no text layer (a scan?); OCR is not supported yet")


def test_docx_blocks_in_document_order(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("一、收入支出决算总体情况说明", level=1)
    d.add_paragraph("2024 年度收入总计 585.49 万元。")
    d.add_paragraph("")
    t = d.add_table(rows=2, cols=3)
    for i, row in enumerate([["项目", "本年", "上年"], ["合计", "927.71", "907.54"]]):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    d.add_paragraph("注：本表无数据。")
    p = tmp_path / "report.docx"
    d.save(p)
    info, blocks = read_blocks(p)
    assert info.format == "docx" and len(info.sha256) == 64
    assert [b.kind for b in blocks] == ["heading", "text", "grid", "text"]
    assert blocks[0].level == 1 and blocks[0].text == "一、收入支出决算总体情况说明"
    assert blocks[1].text == "2024 年度收入总计 585.49 万元。"
    assert [[c.text for c in r] for r in blocks[2].grid] == [["项目", "本年", "上年"], ["合计", "927.71", "907.54"]]
    assert blocks[2].grid[1][2].prov.path == str(p) and blocks[2].grid[1][2].prov.page is None


def test_broken_docx(tmp_path):
    p = tmp_path / "broken.docx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    _expect_input_error(p, "DOCX 文件已损坏或不是 Word 文件", "broken DOCX or not a Word file")


def test_xlsx_sheet_title_and_grid(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收入支出决算总表"
    ws.append(["收入支出决算总表"])
    ws.append([None, None, "单位：万元"])
    ws.append(["项目", "决算数", "行次"])
    ws.append(["一般公共预算财政拨款收入", 2940.05, 1])
    ws.append(["其他收入", 6.2, 2])
    ws.append(["合计", None, 3])
    p = tmp_path / "tables.xlsx"
    wb.save(p)
    info, blocks = read_blocks(p)
    assert info.format == "xlsx"
    assert [b.kind for b in blocks] == ["heading", "text", "text", "grid"]
    assert blocks[0].text == "收入支出决算总表"
    assert blocks[1].text == "收入支出决算总表" and blocks[1].prov.line == 1
    assert blocks[2].text == "单位：万元" and blocks[2].prov.line == 2
    grid = blocks[3].grid
    assert [[c.text for c in r] for r in grid] == [
        ["项目", "决算数", "行次"], ["一般公共预算财政拨款收入", "2940.05", "1"], ["其他收入", "6.20", "2"], ["合计", "", "3"]]
    assert grid[2][1].prov.line == 5 and grid[2][1].prov.page is None


def test_broken_xlsx(tmp_path):
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"this is not an excel file")
    _expect_input_error(p, "XLSX 文件已损坏或不是 Excel 文件", "broken XLSX or not an Excel file")


def _has_structure_stage() -> bool:
    try:
        from auditor.structure import build_document  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_structure_stage(), reason="auditor.structure.build_document not written yet (pipeline imports it)")
def test_cli_broken_pdf_is_one_line_exit_2(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(PDF001.read_bytes()[:1000])
    r = subprocess.run([sys.executable, "-m", "auditor", "tables", str(p)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    out = (r.stdout + r.stderr).strip()
    assert "Traceback" not in out
    assert len(out.splitlines()) == 1 and str(p) in out and "PDF 文件已损坏或不完整" in out


def _boxed_words_pdf(path):
    """Running text whose words a word processor drew in boxes (one box per word, a line of boxes cut before
    "、"), above a real table of one ruled row with a caption line."""
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    c = canvas.Canvas(str(path))
    c.setFont(font, 12)

    def boxed(x, y, words):
        for w in words:
            wd = c.stringWidth(w, font, 12) + 4
            c.rect(x, y - 4, wd, 18, stroke=1, fill=0)
            c.drawString(x + 2, y, w)
            x += wd
        return x

    c.drawString(80, 766, "（五）资产情况：截至年底单位价值50")
    x = boxed(80, 740, ["万元以上设备", "8", "台，其中"])
    c.drawString(x + 4, 740, "单位价值100万元以上设备15台。")
    boxed(80, 714, ["1", "、贯彻执行", "方针政策"])
    c.drawString(80, 688, "法规、规章。")
    c.drawString(80, 640, "表1 收支总表")
    xs = [80, 200, 320]
    for x0, x1 in zip(xs, xs[1:]):
        c.rect(x0, 600, x1 - x0, 20, stroke=1, fill=0)
    c.drawString(84, 606, "合计")
    c.drawString(204, 606, "458.50")
    c.save()
    return path


def test_word_boxes_in_running_text_are_read_as_text(tmp_path):
    _, blocks = read_pdf(_boxed_words_pdf(tmp_path / "boxed.pdf"))
    texts = [b.text.replace(" ", "") for b in blocks if b.kind == "text"]  # the boxes' padding reads as a space
    assert "万元以上设备8台，其中单位价值100万元以上设备15台。" in texts
    assert "1、贯彻执行方针政策" in texts
    grids = [b for b in blocks if b.kind == "grid"]
    assert [[c.text for c in r] for g in grids for r in g.grid] == [["合计", "458.50"]]
