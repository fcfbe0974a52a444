"""Stage 3, claims: every figure stated in the narrative becomes a typed Claim with its subject and provenance.

text.py      narrative paragraphs with a char -> line/page map (sentences broken over lines and pages rejoined)
nlp.py       spaCy blank("zh") + jieba (user dictionary from lexicons/), sentence segmentation
subjects.py  term index (lexicons/quantities.toml + the document's own 科目 names), item headers, section context
extract.py   regex extractors: amounts, percentages (share / change / completion), counts, scores, grades, words
nonclaims.py numbers that are not claims, classified (years, dates, item numbers, hotlines, thresholds, ...)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import rx as re

from ..model import Claim, Document
from .extract import extract_sentence
from .nonclaims import FIG, NonClaim
from .nlp import sentence_spans
from .scope import claim_scope
from .subjects import Term, TermIndex, fits, item_header
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
    """Every figure of the narrative as a typed claim (or a classified non-claim), with coverage counts.

    Context for figures that do not name their quantity: the enumerated item (…（类）…（款）…（项）), the topic (the
    quantity the previous sentences of the item or section were about, else the paragraph's first quantity) and the
    section. The topic follows sentences, not lines, so a paragraph broken over lines and pages reads the same; a bare
    amount takes only the item or the paragraph's own first quantity (see extract._from_context)."""
    index = TermIndex(doc)
    claims: list[Claim] = []
    cov = ClaimCoverage()
    item = topic = None
    for para in paragraphs(doc):
        chain = section_chain(doc, para.block)
        titles = [s.title for s in chain]
        section_subject = index.section_subject(titles + ([para.text] if para.heading else []))
        code = index.item_code(para.text)
        if code or para.heading or _new_item(para.text):
            item, topic = code, _heading_topic(index, para) if not code else None
        first = index.find(para.text[:40])
        hdr = item_header(para.text[:120])
        if hdr and (hdr.group(2) or hdr.group(3)) and hdr.start() < 40 and not code:
            # "（19）交通运输支出（类）其他交通运输支出（款）…（项）200.00万元": the figures are the 款/项's; its code
            # not resolved, they are about that item (no cell: unverifiable), not the 类 named first
            names = [(_LEAD.sub("", g), k) for g, k in zip(hdr.groups(), "类款项") if g]
            if all(n for n, _ in names):   # a template's blank "（类）（款）（项）" names nothing
                name = "".join(f"{n}（{k}）" for n, k in names)
                first = [Term(hdr.start(), hdr.end(), ("item:" + name,), hdr.group(0))]
        context = {"item": item, "section": section_subject}
        for s0, s1 in sentence_spans(para.text):
            sentence = para.text[s0:s1]
            context["para_topic"] = first[0].subject if first else None
            context["para_topic_at"] = first[0].start - s0 if first else 0
            context["topic"] = topic or context["para_topic"]
            context["topic_at"] = -1 if topic else context["para_topic_at"]
            found, non = extract_sentence(sentence, index, context)
            for k, c in enumerate(found):
                c.prov = para.prov_at(s0 + c.span[0])
                c.section = titles[-1] if titles else None
                c.id = f"c{len(claims) + 1}"
                c.scope = claim_scope(c, para.text[:s0], titles, found[:k])
                claims.append(c)
                if c.subject and c.kind in _TOPIC_KINDS and not c.subject.startswith("rate:"):
                    topic = c.subject
            # every number token is a claim's figure, a classified non-claim, or unexplained (also when dropped)
            n_fig = sum(1 for _ in FIG.finditer(sentence))
            n_claims = sum(1 for c in found if c.value is not None)
            n_classified = sum(1 for nc in non if nc.reason != "unitless")
            cov.numbers += n_fig
            cov.in_claims += n_claims
            cov.not_claims += n_classified
            cov.unexplained += n_fig - n_claims - n_classified
            cov.unexplained_examples += [(nc.value, para.prov_at(s0).line, sentence[:60])
                                         for nc in non if nc.reason == "unitless"]
    doc.claims = claims
    return claims, cov


_TOPIC_KINDS = ("amount", "change_amount", "change_pct", "completion", "share")


def sentence_claims(claims: list[Claim], c: Claim) -> list[Claim]:
    """The claims of ``c``'s printed sentence. A sentence may run over several lines and pages (its figures keep
    their own lines), so the line does not tell; the claims of one sentence are consecutive in ``claims``."""
    i = next(k for k, x in enumerate(claims) if x is c)
    lo, hi = i, i + 1
    while lo > 0 and claims[lo - 1].sentence == c.sentence:
        lo -= 1
    while hi < len(claims) and claims[hi].sentence == c.sentence:
        hi += 1
    return claims[lo:hi]


def same_sentence(claims: list[Claim], a: Claim, b: Claim) -> bool:
    """Whether two claims come from one printed sentence (see sentence_claims)."""
    return a.sentence == b.sentence and any(x is b for x in sentence_claims(claims, a))


_LEAD = re.compile(r"^[^\p{Han}]+|\s")   # "）交通运输支出" -> "交通运输支出"
_ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[①-⑳])")


def _heading_topic(index: TermIndex, para) -> str | None:
    """The quantity a numbered heading names and nothing else ("（一）因公出国（境）经费", "（二）公务接待费"): the topic
    of the paragraphs below it, so their unnamed changes and 持平 are that item's, not the section's 三公经费."""
    if not para.heading or not _new_item(para.text):
        return None
    name = _ITEM_START.sub("", para.text).strip(" ：:。")
    terms = index.find(name)
    if len(terms) != 1 or 2 * len(terms[0].text) < len(name):
        return None
    return next((sub for sub in terms[0].subjects if fits(sub, "amount")), None)


def _new_item(text: str) -> bool:
    return bool(_ITEM_START.match(text))


__all__ = ["extract_claims", "same_sentence", "sentence_claims", "ClaimCoverage", "NonClaim"]
