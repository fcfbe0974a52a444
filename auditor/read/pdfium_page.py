"""What one PDF page holds for the reader, read through pypdfium2's raw PDFium API: characters with their boxes and
the ruling edges (lines and rectangle sides) of its path objects.

Coordinates are PDF points with the origin at the top left of the media box (``top`` grows downwards), as in
pdfplumber.  A character's box spans its advance horizontally and one font size vertically, set on its baseline
(ascent 0.85, descent 0.15), so the characters of one printed line share top and bottom whatever their glyphs or fonts.
Edges follow pdfminer's reading of paths: a subpath ``m l`` is a line, an axis-aligned closed ``m l l l`` a rectangle
(four edges), anything else a polyline whose axis-aligned steps count; Bézier control points are skipped.

The per-character and per-segment calls (three or more a character, one or more a path segment) are made in C by
the compiled helper ``_pdfium_fast`` (``auditor/read/_fast/``, built at install, linking nothing: it gets the
addresses of pypdfium2's PDFium functions at run time); ``compiled`` says whether it is there.  Without it
``pdfium_py`` makes them in Python, one ctypes call at a time.  Both give the same characters and edges, bit for bit
(tests/test_pdfium_fast.py); the helper takes about a quarter of the time.
"""
from __future__ import annotations

import ctypes
import math
import os
from dataclasses import dataclass, field
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

ASCENT = 0.85
_SPACES = " \r\n"


_TEXT, _PATH, _FORM = raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
_MOVETO, _LINETO, _BEZIERTO = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_BEZIERTO


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


class Edge(NamedTuple):
    """A horizontal ("h": ``pos`` is its top, ``a``..``b`` its x range) or vertical ("v": ``pos`` is its x, ``a``..``b``
    its top..bottom) ruling edge (a named tuple: a page has thousands, and a frozen dataclass is slow to build)."""

    orient: str
    pos: float
    a: float
    b: float


@dataclass
class PageText:
    chars: list[Char]
    objects: set[int] = field(default_factory=set)  # addresses of the text objects the characters come from


@dataclass
class PageShapes:
    edges: list[Edge]
    dropped_text: int  # text objects of zero width whose text may be lost (a CJK font neither embedded nor installed)
    blanks: list[Char] = field(default_factory=list)  # a space where a text object draws blank glyphs only


class PdfOpenError(Exception):
    """The document cannot be opened; ``password`` when it is encrypted."""

    def __init__(self, password: bool):
        super().__init__("encrypted" if password else "broken")
        self.password = password


def open_document(source: str | bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(source)
    except pdfium.PdfiumError as e:
        raise PdfOpenError(getattr(e, "err_code", None) == raw.FPDF_ERR_PASSWORD) from None
    except Exception:
        raise PdfOpenError(False) from None


_MEASURES_CJK: list[bool] = []


def _probe_pdf() -> bytes:
    """A one-page PDF drawing one character (务) in Adobe's STSong-Light, a CJK font named but not embedded."""
    content = b"BT /F1 10 Tf 10 50 Td <52A1> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def measures_cjk() -> bool:
    """Whether PDFium can measure the glyphs of a CJK font that is not embedded: it finds a CJK font on this
    machine to substitute (Debian's fonts-noto-cjk, for instance).  Asked once per process, of a one-character
    probe: without such a font the character is zero wide and left out of the text page."""
    if not _MEASURES_CJK:
        try:
            pdf = pdfium.PdfDocument(_probe_pdf())
            try:
                page = pdf[0]
                textpage = page.get_textpage()
                _MEASURES_CJK.append(textpage.get_text_range() == "\u52a1")
                textpage.close()
                page.close()
            finally:
                pdf.close()
        except Exception:
            _MEASURES_CJK.append(False)
    return _MEASURES_CJK[0]


_FAST_NAMES = (  # the order _pdfium_fast.init takes them in
    "FPDFText_GetLooseCharBox", "FPDFText_GetCharOrigin", "FPDFText_GetMatrix", "FPDFText_GetFontSize",
    "FPDFText_IsGenerated", "FPDFText_GetTextObject", "FPDFPage_CountObjects", "FPDFPage_GetObject",
    "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix",
    "FPDFPageObj_GetBounds", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint",
    "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose", "FPDFTextObj_GetFont", "FPDFFont_GetIsEmbedded",
    "FPDFTextObj_GetFontSize",
)
_COMPILED: list = []


def compiled():
    """The compiled helper ``_pdfium_fast`` bound to pypdfium2's PDFium, or None: not built (no C compiler at
    install), or turned off by ``AUDITOR_PURE_PDF=1``.  Both readers give the same characters and edges."""
    if not _COMPILED:
        fast = None
        if os.environ.get("AUDITOR_PURE_PDF", "") in ("", "0"):
            try:
                from . import _pdfium_fast as fast

                fast.init(tuple(ctypes.cast(getattr(raw, name), ctypes.c_void_p).value for name in _FAST_NAMES),
                          Char, Edge, math.hypot, measures_cjk,
                          (_TEXT, _PATH, _FORM, _LINETO, _BEZIERTO, _MOVETO))
            except Exception:  # not built, or built for another interpreter: the Python reader
                fast = None
        _COMPILED.append(fast)
    return _COMPILED[0]


def origin_top(page: pdfium.PdfPage) -> float:
    """The y of the media box's top edge: page coordinates are turned into distances below it."""
    return float(page.get_mediabox()[3])


def page_chars(textpage: pdfium.PdfTextPage, origin_top: float) -> PageText:
    """The page's characters in content order; PDFium's generated spaces and line breaks are left out."""
    n = raw.FPDFText_CountChars(textpage.raw)
    if n <= 0:
        return PageText([])
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP take two UTF-16 units: one at a time
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n))
    if "\ufffe" in text:  # PDFium's mark for a hyphen ending a line: the hyphen printed
        text = text.replace("\ufffe", "-")
    fast = compiled()
    if fast is not None:
        chars, objects = fast.page_chars(ctypes.cast(textpage.raw, ctypes.c_void_p).value, text, origin_top)
        return PageText(chars, objects)
    from .pdfium_py import page_chars_py

    return page_chars_py(ctypes.cast(textpage.raw, ctypes.c_void_p), text, origin_top)


def page_shapes(page: pdfium.PdfPage, origin_top: float, seen_text: set[int]) -> PageShapes:
    """The page's ruling edges, and how many text objects its text page (``seen_text``) lost."""
    p = ctypes.cast(page.raw, ctypes.c_void_p)
    fast = compiled()
    if fast is not None:
        lines, rects, curves, dropped, blanks = fast.page_shapes(p.value, origin_top, seen_text)
        return PageShapes(lines + rects + curves, dropped, blanks)
    from .pdfium_py import page_shapes_py

    return page_shapes_py(p, origin_top, seen_text)


def derotate(chars: list[Char], edges: list[Edge], rotation: int, width: float, height: float):
    """Characters and edges of a page with /Rotate 90 or 270 in the coordinates of the page as displayed (a landscape
    table printed on a portrait media box reads left to right, not as reversed columns). ``width``: the x of the
    media box's right edge, ``height``: its height, both unrotated. Other rotations are returned as they are."""
    if rotation == 90:  # displayed x = distance from the media box's bottom, displayed top = x
        return ([Char(c.text, height - c.bottom, height - c.top, c.x0, c.x1, c.size) for c in chars],
                [Edge("v", height - e.pos, e.a, e.b) if e.orient == "h" else Edge("h", e.pos, height - e.b, height - e.a)
                 for e in edges])
    if rotation == 270:  # displayed x = distance from the media box's top, displayed top = width - x
        return ([Char(c.text, c.top, c.bottom, width - c.x1, width - c.x0, c.size) for c in chars],
                [Edge("v", e.pos, width - e.b, width - e.a) if e.orient == "h" else Edge("h", width - e.pos, e.a, e.b)
                 for e in edges])
    return chars, edges
