"""Stage 3, claims: every figure stated in the narrative becomes a typed Claim with its subject and provenance.

text.py      narrative paragraphs with a char -> line/page map (sentences broken over lines and pages rejoined)
nlp.py       spaCy blank("zh") + jieba (user dictionary from lexicons/), sentence segmentation
subjects.py  term index (lexicons/quantities.toml + the document's own 科目 names), item headers, section context
extract.py   regex extractors: amounts, percentages (share / change / completion), counts, scores, grades, words
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex as re

from ..model import Claim, Document
from .extract import FIG, NonClaim, extract_sentence
from .nlp import sentence_spans
from .subjects import TermIndex
from .text import paragraphs, section_chain


@dataclass
class ClaimCoverage:
    numbers: int = 0
    in_claims: int = 0
    not_claims: int = 0
    unexplained: int = 0
    unexplained_examples: list[tuple[str, int | None, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"numbers": self.numbers, "in_claims": self.in_claims, "not_claims": self.not_claims,
                "unexplained": self.unexplained}


def extract_claims(doc: Document) -> tuple[list[Claim], ClaimCoverage]:
    index = TermIndex(doc)
    claims: list[Claim] = []
    cov = ClaimCoverage()
    item = None
    for para in paragraphs(doc):
        chain = section_chain(doc, para.block)
        titles = [s.title for s in chain]
        section_subject = index.section_subject(titles + ([para.text] if para.heading else []))
        code = index.item_code(para.text)
        if code:
            item = code
        elif para.heading or _new_item(para.text):
            item = None
        first = index.find(para.text[:40])
        context = {"item": item, "topic": first[0].subject if first else None, "section": section_subject}
        for s0, s1 in sentence_spans(para.text):
            sentence = para.text[s0:s1]
            found, non = extract_sentence(sentence, index, context)
            for c in found:
                c.prov = para.prov_at(s0 + c.span[0])
                c.section = titles[-1] if titles else None
                c.id = f"c{len(claims) + 1}"
                claims.append(c)
            n_fig = sum(1 for _ in FIG.finditer(sentence))
            cov.numbers += n_fig
            cov.in_claims += sum(1 for c in found if c.value is not None)
            for nc in non:
                if nc.reason == "unitless":
                    cov.unexplained += 1
                    cov.unexplained_examples.append((nc.value, para.prov_at(s0).line, sentence[:60]))
                else:
                    cov.not_claims += 1
    doc.claims = claims
    return claims, cov


_ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]+[)）])")


def _new_item(text: str) -> bool:
    return bool(_ITEM_START.match(text))


__all__ = ["extract_claims", "ClaimCoverage", "NonClaim"]
