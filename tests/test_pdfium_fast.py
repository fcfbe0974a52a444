"""The compiled reader helper (auditor/read/_fast/) and the Python reader give the same characters, text objects,
ruling edges, lost-text counts and blanks, bit for bit: on every page of the bundled PDFs, of the seeds' renderings,
and of a drawn page with every kind of path, forms, rotated text and a rotated page; and the same tables, cell texts
and text lines on random rulings and characters placed on the decisions' boundaries.  The helper is built wherever a
C compiler is, and ``AUDITOR_PURE_PDF=1`` turns it off."""
import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from auditor.read import pdfium_page as P

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "corpus").rglob("*.pdf")) + sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))


def _compiler() -> bool:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc) is not None


def test_helper_is_built_where_a_compiler_is():
    if not _compiler():
        pytest.skip("no C compiler on this machine: the Python reader is used")
    assert P.compiled() is not None, "auditor.read._pdfium_fast was not built by the install"


def _drawn(path: Path) -> Path:
    """Lines, rectangles, a rounded rectangle (Béziers), closed and open polylines, a form XObject holding a ruled
    table and drawn twice at different places, text rotated by its matrix, an unembedded CJK font, a second page
    with /Rotate 90."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 10)
    c.line(50, 800, 300, 800)
    c.line(300, 780, 50, 780)  # drawn right to left
    c.line(60, 700, 60, 790)
    c.rect(320, 700, 100, 60)
    c.rect(320, 600, 100, 60, fill=1)
    c.roundRect(450, 700, 100, 60, 8)
    p = c.beginPath()
    p.moveTo(50, 650)
    p.lineTo(150, 650)
    p.lineTo(150, 600)
    p.lineTo(50, 600)
    p.close()
    p.moveTo(200, 650)
    p.lineTo(260, 650)
    p.lineTo(260, 620)
    p.lineTo(290, 610)  # a diagonal step: skipped
    p.lineTo(290, 600)
    p.moveTo(10, 10)
    p.curveTo(20, 30, 40, 30, 50, 10)
    c.drawPath(p)
    c.beginForm("table")
    for k in range(4):
        c.line(0, k * 20, 200, k * 20)
    for x in (0, 100, 200):
        c.line(x, 0, x, 60)
    c.setFont("STSong-Light", 9)
    c.drawString(5, 45, "项目")
    c.drawString(105, 45, "金额")
    c.drawString(5, 25, "一般公共预算拨款收入")
    c.drawString(105, 25, "585.49")
    c.endForm()
    c.saveState()
    c.translate(50, 400)
    c.doForm("table")
    c.restoreState()
    c.saveState()
    c.translate(300, 300)
    c.scale(1.5, 0.8)
    c.doForm("table")
    c.restoreState()
    c.drawString(50, 560, "合计 1,234.56 万元")
    c.drawString(50, 545, "务")
    c.saveState()
    c.translate(400, 200)
    c.rotate(30)
    c.drawString(0, 0, "旋转的文字 12.5%")
    c.restoreState()
    c.showPage()
    c.setPageRotation(90)
    c.setFont("STSong-Light", 10)
    c.rect(100, 100, 300, 200)
    c.line(100, 200, 400, 200)
    c.drawString(110, 250, "横向表格 一般公共预算")
    c.save()
    return path


def _key(c) -> tuple:
    return (type(c), c.text, c.x0, c.x1, c.top, c.bottom, c.size)


def _both(path: Path):
    fast = P.compiled()
    pdf = P.open_document(path.read_bytes())
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            top0 = P.origin_top(page)
            textpage = page.get_textpage()
            out = []
            for helper in (fast, None):
                P._COMPILED[:] = [helper]
                try:
                    text = P.page_chars(textpage, top0)
                    shapes = P.page_shapes(page, top0, text.objects)
                finally:
                    P._COMPILED[:] = [fast]
                out.append(([_key(c) for c in text.chars], text.objects,
                            [(type(e), *e) for e in shapes.edges], shapes.dropped_text,
                            [_key(c) for c in shapes.blanks]))
            textpage.close()
            page.close()
            yield i + 1, out[0], out[1]
    finally:
        pdf.close()


def _check_same(path: Path) -> int:
    pages = 0
    for n, fast, python in _both(path):
        assert fast == python, f"{path.name} page {n}: the compiled and the Python reader differ"
        pages += 1
    return pages


@pytest.fixture(scope="module")
def helper():
    if P.compiled() is None:
        pytest.skip("the compiled helper is not built here")
    return P.compiled()


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_same_page_content_as_the_python_reader(helper, path):
    assert _check_same(path) > 0


def test_same_on_a_drawn_page_with_every_kind_of_path(helper, tmp_path):
    path = _drawn(tmp_path / "drawn.pdf")
    assert _check_same(path) == 2
    n, fast, _ = next(_both(path))
    chars, _, edges, _, _ = fast
    assert {e[1] for e in edges} == {"h", "v"} and len(edges) > 30  # lines, rectangle sides, the forms' rulings
    assert any(c[3] == c[4] for c in chars) is False  # every character has a width
    assert "旋" in {c[1] for c in chars}  # the rotated text is read


_PURE = """
import json, sys
from auditor.read import pdfium_page
from auditor.read.pdf import read_pdf
_, blocks = read_pdf(sys.argv[1])
print(json.dumps({"compiled": pdfium_page.compiled() is not None,
                  "blocks": [[b.kind, b.text, b.prov.page, list(b.prov.bbox or ())] for b in blocks]}))
"""


def test_pure_python_switch_reads_the_same_blocks(tmp_path):
    import os

    path = _drawn(tmp_path / "drawn.pdf")
    runs = {}
    for pure in ("1", "0"):
        env = dict(os.environ, AUDITOR_PURE_PDF=pure)
        r = subprocess.run([sys.executable, "-c", _PURE, str(path)], capture_output=True, text=True, env=env,
                           cwd=ROOT, timeout=300)
        assert r.returncode == 0, r.stderr
        runs[pure] = json.loads(r.stdout)
    assert runs["1"]["compiled"] is False
    assert runs["0"]["compiled"] is (P.compiled() is not None)
    assert runs["1"]["blocks"] == runs["0"]["blocks"] and runs["1"]["blocks"]


def _table(widths: list[float], heights: list[float], merge: bool):
    from auditor.read.pdf_grid import GridTable, _rows

    xs = [10.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [20.0]
    for h in heights:
        ys.append(ys[-1] + h)
    cells = []
    for j in range(len(heights)):
        i = 0
        while i < len(widths):
            span = 2 if merge and j == 0 and i + 1 < len(widths) else 1  # the header row's cells span two columns
            cells.append((xs[i], ys[j], xs[i + span], ys[j + 1]))
            i += span
    return GridTable((xs[0], ys[0], xs[-1], ys[-1]), _rows(cells))


def test_cell_texts_match_the_python_code_on_random_cells(helper):
    """Characters scattered over a table (several lines and words in a cell, spaces of several kinds, multi-letter
    texts, overlaps, characters on the borders and outside, coordinates that are not finite): the same texts."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from auditor.read.pdf_grid import extract_text, fill_texts_py

    # coordinates on a 0.5 grid, so that centres fall on cell borders and gaps and top differences on the
    # tolerances (3.0) often; now and then one that is not finite
    texts = st.sampled_from(["收", "入", "1", ".", " ", "\u3000", "\xa0", "fi", "", "合计"])
    odd = st.sampled_from([float("nan"), float("inf")])

    @st.composite
    def cases(draw):
        widths = draw(st.lists(st.integers(5, 30).map(float), min_size=1, max_size=4))
        heights = draw(st.lists(st.integers(5, 30).map(float), min_size=1, max_size=4))
        table = _table(widths, heights, draw(st.booleans()))
        x0, top, x1, bottom = table.bbox

        def on_grid(lo: float, hi: float):  # a 0.5 grid: centres on borders, gaps and top steps on the tolerances
            g = st.integers(int(2 * lo), int(2 * hi)).map(lambda k: k / 2)
            return g

        chars = draw(st.lists(st.tuples(texts, on_grid(x0 - 5, x1 + 5), st.integers(0, 12).map(lambda k: k / 2),
                                        on_grid(top - 5, bottom + 5), st.integers(0, 28).map(lambda k: k / 2)),
                              min_size=20, max_size=80))
        chars = [P.Char(t, x, x + w, tp, tp + h, 10.0) for t, x, w, tp, h in chars]
        if draw(st.integers(0, 9)) == 0:  # one example in ten: a coordinate that is not finite
            setattr(chars[len(chars) // 2], draw(st.sampled_from(["x0", "top"])), draw(odd))
        return table, chars

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(cases())
    def run(case):
        table, chars = case
        fast = helper.fill_texts(table.bbox, table.rows, chars, extract_text)
        fill_texts_py(table, chars)
        assert fast == table.texts

    run()


def test_text_lines_match_the_python_code_on_random_characters(helper):
    """Characters on a 0.05 grid (tops that round alike or not, overlaps at half a line's height, equal x0s, gaps
    at 0.3 of a size, spaces of several kinds, multi-letter texts) and boxes around some: the same lines of the same
    characters in the same order, with the same texts and spans."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from auditor.read.pdf import _extent, _group_lines, _line_raw, _outside, _r

    def on_grid(lo: int, hi: int, step: float):
        g = st.integers(lo, hi).map(lambda k: k * step)
        return g

    # tops near a few printed lines, offset onto the decisions: half a line's height of overlap, round(top, 1)
    offsets = st.sampled_from([0.0, 0.0, 0.04, 0.05, 0.06, -0.05, 2.0, -2.0, 4.75, 5.0, 5.25, -4.75, -5.0, -5.25, 6.0])
    top = st.tuples(st.integers(0, 5), offsets).map(lambda t: t[0] * 12.0 + t[1])
    char = st.tuples(on_grid(0, 40, 2.5), st.integers(0, 8).map(lambda k: k / 2), top,
                     st.sampled_from([0.0, 0.05, 8.0, 10.0, 10.0, 10.0, 10.5, 12.0]),
                     st.sampled_from(["字", "字", "1", " ", "\u3000", "\xa0", "fi", "a "]),
                     st.sampled_from([5.0, 8.33, 10.0, 12.0]))  # gaps of 0.3 of a size fall on the 2.5 grid
    box = st.tuples(on_grid(0, 40, 2.5), on_grid(0, 40, 2.5), on_grid(0, 40, 0.5), on_grid(0, 40, 0.5))

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.lists(char, min_size=10, max_size=80), st.lists(box, max_size=3), st.integers(0, 9))
    def run(raw_chars, raw_boxes, odd):
        chars = [P.Char(t, x, x + w, top, top + h, size) for x, w, top, h, t, size in raw_chars]
        if odd == 0:  # one example in ten: a coordinate that is not finite (left to the Python code)
            chars[len(chars) // 2].top = float("nan")
        boxes = [(x, top, x + w, top + h) for x, w, top, h in raw_boxes]
        fast = helper.group_lines(chars, boxes, _group_lines)
        python = _group_lines(_outside(chars, boxes) if boxes else chars)
        assert [[id(c) for c in line] for line in fast] == [[id(c) for c in line] for line in python]
        with_text = helper.text_lines(chars, boxes, _group_lines)  # and each line's text and span
        assert repr([([id(c) for c in line], text, _r(span)) for line, text, span in with_text]) == \
            repr([([id(c) for c in line], _line_raw(line), _r(_extent(line))) for line in python])  # repr: nan == nan

    run()


def test_tables_match_the_python_code_on_random_rulings(helper):
    """Rulings of a few tables, jittered onto the tolerances (snapping and intersections within 3, joins less than 3
    apart, short pieces), some missing, some doubled, some broken in two: the same tables, cells and rows."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from auditor.read.pdf_grid import find_tables, find_tables_py

    jitter = st.sampled_from([0.0, 0.0, 0.0, 0.5, -0.5, 1.0, 2.5, 3.0, -3.0, 3.5, 6.0])
    gap = st.sampled_from([None, None, None, 0.0, 2.0, 3.0, 3.5, 10.0])  # a ruling broken in two, this far apart

    @st.composite
    def rulings(draw):
        edges = []
        for _ in range(draw(st.integers(1, 3))):
            x0, top = draw(st.integers(0, 20)) * 10.0, draw(st.integers(0, 20)) * 10.0
            xs = [x0]
            for _ in range(draw(st.integers(1, 4))):
                xs.append(xs[-1] + draw(st.sampled_from([2.0, 5.0, 20.0, 40.0])))
            ys = [top]
            for _ in range(draw(st.integers(1, 4))):
                ys.append(ys[-1] + draw(st.sampled_from([2.0, 5.0, 15.0])))
            lines = [("h", y, xs[0], xs[-1]) for y in ys] + [("v", x, ys[0], ys[-1]) for x in xs]
            for orient, pos, a, b in lines:
                if draw(st.integers(0, 7)) == 0:
                    continue  # a ruling missing
                pos += draw(jitter)
                a, b = a + draw(jitter), b - draw(jitter)
                g = draw(gap)
                if g is None or b - a < 10:
                    edges.append(P.Edge(orient, pos, a, b))
                else:
                    mid = (a + b) / 2
                    edges += [P.Edge(orient, pos, a, mid), P.Edge(orient, pos, mid + g, b)]
                if draw(st.integers(0, 9)) == 0:
                    edges.append(P.Edge(orient, pos + 0.25, a, b))  # drawn twice, nearly at the same place
                if draw(st.integers(0, 5)) == 0:  # a short piece, about the minimum lengths (1 and 3)
                    edges.append(P.Edge(orient, pos, a, a + draw(st.sampled_from([0.5, 1.0, 2.5, 3.0, 3.5]))))
        return draw(st.permutations(edges))

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(rulings())
    def run(edges):
        fast = [(t.bbox, t.rows) for t in find_tables(edges)]
        assert fast == [(t.bbox, t.rows) for t in find_tables_py(edges)]

    run()
    edges = [P.Edge("h", 10.0, 0.0, 50.0), P.Edge("v", float("nan"), 0.0, 50.0)]
    assert helper.find_tables(edges) is None  # left to the Python code
