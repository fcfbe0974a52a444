"""The characters of a page through pdfminer (pdfplumber), for the pages PDFium cannot read completely.

PDFium's text page leaves out a text object it measures as zero wide.  That happens when a CJK font is neither
embedded in the PDF nor installed on the machine (reportlab's STSong-Light, Word's 宋体 left unembedded): with no
glyph boxes, a one-character object ("务" wrapped onto its own line in a cell) has no width and its text is lost.
pdfminer reads the character codes from the content stream whatever the fonts, so such a page takes its characters
from pdfminer; its ruling lines still come from PDFium.  Pages with embedded fonts never come here, nor does any
page on a machine with a CJK font PDFium can substitute (``pdfium_page.measures_cjk``): this is the fallback of a
machine without one.
"""
from __future__ import annotations

import io
from typing import Optional

from .pdfium_page import ASCENT, Char

DEDUPE_TOLERANCE = 1.0


class MinerChars:
    """Opened on first use, once per document."""

    def __init__(self, data: bytes):
        self._data = data
        self._pdf = None

    def page_chars(self, n: int, origin_top: float) -> Optional[list[Char]]:
        """Page ``n`` (1-based)'s characters in content order, boxed as ``page_chars`` boxes them and fake-bold
        doubles dropped (pdfminer keeps them); None when pdfminer cannot read the page either."""
        try:
            if self._pdf is None:
                import pdfplumber

                from .miner_zlib import install

                install()
                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            page = self._pdf.pages[n - 1]
            chars = page.chars
        except Exception:
            return None
        out: list[Char] = []
        for c in chars:
            text = c.get("text") or ""
            if not text:
                continue
            a, b, cc, d, e, f = c["matrix"]
            size = float(c["size"])
            if b or cc:  # rotated or skewed: the box pdfminer gives
                out.append(Char(text, float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]), size))
                continue
            base = origin_top - float(f)
            out.append(Char(text, float(e), float(c["x1"]), base - ASCENT * size, base + (1 - ASCENT) * size, size))
        try:
            page.flush_cache()
        except Exception:
            pass
        return dedupe_chars(out)

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except Exception:
                pass
            self._pdf = None


def _drop_doubles(group: list[tuple[float, int]], chars: list[Char], tol: float, drop: set[int]) -> None:
    """Within characters of one text, size and line (``group``: (x0, index)), those within ``tol`` of each other in
    x form a cluster; all but the first by position are dropped."""
    group.sort()
    cluster = [group[0][1]]
    for k in range(1, len(group) + 1):
        if k < len(group) and group[k][0] <= group[k - 1][0] + tol:
            cluster.append(group[k][1])
            continue
        if len(cluster) > 1:
            keep = min(cluster, key=lambda i: (chars[i].top, chars[i].x0, i))
            drop.update(i for i in cluster if i != keep)
        if k < len(group):
            cluster = [group[k][1]]


def dedupe_chars(chars: list[Char], tol: float = DEDUPE_TOLERANCE) -> list[Char]:
    """Drop characters drawn again at (almost) the same place with the same text and size (fake bold), keeping the
    first of each cluster by position; the order is kept (pdfplumber's dedupe_chars: tops chained within ``tol``,
    then x0s)."""
    order = sorted((c.text, c.size, c.top, c.x0, i) for i, c in enumerate(chars))
    drop: set[int] = set()
    run: list[tuple[float, int]] = []
    prev = None
    for text, size, top, x0, i in order:
        if prev is not None and text == prev[0] and size == prev[1] and top <= prev[2] + tol:
            run.append((x0, i))
        else:
            if len(run) > 1:
                _drop_doubles(run, chars, tol, drop)
            run = [(x0, i)]
        prev = (text, size, top)
    if len(run) > 1:
        _drop_doubles(run, chars, tol, drop)
    return [c for i, c in enumerate(chars) if i not in drop] if drop else chars
