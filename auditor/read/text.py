"""Read text and markdown-like conversions into ordered blocks, whatever their encoding."""
from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from .. import rx as re

from .. import budget
from ..budget import OverBudget
from ..errors import InputError
from ..model import Block, Provenance, SourceInfo

_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_MARKUP = re.compile(r"</?b>|\*\*|</?strong>|&nbsp;")


def detect_encoding(data: bytes) -> str:
    """The encoding of a text file: BOMs first, then strict UTF-8, UTF-16 by its zero bytes, UTF-8 with a few bad
    bytes, GB18030, then a guess."""
    return decode(data)[1]


def decode(data: bytes) -> tuple[str, str, int]:
    """-> (text, encoding, number of undecodable byte sequences replaced by U+FFFD). A Unicode file (BOM, UTF-16 by
    its zero bytes, UTF-8) with a few bad bytes -- a stray byte from a conversion, an odd UTF-16 unit -- is read with
    them replaced and counted; many bad bytes mean another encoding. ValueError when nothing fits."""
    if data.startswith(codecs.BOM_UTF8):
        return _tolerant(data, "utf-8-sig", always=True)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _tolerant(data, "utf-16", always=True)
    sample = data[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without BOM: zero high bytes on the ASCII characters
        even = sample[0::2].count(b"\x00")
        odd = sample[1::2].count(b"\x00")
        return _tolerant(data, "utf-16-be" if even > odd else "utf-16-le", always=True)
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    got = _tolerant(data, "utf-8")
    if got is not None:
        return got
    try:
        return data.decode("gb18030"), "gb18030", 0
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("undetectable encoding")
    return _tolerant(data, best.encoding, always=True)


FEW_BAD = 64  # at most this many bad sequences, and at most one per hundred characters, are "a few"


def _tolerant(data: bytes, enc: str, always: bool = False):
    try:
        return data.decode(enc), enc, 0
    except UnicodeDecodeError:
        pass
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd") - data.decode(enc, errors="ignore").count("\ufffd")
    if always or (bad <= FEW_BAD and bad * 100 <= len(text)):
        return text, enc, bad
    return None


_PLAUSIBLE = re.compile(r"[\p{Han}\p{P}\p{S}\p{Zs}\x20-\x7e\t\r\n\f\u00b7\uff01-\uffee\u3000-\u303f]")


def looks_binary(data: bytes, text: str) -> bool:
    """Binary garbage decodes to control, replacement or implausible characters (any codec "succeeds" on it)."""
    sample = text[:20000]
    if not sample:
        return False
    plausible = len(_PLAUSIBLE.findall(sample))
    return plausible < 0.9 * len(sample)


def clean(s: str) -> str:
    return _MARKUP.sub("", s).replace("\u3000", " ").replace("\xa0", " ")


def read_text(path: str | Path) -> tuple[SourceInfo, list[Block]]:
    p = Path(path)
    data = p.read_bytes()
    if not data.strip():
        raise InputError(str(p), "文件为空", "the file is empty")
    try:
        text, enc, bad = decode(data)
    except (ValueError, UnicodeDecodeError, LookupError):
        raise InputError(str(p), "无法识别文本编码（可能是二进制文件，不是文本）", "cannot detect the text encoding (binary data, not text?)")
    if looks_binary(data, text):
        raise InputError(str(p), "文件内容不是文本（二进制数据）", "the file is binary data, not text")
    if bad * 100 > len(text):  # more than a few bad bytes: not this encoding, nor text
        raise InputError(str(p), "无法识别文本编码（可能是二进制文件，不是文本）",
                         "cannot detect the text encoding (binary data, not text?)")
    info = SourceInfo(path=str(p), format="text", encoding=enc, sha256=hashlib.sha256(data).hexdigest(),
                      replaced=bad)
    lines = text.count("\n") + 1
    budget.note(**{"行": lines})
    limit = budget.current().max_lines
    if lines > limit:
        raise OverBudget(str(p), f"文本超过 {limit} 行（{lines} 行）", f"more than {limit} lines ({lines})")
    return info, text_to_blocks(text, str(p))


def text_to_blocks(text: str, path: str) -> list[Block]:
    blocks: list[Block] = []
    for i, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        prov = Provenance(path=path, line=i)
        if "\t" in raw:
            cells = [clean(c).strip() for c in raw.rstrip("\r\n").split("\t")]
            blocks.append(Block("row", " ".join(c for c in cells if c), prov, cells=cells))
            continue
        m = _HEADING.match(raw.strip())
        if m:
            blocks.append(Block("heading", clean(m.group(2)).strip(), prov, level=len(m.group(1))))
            continue
        # keep a leading space: in flattened page text it marks a page break
        body = clean(raw.rstrip())
        blocks.append(Block("text", body, prov))
    return blocks
