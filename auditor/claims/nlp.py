"""The NLP front end: spaCy ``blank("zh")`` with the jieba segmenter (offline, no model download) and a
rule-based sentencizer; jieba's user dictionary is built from lexicons/ so domain terms stay single tokens.

jieba's prefix dictionary is loaded once per process and cached on disk (``AUDITOR_CACHE`` or ~/.cache/auditor).
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from ..lexicons import load

SENT_END = ["。", "！", "？", "!", "?"]


def cache_dir() -> Path:
    d = Path(os.environ.get("AUDITOR_CACHE") or Path.home() / ".cache" / "auditor")
    d.mkdir(parents=True, exist_ok=True)
    return d


def domain_terms() -> list[str]:
    """Every synonym of every quantity in lexicons/quantities.toml, plus the table titles."""
    terms = {w for words in load("quantities")["subjects"].values() for w in words}
    for t in load("tables")["table"]:
        terms.add(t["title"])
    return sorted(terms)


@lru_cache(maxsize=1)
def get_nlp():
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir())
    jieba.dt.cache_file = "jieba.cache"
    for term in domain_terms():
        jieba.add_word(term, freq=2_000_000)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("sentencizer", config={"punct_chars": SENT_END})
    return nlp


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of a paragraph (spaCy sentencizer over jieba tokens)."""
    doc = get_nlp()(text)
    return [(s.start_char, s.end_char) for s in doc.sents]
