"""Uploaded files: the type is sniffed from the bytes (never trusted from the name), the file is stored under a
generated name in the data folder, and the client's name is kept only as a cleaned display label."""
from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import uuid
import zipfile
from dataclasses import dataclass, replace
from typing import BinaryIO, Optional

SUFFIX = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "text": ".txt", "markdown": ".md"}
SNIFF_BYTES = 1 << 16
MAX_NAME = 200


@dataclass(frozen=True)
class Stored:
    path: str        # absolute, generated: DATA/uploads/<32 hex>.<suffix of the sniffed type>
    name: str        # display label from the client's name (cleaned)
    kind: str        # pdf | docx | xlsx | text | markdown
    size: int
    parts: tuple[str, ...] = ()   # the other files of its disclosure (auditor.web.grouping), audited with it
    part_of: Optional[str] = None  # the path of the file it is audited with


def display_name(client_name: Optional[str]) -> str:
    """The client's file name as a label: path parts kept (a folder upload names ``dir/a.pdf``) but without
    ``..``, ``.``, drive letters, control characters or leading slashes; at most 200 characters."""
    s = (client_name or "").replace("\\", "/")
    parts = [re.sub(r"[\x00-\x1f\x7f]", "", p).strip() for p in s.split("/")]
    parts = [p for p in parts if p and p not in (".", "..") and not re.fullmatch(r"[A-Za-z]:", p)]
    return "/".join(parts)[-MAX_NAME:] or "upload"


def sniff(fh: BinaryIO, name: str = "") -> Optional[str]:
    """The document type from the content: PDF header, an OOXML zip with a Word or Excel part, or text that decodes
    as UTF-8 or GB18030 without NUL bytes (Markdown when the name says so). None for anything else."""
    fh.seek(0)
    head = fh.read(SNIFF_BYTES)
    fh.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(fh).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fh.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if not head.strip() or b"\x00" in head:
        return None
    for enc in ("utf-8", "gb18030"):
        try:  # a multi-byte character cut at the end of the sniffed bytes is not an error (final=False)
            codecs.getincrementaldecoder(enc)().decode(head, final=len(head) < SNIFF_BYTES)
        except UnicodeDecodeError:
            continue
        return "markdown" if name.lower().endswith((".md", ".markdown")) else "text"
    return None


def wanted(client_name: Optional[str]) -> bool:
    """Files of a folder upload that are not documents (hidden, Office lock and README files) are left out, as
    ``auditor check`` leaves them out of a folder."""
    base = display_name(client_name).rsplit("/", 1)[-1]
    return not (base.startswith((".", "~$")) or base.upper().startswith("README"))


def store_upload(folder: str, fh: BinaryIO, client_name: Optional[str]) -> Optional[Stored]:
    """Copy an upload into ``folder`` under a generated name; None when its type is not a supported document."""
    name = display_name(client_name)
    kind = sniff(fh, name)
    if kind is None:
        return None
    os.makedirs(folder, exist_ok=True)
    token = uuid.uuid4().hex
    path = os.path.abspath(os.path.join(folder, token + SUFFIX[kind]))
    with open(path + ".part", "wb") as out:
        shutil.copyfileobj(fh, out, 1 << 20)
    os.replace(path + ".part", path)
    meta = {"name": name, "kind": kind}
    with open(os.path.join(folder, token + ".json"), "w", encoding="utf-8") as m:
        json.dump(meta, m, ensure_ascii=False)
    return Stored(path, name, kind, os.path.getsize(path))


def _meta_path(path: str) -> str:
    return os.path.splitext(path)[0] + ".json"


def mark_group(group: list[Stored]) -> list[Stored]:
    """Record in the uploads' metadata that they are audited as one document (first: the narrative), so that a
    restart queues them again together; -> the group with ``parts``/``part_of`` set."""
    head, rest = group[0], group[1:]
    out = [replace(head, parts=tuple(s.path for s in rest))] + [replace(s, part_of=head.path) for s in rest]
    for s in out:
        meta = {"name": s.name, "kind": s.kind, "parts": list(s.parts), "part_of": s.part_of}
        with open(_meta_path(s.path), "w", encoding="utf-8") as m:
            json.dump(meta, m, ensure_ascii=False)
    return out


def upload_name(path: str) -> str:
    """The display label of an upload kept at ``path`` (its file name when it has no metadata)."""
    try:
        with open(_meta_path(path), encoding="utf-8") as m:
            return str(json.load(m)["name"])
    except (OSError, ValueError, KeyError):
        return os.path.basename(path)


def stored_uploads(folder: str) -> list[Stored]:
    """Every upload kept in ``folder`` (for re-queueing after a restart), oldest first."""
    out = []
    if not os.path.isdir(folder):
        return out
    for f in sorted(os.scandir(folder), key=lambda e: e.stat().st_mtime):
        m = re.fullmatch(r"([0-9a-f]{32})\.json", f.name)
        if not m:
            continue
        try:
            meta = json.load(open(f.path, encoding="utf-8"))
            path = os.path.join(folder, m.group(1) + SUFFIX[meta["kind"]])
            out.append(Stored(os.path.abspath(path), meta["name"], meta["kind"], os.path.getsize(path),
                              tuple(meta.get("parts") or ()), meta.get("part_of")))
        except (OSError, ValueError, KeyError):
            continue
    return out


