"""Page images of a PDF source, rendered with pypdfium2 and cached as PNG files under DATA/cache/pages/<sha256>/.
PDFium is not thread-safe: every call holds one lock."""
from __future__ import annotations

import io
import os
import threading
from typing import Optional

SCALE = 1.5  # 108 dpi: cells of a dense table stay legible
_lock = threading.Lock()


class PageError(Exception):
    pass


def page_size(pdf_path: str, n: int) -> tuple[float, float]:
    """Width and height of page ``n`` (1-based) in PDF points."""
    import pypdfium2 as pdfium

    with _lock:
        pdf = pdfium.PdfDocument(pdf_path)
        try:
            if not 1 <= n <= len(pdf):
                raise PageError(f"page {n} out of range 1..{len(pdf)}")
            return tuple(pdf[n - 1].get_size())
        finally:
            pdf.close()


def page_png(pdf_path: str, sha256: str, n: int, cache_dir: str, scale: float = SCALE) -> str:
    """The cached PNG of page ``n`` (rendered on first use); -> its path. PageError for a page out of range."""
    import pypdfium2 as pdfium

    folder = os.path.join(cache_dir, sha256)
    out = os.path.join(folder, f"{n}@{scale:g}.png")
    if os.path.exists(out):
        return out
    with _lock:
        if os.path.exists(out):
            return out
        try:
            pdf = pdfium.PdfDocument(pdf_path)
        except (pdfium.PdfiumError, OSError) as e:
            raise PageError(f"cannot open the PDF ({e})")
        try:
            if not 1 <= n <= len(pdf):
                raise PageError(f"page {n} out of range 1..{len(pdf)}")
            image = pdf[n - 1].render(scale=scale).to_pil()
        finally:
            pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    os.makedirs(folder, exist_ok=True)
    tmp = out + f".{threading.get_ident()}.part"
    with open(tmp, "wb") as fh:
        fh.write(buf.getvalue())
    os.replace(tmp, out)
    return out


def sizes(pdf_path: str, pages: list[int]) -> dict[int, Optional[tuple[float, float]]]:
    out = {}
    for n in pages:
        try:
            out[n] = page_size(pdf_path, n)
        except Exception:  # an unreadable page: shown without its boxes
            out[n] = None
    return out
