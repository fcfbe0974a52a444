"""The pipeline, stage by stage: read -> structure (-> claims -> align -> checks -> report)."""
from __future__ import annotations

from pathlib import Path

from .model import Document
from .read import read_blocks


def load_document(path: str | Path) -> Document:
    from .structure import build_document

    info, blocks = read_blocks(path)
    return build_document(info, blocks)
