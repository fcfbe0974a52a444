"""Stage 1, read: any supported file into ordered blocks with provenance."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Block, SourceInfo

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
    p = Path(path)
    if not p.exists():
        raise InputError(str(p), "文件不存在", "file not found")
    if p.is_dir():
        raise InputError(str(p), "这是一个目录，不是文件", "is a directory, not a file")
    try:
        head = p.open("rb").read(8)
    except OSError as e:
        raise InputError(str(p), f"无法读取文件（{e.strerror}）", f"cannot read the file ({e.strerror})")
    suffix = p.suffix.lower()
    if not head:
        raise InputError(str(p), "文件为空（0 字节）", "the file is empty (0 bytes)")
    if suffix in OLD_OFFICE_SUFFIXES:
        raise InputError(str(p), f"不支持旧版 Office 格式 {suffix}，请另存为 .docx / .xlsx 或 PDF 后再审核",
                         f"the old Office format {suffix} is not supported; save it as .docx / .xlsx or PDF")
    if suffix == ".pdf" and not head.startswith(b"%PDF"):
        kind = next((zh for magic, zh in MAGIC if head.startswith(magic)), None)
        raise InputError(str(p), f"不是 PDF 文件（扩展名为 .pdf，内容{'是' + kind if kind else '不是 PDF'}）",
                         "not a PDF file (the name ends in .pdf but the content is not a PDF)")
    if head.startswith(b"%PDF") or suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(p)
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(p)
    if suffix in (".xlsx", ".xlsm"):
        from .xlsx import read_xlsx

        return read_xlsx(p)
    from .text import read_text

    return read_text(p)
