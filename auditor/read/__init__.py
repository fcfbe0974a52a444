"""Stage 1, read: any supported file into ordered blocks with provenance."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import budget
from ..errors import InputError
from ..model import Block, GridCell, SourceInfo
from ..names import text_name
from .normalise import normalise

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
DOCUMENT_SUFFIXES = {".txt", ".md", ".markdown", ".pdf", ".docx", ".xlsx", ".xlsm"}
OLD_OFFICE_SUFFIXES = {".doc", ".xls", ".wps", ".et", ".ppt"}   # binary formats no reader here understands
MAGIC = [(b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"), (b"PK\x03\x04", "ZIP/Office 文件"),
         (b"\xd0\xcf\x11\xe0", "旧版 Office 文件"), (b"<", "HTML/XML 文本"), (b"{\\rtf", "RTF 文本")]


def is_document_name(name: str) -> bool:
    """Whether a file found in a folder is taken as a document: a supported suffix, not hidden, not an Office lock
    file (``~$…``), not the folder's README."""
    return (Path(name).suffix.lower() in DOCUMENT_SUFFIXES and not name.startswith((".", "~$"))
            and not name.upper().startswith("README"))


def find_documents(paths) -> list[Path]:
    """Files as given, and every document under a folder (recursive, sorted; see is_document_name)."""
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and is_document_name(f.name)))
        else:
            out.append(p)
    return out


def read_blocks(path: str | Path) -> tuple[SourceInfo, list[Block]]:
    """Read any supported file -> (source, blocks): digits and signs normalised (auditor.read.normalise), the file
    name as text (auditor.names.text_name), within the size budget of auditor.budget (checked before reading)."""
    p = Path(path)
    name = text_name(str(p))
    budget.note("读取")
    info, blocks = _read(p, name)
    budget.note(**{"个文本块": len(blocks)})
    return _uniform(info, blocks, name)


def _read(p: Path, name: str) -> tuple[SourceInfo, list[Block]]:
    if not p.exists():
        raise InputError(name, "文件不存在", "file not found")
    if p.is_dir():
        raise InputError(name, "这是一个目录，不是文件", "is a directory, not a file")
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
        size = p.stat().st_size
    except OSError as e:
        raise InputError(name, f"无法读取文件（{e.strerror}）", f"cannot read the file ({e.strerror})")
    suffix = p.suffix.lower()
    if not head:
        raise InputError(name, "文件为空（0 字节）", "the file is empty (0 bytes)")
    if suffix in OLD_OFFICE_SUFFIXES:
        raise InputError(name, f"不支持旧版 Office 格式 {suffix}，请另存为 .docx / .xlsx 或 PDF 后再审核",
                         f"the old Office format {suffix} is not supported; save it as .docx / .xlsx or PDF")
    if suffix == ".pdf" and not head.startswith(b"%PDF"):
        kind = next((zh for magic, zh in MAGIC if head.startswith(magic)), None)
        raise InputError(name, f"不是 PDF 文件（扩展名为 .pdf，内容{'是' + kind if kind else '不是 PDF'}）",
                         "not a PDF file (the name ends in .pdf but the content is not a PDF)")
    b = budget.current()
    if head.startswith(b"%PDF") or suffix == ".pdf":
        budget.check_size(name, size, b.max_mb, "PDF 文件过大", "PDF file too large")
        from .pdf import read_pdf

        return read_pdf(p)
    if suffix in (".docx", ".xlsx", ".xlsm"):
        budget.check_size(name, size, b.max_mb, "文件过大", "file too large")
        if suffix == ".docx":
            from .docx import read_docx

            return read_docx(p)
        from .xlsx import read_xlsx

        return read_xlsx(p)
    budget.check_size(name, size, b.text_mb, "文本文件过大，不像单个预决算公开文件",
                      "text file too large for a single disclosure")
    from .text import read_text

    return read_text(p)


def _uniform(info: SourceInfo, blocks: list[Block], name: str) -> tuple[SourceInfo, list[Block]]:
    """Every block's text, cells and grid cells normalised; the name carried as text in the source and every
    provenance (a reader names its blocks by the path it opened)."""
    renamed = name != info.path
    if renamed:
        info = replace(info, path=name)
    out = []
    for blk in blocks:
        prov = replace(blk.prov, path=name) if renamed else blk.prov
        text = normalise(blk.text)
        cells = None if blk.cells is None else [normalise(c) for c in blk.cells]
        grid = None if blk.grid is None else [[_cell(c, renamed, name) for c in row] for row in blk.grid]
        if text is blk.text and prov is blk.prov and cells == blk.cells and grid == blk.grid:
            out.append(blk)
        else:
            out.append(replace(blk, text=text, prov=prov, cells=cells, grid=grid))
    return info, out


def _cell(c: GridCell, renamed: bool, name: str) -> GridCell:
    t = normalise(c.text)
    if t is c.text and not renamed:
        return c
    return GridCell(t, replace(c.prov, path=name) if renamed else c.prov)
