"""The narrative as paragraphs with a character -> source-line map, so a sentence broken over lines and pages
(flattened layouts) reads as one sentence and every figure still points at its own line/page."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Optional

from .. import rx as re

from ..model import Document, Provenance, Section
from ..structure.sections import heading_of

# a paragraph ends only where a sentence ends: a line of flattened text may break after "；" or "：" mid-paragraph
_TERMINAL = ("。", "！", "？", "!", "?")
# a numbered line that goes on with figures or a comma is an enumerated paragraph, not a heading:
# "（一）因公出国（境）费0.00万元，比上年预算数减少0.00" + "万元，下降0.00%，…"
_BODY = re.compile(r"[，,]|\d\s*(?:万元|元|%|％)")
# a page's printed number (3, - 3 -, 第3页, 3/12) on a line of its own at the page's foot or head: no text of the
# paragraph it interrupts ("…增长" + "3" + "17.31%…" is 增长17.31%, not 317.31%)
_FOLIO = re.compile(r"[-—－\s]*(?:第\s*)?\d{1,4}\s*页?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—－\s]*")


@dataclass
class Paragraph:
    text: str
    starts: list[int] = field(default_factory=list)   # char offset where each source piece starts
    provs: list[Provenance] = field(default_factory=list)
    block: int = 0                                     # index of its first block
    heading: bool = False

    def prov_at(self, offset: int) -> Provenance:
        i = max(0, bisect_right(self.starts, offset) - 1)
        return self.provs[i]


def _block_text(b) -> str:
    if b.kind == "row":
        return "，".join(c for c in (b.cells or []) if c)
    return b.text.strip()


def paragraphs(doc: Document, indexes: Optional[list[int]] = None) -> list[Paragraph]:
    out: list[Paragraph] = []
    cur: Optional[Paragraph] = None
    prev_i = None
    for i in (doc.narrative if indexes is None else indexes):
        b = doc.blocks[i]
        text = _block_text(b)
        if not text:
            continue
        if _FOLIO.fullmatch(text) and _page_edge(doc, i):
            prev_i = i if prev_i is not None and i == prev_i + 1 else prev_i
            continue
        h = heading_of(b)
        is_head = h is not None or b.kind in ("heading", "row")
        contiguous = prev_i is not None and i == prev_i + 1
        if cur is not None and not is_head and contiguous and not cur.heading and not cur.text.endswith(_TERMINAL):
            cur.starts.append(len(cur.text))
            cur.provs.append(b.prov)
            cur.text += text
        else:
            # a numbered item line ("5.卫生健康支出（类）…（款）事业单位" + "医疗（项）。…") runs on; real headings don't
            real_head = (b.kind == "heading" or (h is not None and h[0] <= 3)) and not _BODY.search(text)
            cur = Paragraph(text, [0], [b.prov], i, heading=real_head and len(text) < 40)
            out.append(cur)
        prev_i = i
    return out


def _page_edge(doc: Document, i: int) -> bool:
    """Block i is the last or the first block of its page."""
    page = doc.blocks[i].prov.page
    return page is not None and any(0 <= j < len(doc.blocks) and doc.blocks[j].prov.page != page
                                    for j in (i - 1, i + 1)) or i == len(doc.blocks) - 1


def section_chain(doc: Document, block: int) -> list[Section]:
    return sorted(doc.section_of(block), key=lambda s: s.level)
