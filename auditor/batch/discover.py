"""Find the supported documents under the folders of a batch, name them, and hash them."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..read import DOCUMENT_SUFFIXES, is_document_name
from .model import REPORT_SUFFIX


@dataclass(frozen=True)
class Found:
    path: str      # absolute
    rel: str       # root label + path relative to the root, "/"-separated: unique in the batch
    size: int


def discover(roots: list[str], exclude: list[str] = ()) -> list[Found]:
    """Every supported file under ``roots`` (files given directly count too), sorted by name; what
    auditor.read.is_document_name leaves out (hidden, Office lock and README files) and anything under ``exclude``
    (the output folder) are left out. A root that does not exist is an InputError."""
    skip = {os.path.realpath(e) for e in exclude}
    labels: set[str] = set()
    seen: set[str] = set()
    out: list[Found] = []
    for root in roots:
        p = Path(root)
        if not p.exists():
            raise InputError(root, "文件夹不存在", "folder not found")
        real = os.path.realpath(p)
        if p.is_file():
            files = [(real, p.name)]
        else:
            label = _unique(Path(real).name or "root", labels)
            files = [(f, f"{label}/{r}") for f, r in _walk(real, skip)]
        for f, rel in files:
            if f in seen or Path(f).suffix.lower() not in DOCUMENT_SUFFIXES:
                continue
            seen.add(f)
            try:
                out.append(Found(f, rel, os.path.getsize(f)))
            except OSError:
                continue  # vanished while we looked
    return sorted(out, key=lambda x: x.rel)


def _walk(root: str, skip: set[str]):
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith(".") and os.path.realpath(os.path.join(d, x)) not in skip)
        for name in sorted(files):
            if not is_document_name(name):  # hidden, lock and README files, unsupported formats
                continue
            f = os.path.join(d, name)
            if os.path.isfile(f):
                yield f, os.path.relpath(f, root).replace(os.sep, "/")


def _unique(label: str, used: set[str]) -> str:
    out, n = label, 2
    while out in used:
        out, n = f"{label}-{n}", n + 1
    used.add(out)
    return out


def report_name(rel: str, fmt: str) -> str:
    """The report of document ``rel`` in format ``fmt``, relative to the output folder: ``reports/<rel>.<ext>``
    (the source suffix stays in the name, so ``a.txt`` and ``a.pdf`` never collide)."""
    return f"reports/{rel}.{REPORT_SUFFIX[fmt]}"


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
