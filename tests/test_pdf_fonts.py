"""What PDFium leaves out of the printed text, or marks in it.  A text object of zero width is blank glyphs (read as
a space) when its font is embedded or a CJK font can be substituted; on a machine without a CJK font, the pages
whose CJK text PDFium loses are read by pdfminer.  A hyphen ending a line comes back as printed."""
import json
import subprocess
import sys
from pathlib import Path

from auditor.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
SEED_PDF = ROOT / "tests" / "fixtures" / "pdf" / "000_e75c8bca0de43ef5.pdf"  # STSong-Light, not embedded

# PDFium re-initialised with an empty font folder: the machine has no font to substitute for a missing one
_NO_SYSTEM_FONTS = """
import ctypes, json, sys
import pypdfium2.raw as raw
from pypdfium2 import _library_scope
from pypdfium2.internal import bases

_library_scope.destroy_lib()
folder = ctypes.cast(ctypes.c_char_p(sys.argv[1].encode()), ctypes.POINTER(ctypes.c_char))
paths = (ctypes.POINTER(ctypes.c_char) * 2)(folder, None)
raw.FPDF_InitLibraryWithConfig(raw.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=paths, m_pIsolate=None,
                                                       m_v8EmbedderSlot=0))
bases.LIBRARY_AVAILABLE = True

from auditor.read import pdf_fallback
from auditor.read.pdf import read_pdf
from auditor.read.pdfium_page import measures_cjk

mined = []
real = pdf_fallback.MinerChars.page_chars
def counted(self, n, top):
    mined.append(n)
    return real(self, n, top)
pdf_fallback.MinerChars.page_chars = counted
out = {"measures_cjk": measures_cjk(), "docs": []}
for p in sys.argv[2:]:
    _, blocks = read_pdf(p)
    out["docs"].append([[b.prov.page, b.text] for b in blocks])
out["mined"] = len(mined)
print(json.dumps(out))
"""


def _texts(path) -> list[list]:
    _, blocks = read_pdf(path)
    return [[b.prov.page, b.text] for b in blocks]


def _wrapped_char_pdf(path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 10)
    c.drawString(100, 700, "政府办公厅（室）及相关机构事")
    c.drawString(100, 688, "务")  # alone in its text object: zero wide when PDFium has no CJK glyphs
    c.drawString(100, 660, "合计 585.49")
    c.save()
    return path


def test_without_system_fonts_the_lost_pages_come_from_pdfminer_with_the_same_text(tmp_path):
    """The fallback path, run where PDFium finds no font at all: the probe says so, the pages with a lost CJK
    character are read by pdfminer, and the text is what this machine reads (with or without a CJK font)."""
    wrap = _wrapped_char_pdf(tmp_path / "wrap.pdf")
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    r = subprocess.run([sys.executable, "-c", _NO_SYSTEM_FONTS, str(empty), str(wrap), str(SEED_PDF)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["measures_cjk"] is False
    assert out["mined"] >= 2  # the wrapped character's page and at least one page of the seed
    assert out["docs"][0] == [[1, "政府办公厅（室）及相关机构事"], [1, "务"], [1, "合计 585.49"]]
    assert out["docs"][1] == _texts(SEED_PDF)


def test_blank_glyphs_of_an_embedded_font_leave_the_page_to_pdfium(tmp_path, monkeypatch):
    """A space drawn alone in an embedded font is zero wide too and left out of the text page, but nothing is lost:
    the page is not read again, and the object is read as the space it draws."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    import auditor.read.pdf_fallback as fallback
    from auditor.read.pdfium_page import open_document, origin_top, page_chars, page_shapes

    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # shipped with reportlab, embedded as a subset
    p = tmp_path / "space.pdf"
    c = canvas.Canvas(str(p))
    c.setFont("Vera", 10)
    c.drawString(100, 700, "Total")
    c.drawString(130, 700, " ")
    c.drawString(140, 700, "585.49")
    end = 100 + pdfmetrics.stringWidth("100", "Vera", 10)
    c.drawString(100, 680, "100")
    c.drawString(end, 680, " ")  # its own text object, as Word writes one
    c.drawString(end + 2.5, 680, "%")  # closer than a word gap: the space is the blank object's
    c.save()
    pdf = open_document(p.read_bytes())
    page = pdf[0]
    textpage = page.get_textpage()
    text = page_chars(textpage, origin_top(page))
    shapes = page_shapes(page, origin_top(page), text.objects)
    assert shapes.dropped_text == 0
    assert [(b.text, round(b.x0, 2)) for b in shapes.blanks] == [(" ", 130.0), (" ", round(end, 2))]
    textpage.close()
    page.close()
    pdf.close()

    def no_miner(self, n, top):
        raise AssertionError("the page went to pdfminer")

    monkeypatch.setattr(fallback.MinerChars, "page_chars", no_miner)
    _, blocks = read_pdf(p)
    assert [b.text for b in blocks] == ["Total 585.49", "100 %"]


def test_probe_predicts_what_pdfium_keeps(tmp_path):
    """The probe (one unembedded CJK character) says whether PDFium keeps a lone CJK character on this machine."""
    from auditor.read.pdfium_page import measures_cjk, open_document, origin_top, page_chars

    wrap = _wrapped_char_pdf(tmp_path / "wrap.pdf")
    pdf = open_document(wrap.read_bytes())
    page = pdf[0]
    textpage = page.get_textpage()
    kept = "务" in [c.text for c in page_chars(textpage, origin_top(page)).chars]
    textpage.close()
    page.close()
    pdf.close()
    assert kept == measures_cjk()


def test_a_hyphen_ending_a_line_is_read_as_printed(tmp_path):
    """PDFium's text page turns a hyphen at the end of a line into U+FFFE; the reader gives the hyphen back."""
    from reportlab.pdfgen import canvas

    p = tmp_path / "hyphen.pdf"
    c = canvas.Canvas(str(p))
    c.setFont("Helvetica", 10)
    c.drawString(100, 700, "polyethylene-")
    c.drawString(100, 688, "tetrafluoroethylene")
    c.save()
    _, blocks = read_pdf(p)
    assert [b.text for b in blocks] == ["polyethylene-", "tetrafluoroethylene"]
