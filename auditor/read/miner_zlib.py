"""pdfminer's recovery of a Flate stream whose checksum is damaged, giving the same bytes in linear time.

When ``zlib`` rejects a stream, pdfminer (``pdftypes.decompress_corrupted``) feeds it to a decompressor one byte at
a time and concatenates the output with ``+=``: quadratic in the output, so one damaged multi-megabyte font stream
in a PDF costs minutes (a bit-flipped PDF held the reader past its time budget this way, through the pdfminer
fallback).  Its rule is: an error inside the last three bytes (the checksum) is forgiven and the output so far is
returned; an error before them is raised.  ``decompress_corrupted`` below follows the same rule on the same input and
returns the same bytes: everything before the checksum is fed at once (zlib's output does not depend on how its input
is split, and any error there is one the byte loop would raise too), the last three bytes one at a time.
"""
from __future__ import annotations

import logging
import zlib

log = logging.getLogger(__name__)


def decompress_corrupted(data: bytes) -> bytes:
    d = zlib.decompressobj()
    head = max(len(data) - 3, 0)
    out = [d.decompress(data[:head])]  # zlib.error here is an error before the checksum: raised, as pdfminer does
    for i in range(head, len(data)):
        try:
            out.append(d.decompress(data[i:i + 1]))
        except zlib.error:
            log.warning("Data-loss while decompressing corrupted data")
            break
    return b"".join(out)


def install() -> None:
    """Make pdfminer use ``decompress_corrupted`` (it looks the function up in its module at each call)."""
    from pdfminer import pdftypes

    if pdftypes.decompress_corrupted is not decompress_corrupted:
        pdftypes.decompress_corrupted = decompress_corrupted
