"""The reader's PDFium calls in Python, one ctypes call at a time: ``pdfium_page.page_chars`` and ``page_shapes``
where the compiled helper ``_pdfium_fast`` is not built (or ``AUDITOR_PURE_PDF=1``).  The calls go through copies of
pypdfium2's raw functions without ctypes argument conversion (handles passed as ``c_void_p``): the same C
functions, three times cheaper to call than pypdfium2's own bindings.  ``auditor/read/_fast/page.c`` is this
module's logic in C; tests/test_pdfium_fast.py holds the two to the same output, bit for bit.
"""
from __future__ import annotations

import ctypes
import math

import pypdfium2.raw as raw

from .pdfium_page import (_BEZIERTO, _FORM, _LINETO, _MOVETO, _PATH, _SPACES, _TEXT, ASCENT, Char, Edge, PageShapes,
                          PageText, measures_cjk)

_tuple = tuple.__new__  # Edge(...) without its Python-level __new__: _tuple(Edge, (orient, pos, a, b))

class _Handle(ctypes.c_void_p):
    """A PDFium handle returned as is (a subclass of c_void_p is not turned into an int), so it can be passed back."""


def _fast(name: str, restype):
    f = getattr(raw, name)
    fast = type(f)(ctypes.cast(f, ctypes.c_void_p).value)  # same address and calling convention, no argtypes
    fast.restype = restype
    return fast


_c_int, _c_double, _c_ulong = ctypes.c_int, ctypes.c_double, ctypes.c_ulong
_loose_box = _fast("FPDFText_GetLooseCharBox", _c_int)
_char_origin = _fast("FPDFText_GetCharOrigin", _c_int)
_char_matrix = _fast("FPDFText_GetMatrix", _c_int)
_font_size = _fast("FPDFText_GetFontSize", _c_double)
_is_generated = _fast("FPDFText_IsGenerated", _c_int)
_text_object = _fast("FPDFText_GetTextObject", ctypes.c_void_p)
_count_objects = _fast("FPDFPage_CountObjects", _c_int)
_get_object = _fast("FPDFPage_GetObject", _Handle)
_form_count = _fast("FPDFFormObj_CountObjects", _c_int)
_form_object = _fast("FPDFFormObj_GetObject", _Handle)
_object_type = _fast("FPDFPageObj_GetType", _c_int)
_object_matrix = _fast("FPDFPageObj_GetMatrix", _c_int)
_object_bounds = _fast("FPDFPageObj_GetBounds", _c_int)
_count_segments = _fast("FPDFPath_CountSegments", _c_int)
_get_segment = _fast("FPDFPath_GetPathSegment", _Handle)
_segment_point = _fast("FPDFPathSegment_GetPoint", _c_int)
_segment_type = _fast("FPDFPathSegment_GetType", _c_int)
_segment_close = _fast("FPDFPathSegment_GetClose", _c_int)
_text_font = _fast("FPDFTextObj_GetFont", ctypes.c_void_p)
_font_embedded = _fast("FPDFFont_GetIsEmbedded", _c_int)
_object_font_size = _fast("FPDFTextObj_GetFontSize", _c_int)


def page_chars_py(tp: ctypes.c_void_p, text: str, origin_top: float) -> PageText:
    """``page_chars`` in Python, one ctypes call at a time (where the compiled helper is not built)."""
    out = PageText([])
    box, m = raw.FS_RECTF(), raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pbox, pm, pox, poy = ctypes.byref(box), ctypes.byref(m), ctypes.byref(ox), ctypes.byref(oy)
    loose, origin, text_object, generated = _loose_box, _char_origin, _text_object, _is_generated
    chars, objects = out.chars, out.objects
    append = chars.append
    obj, size, up, down, upright = None, 0.0, 0.0, 0.0, True
    prev = None
    for i, t in enumerate(text):
        if t in _SPACES and (t != " " or generated(tp, i)):
            continue
        o = text_object(tp, i)
        if o != obj:  # a new text object: its font size, scaled by its matrix
            obj = o
            objects.add(o)
            _char_matrix(tp, i, pm)
            upright = not (m.b or m.c)
            size = _font_size(tp, i) * (abs(m.d) if upright else math.hypot(m.c, m.d))
            up, down = ASCENT * size, (1 - ASCENT) * size
        loose(tp, i, pbox)
        if not upright:  # rotated or skewed: the box PDFium gives
            append(Char(t, box.left, box.right, origin_top - box.top, origin_top - box.bottom, size))
            prev = None
            continue
        origin(tp, i, pox, poy)
        base = origin_top - oy.value
        x0 = ox.value
        right = box.right
        c = Char(t, x0, right if right > x0 else x0, base - up, base + down, size)
        # PDFium may take a glyph's width from a substituted font: a character ends where the next of its run starts
        if prev is not None and prev.x0 < x0 < prev.x1 and -0.01 < prev.bottom - c.bottom < 0.01:
            prev.x1 = x0
        append(c)
        prev = c
    return out


class _PathReader:
    """Edges of the page's path objects (also inside form XObjects), in pdfplumber's order: lines, rectangle sides,
    polyline steps; and the text objects missing from the text page."""

    def __init__(self, origin_top: float, seen_text: set[int]):
        self.top = origin_top
        self.seen = seen_text
        self.lines: list[Edge] = []
        self.rects: list[Edge] = []
        self.curves: list[Edge] = []
        self.dropped = 0
        self._m = raw.FS_MATRIX()
        self._pm = ctypes.byref(self._m)
        self._fx, self._fy = ctypes.c_float(), ctypes.c_float()
        self._pxy = ctypes.byref(self._fx), ctypes.byref(self._fy)
        self._box = [ctypes.c_float() for _ in range(4)]
        self.blanks: list[Char] = []
        self._size = ctypes.c_float()
        self._psize = ctypes.byref(self._size)

    def walk(self, holder, count: int, get, parent: tuple | None) -> None:
        """The ``count`` objects ``get(holder, i)`` of a page or form object, ``parent`` the form's matrix."""
        seen = self.seen
        for i in range(count):
            obj = get(holder, i)
            if obj.value in seen:  # a text object the text page holds
                continue
            kind = _object_type(obj)
            if kind == _PATH:
                self._path(obj, parent)
            elif kind == _TEXT:
                self._unseen_text(obj, parent)
            elif kind == _FORM:
                self.walk(obj, _form_count(obj), _form_member, self._matrix(obj, parent))

    def _unseen_text(self, obj, parent: tuple | None) -> None:
        """A text object none of whose characters is in the text page: a duplicate PDFium dropped (fake bold), or
        one it measured as zero wide.  Zero wide, its glyphs have no outline: blank glyphs (a space, read as one, as
        pdfminer reads its characters) when the font is embedded, or when it is not but PDFium has a CJK font to
        substitute (``measures_cjk``); otherwise its font is neither embedded nor installed and its text is lost
        (counted in ``dropped``)."""
        b = self._box
        _object_bounds(obj, *(ctypes.byref(v) for v in b))
        if abs(b[2].value - b[0].value) >= 0.01:
            return
        font = _text_font(obj)
        if (font and _font_embedded(ctypes.c_void_p(font))) or measures_cjk():
            self._blank(obj, parent)
        else:
            self.dropped += 1

    def _blank(self, obj, parent: tuple | None) -> None:
        """A space at the object's origin, one font size high on its baseline (upright text only)."""
        a, b, c, d, e, f = self._matrix(obj, parent)
        if b or c:
            return
        fs = self._size
        _object_font_size(obj, self._psize)
        size = fs.value * abs(d)
        base = self.top - f
        self.blanks.append(Char(" ", e, e, base - ASCENT * size, base + (1 - ASCENT) * size, size))

    def _matrix(self, obj, parent: tuple | None) -> tuple:
        m = self._m
        _object_matrix(obj, self._pm)
        a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        if parent is not None:  # this object's matrix, then its form's
            pa, pb, pc, pd, pe, pf = parent
            a, b, c, d, e, f = (a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd,
                                e * pa + f * pc + pe, e * pb + f * pd + pf)
        return a, b, c, d, e, f

    def _path(self, obj, parent: tuple | None) -> None:
        n = _count_segments(obj)
        if n < 2:
            return
        if parent is None:
            m = self._m
            _object_matrix(obj, self._pm)
            a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        else:
            a, b, c, d, e, f = self._matrix(obj, parent)
        top, fx, fy = self.top, self._fx, self._fy
        px, py = self._pxy
        get_segment, segment_point = _get_segment, _segment_point
        if n == 2:  # the common case, one ruling line: m l (PDFium merges consecutive m's, and c needs three points)
            segment_point(get_segment(obj, 0), px, py)
            x, y = fx.value, fy.value
            x0, y0 = a * x + c * y + e, top - (b * x + d * y + f)
            segment_point(get_segment(obj, 1), px, py)
            x, y = fx.value, fy.value
            x1, y1 = a * x + c * y + e, top - (b * x + d * y + f)
            if y0 == y1:
                self.lines.append(_tuple(Edge, ("h", y0, x1, x0) if x1 < x0 else ("h", y0, x0, x1)))
            elif x0 == x1:
                self.lines.append(_tuple(Edge, ("v", x0, y1, y0) if y1 < y0 else ("v", x0, y0, y1)))
            return
        segment_type, segment_close = _segment_type, _segment_close
        shape: list[str] = []
        pts: list[tuple[float, float]] = []
        add_point, add_shape = pts.append, shape.append
        bez = 0
        for j in range(n):
            seg = get_segment(obj, j)
            kind = segment_type(seg)
            if kind == _LINETO:
                segment_point(seg, px, py)
                add_shape("l")
            elif kind == _MOVETO:
                if shape:
                    self._subpath("".join(shape), pts)
                    shape, pts = [], []
                    add_point, add_shape = pts.append, shape.append
                segment_point(seg, px, py)
                add_shape("m")
            else:
                if kind == _BEZIERTO:
                    bez += 1
                    if bez % 3:
                        continue  # a control point
                segment_point(seg, px, py)
                add_shape("c")
            x, y = fx.value, fy.value
            add_point((a * x + c * y + e, top - (b * x + d * y + f)))
            if segment_close(seg):
                add_shape("h")
                add_point(pts[0])
        if shape:
            self._subpath("".join(shape), pts)

    def _subpath(self, shape: str, pts: list[tuple[float, float]]) -> None:
        if not shape.startswith("m"):
            return
        if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-1]
        if shape in ("ml", "mlh"):
            (x0, y0), (x1, y1) = pts[0], pts[1]
            if y0 == y1:
                self.lines.append(Edge("h", y0, min(x0, x1), max(x0, x1)))
            elif x0 == x1:
                self.lines.append(Edge("v", x0, min(y0, y1), max(y0, y1)))
            return
        if shape in ("mlllh", "mllll") and pts[0] == pts[4]:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
            if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
                left, right, top, bottom = min(x0, x2), max(x0, x2), min(y0, y2), max(y0, y2)
                self.rects += [_tuple(Edge, ("h", top, left, right)), _tuple(Edge, ("h", bottom, left, right)),
                               _tuple(Edge, ("v", left, top, bottom)), _tuple(Edge, ("v", right, top, bottom))]
                return
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            if x0 == x1:
                self.curves.append(Edge("v", x0, min(y0, y1), max(y0, y1)))
            elif y0 == y1:
                self.curves.append(Edge("h", y0, min(x0, x1), max(x0, x1)))


def _form_member(form, j: int):
    return _form_object(form, _c_ulong(j))  # the index is an unsigned long


def page_shapes_py(page: ctypes.c_void_p, origin_top: float, seen_text: set[int]) -> PageShapes:
    """``page_shapes`` in Python."""
    reader = _PathReader(origin_top, seen_text)
    reader.walk(page, _count_objects(page), _get_object, None)
    return PageShapes(reader.lines + reader.rects + reader.curves, reader.dropped, reader.blanks)
