"""Whether a read file is a 预算/决算 disclosure, or one part of one (lexicons/disclosure.toml).

Used by the pipeline to reject a 通知, an index page or a policy file with one clear line instead of auditing it.
"""
from __future__ import annotations

from typing import Optional

from .. import rx as re

from ..lexicons import load
from ..model import Document
from .tokens import squash


def _first_page_text(doc: Document, limit: int = 4) -> str:
    """The title of the file: the first short lines of its first page that prints words (not a bare page number)."""
    lines: list[str] = []
    page = None
    for b in doc.blocks:
        t = squash(b.text) if b.kind in ("text", "heading") else ""
        if not t or not _WORDS.search(t):
            continue
        if page is None:
            page = b.prov.page
        if b.prov.page != page or len(lines) >= limit or len(t) > 40:
            break
        lines.append(t)
    return "".join(lines)


_WORDS = re.compile(r"\p{Han}{2}")


def _sections(doc: Document, words) -> int:
    seen = set()
    for b in doc.blocks:
        if b.kind in ("text", "heading") and len(b.text) <= 60:
            t = squash(b.text)
            seen.update(w for w in words if w in t)
    return len(seen)


def not_disclosure_reason(doc: Document) -> Optional[str]:
    """None for a disclosure (or a part of one); else why it is not one, in Chinese."""
    lex = load("disclosure")
    types = {t.id.split(".")[0].split("_")[0] for t in doc.tables}
    if len(types) >= lex["min_table_types"]:
        return None
    head = _first_page_text(doc)
    kind = next((w for w in lex["other_kinds"] if w in head), None)
    if types:
        return None if kind is None else f"首页标题是{kind}，只识别到{len(types)}张表"
    opening = "".join(squash(b.text) for b in doc.blocks[:60] if b.kind in ("text", "heading") and len(b.text) <= 40)
    if any(w in opening for w in lex["titles"]) and kind is None \
            and _sections(doc, lex["sections"]) >= lex["min_sections"]:
        return None  # the narrative part of a disclosure whose tables are in another file
    return "未识别到任何标准表格" + (f"（首页标题是{kind}）" if kind else "")
