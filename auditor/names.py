"""File names as text: a name that is not valid UTF-8 (an archive copied from a GBK/Windows system) reaches Python
with its undecodable bytes as lone surrogates (``os.fsdecode``'s surrogateescape).  Such a string cannot be
encoded as UTF-8: printing it, writing it into JSON or HTML, or storing it in DuckDB fails.  ``text_name`` is the
one conversion every user-facing name goes through: each undecodable byte is written ``\\xNN`` (so the reader sees
that the name held a byte that is not text), every other character is kept.  The file itself is still opened by its
real name (the ``str``/``Path`` given); only what is shown, stored and written carries the escaped text.
"""
from __future__ import annotations

import os


def text_name(name: "str | os.PathLike | bytes") -> str:
    """The name as valid text: undecodable bytes (surrogates U+DC80–U+DCFF) as ``\\xNN``, any other lone surrogate
    as ``\\uXXXX``; a name that is valid text comes back unchanged."""
    s = os.fsdecode(name) if isinstance(name, bytes) else str(name)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    out = []
    for ch in s:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)
