"""The NLP front end: spaCy ``blank("zh")`` with the jieba segmenter (offline, no model download) and a
rule-based sentencizer; jieba's user dictionary is built from lexicons/ so domain terms stay single tokens.

jieba's prefix dictionary is loaded once per process and cached on disk (``AUDITOR_CACHE`` or ~/.cache/auditor).
"""
from __future__ import annotations

import logging
import os
import unicodedata
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
    """Character spans of the sentences of a paragraph: spaCy's sentencizer over jieba's tokens, computed without
    them (``plain_sentence_spans``) unless jieba's grouping of characters could move a boundary."""
    spans = plain_sentence_spans(text)
    if spans is None:
        doc = get_nlp()(text)
        return [(s.start_char, s.end_char) for s in doc.sents]
    return spans


_ENDS = frozenset(SENT_END)
_JIEBA_WORD_PUNCT = frozenset("#&._%-")  # punctuation jieba keeps inside a word (its re_han: [\u4E00-\u9FD5a-zA-Z0-9+#&._%-])
_is_punct: dict[str, bool] = {}


def _punct(ch: str) -> bool:
    """spaCy's is_punct of a one-character token."""
    v = _is_punct.get(ch)
    if v is None:
        v = _is_punct[ch] = unicodedata.category(ch).startswith("P")
    return v


def plain_sentence_spans(text: str) -> list[tuple[int, int]] | None:
    """The spans spaCy's sentencizer gives over jieba's tokens, from the characters alone; None where they could
    differ.  jieba makes a token of every character outside its word class (so of every SENT_END character and every
    CJK punctuation mark) and spaCy a token of every whitespace run between two words but a single space following a
    word (that word's trailing space).  A sentence starts at the first token after a run of SENT_END tokens that is
    not punctuation; a word of jieba's could begin with punctuation it keeps inside words ("-1", ".5"): then None."""
    n = len(text)
    starts = [0]
    ends: list[int] = []  # the end of each sentence's last token (its trailing space excluded)
    seen_period = False
    last_end = 0  # end of the last non-whitespace character seen
    i = 0
    any_token = False
    while i < n:
        ch = text[i]
        if ch.isspace():  # a whitespace run: a token unless it is a single space after a word
            j = i
            while j < n and text[j].isspace():
                j += 1
            k = i + 1 if (ch == " " and any_token) else i
            if k < j:  # a token of its own (a run at the very end too)
                if seen_period:
                    ends.append(last_end)
                    starts.append(k)
                    seen_period = False
                last_end = j
                any_token = True
            i = j
            continue
        any_token = True
        if ch in _ENDS:
            seen_period = True
        elif seen_period:
            if ch in _JIEBA_WORD_PUNCT:
                return None
            if not _punct(ch):
                ends.append(last_end)
                starts.append(i)
                seen_period = False
        last_end = i + 1
        i += 1
    if not any_token:
        return []
    ends.append(last_end)
    return list(zip(starts, ends))
