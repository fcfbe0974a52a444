"""Stage 1, read: any supported file into ordered blocks with provenance."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..model import Block, SourceInfo

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
DOCUMENT_SUFFIXES = {".txt", ".md", ".markdown", ".pdf", ".docx", ".xlsx", ".xlsm"}


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
