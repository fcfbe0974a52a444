"""Property-based tests (hypothesis) over the readers, the normalisation and the claim extractors: whatever the
input, a result or one clean InputError, never another exception. A short run here (CI); the long run is
bench/fuzz.py."""
from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.budget import Budget
from auditor.errors import InputError
from auditor.names import text_name
from auditor.read import read_blocks
from auditor.read.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "corpus" / "seeds").glob("001_*.txt"))
SHORT = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))

DIGITS = "0123456789"
FULL = "０１２３４５６７８９"
NUMERIC = st.text(alphabet=DIGITS + ".,-%万元收入支出减少增长 （）\t", max_size=40)
DOMAIN = st.text(alphabet=st.sampled_from(list(DIGITS + FULL + ".,，。、%％万元亿（）()-−–—:：\x00\u200b \t")
                                          + list("收入支出合计一般公共预算财政拨款基本项目经费比上年增加减少下降增长占完成年初")),
                 max_size=120)


@SHORT
@given(st.text(max_size=200))
def test_normalise_is_idempotent(s):
    once = normalise(s)
    assert normalise(once) == once


@SHORT
@given(NUMERIC)
def test_fullwidth_digits_read_as_ascii(s):
    assert normalise(s.translate(str.maketrans(DIGITS, FULL))) == normalise(s)


@SHORT
@given(st.text(max_size=80))
def test_text_name_is_always_text(s):
    out = text_name(s)
    out.encode("utf-8")
    try:
        s.encode("utf-8")
        assert out == s
    except UnicodeEncodeError:
        assert out != s


@SHORT
@given(st.binary(max_size=200))
def test_text_name_of_any_file_name_bytes(b):
    text_name(os.fsdecode(b.replace(b"\x00", b"") or b"x")).encode("utf-8")


@pytest.mark.parametrize("suffix", [".txt", ".pdf", ".docx", ".xlsx"])
def test_any_bytes_read_or_refused_cleanly(tmp_path, suffix):
    @SHORT
    @given(st.binary(max_size=4000))
    def check(data):
        p = tmp_path / f"x{suffix}"
        p.write_bytes(data)
        try:
            info, blocks = read_blocks(p)
        except InputError as e:
            str(e).encode("utf-8")
            return
        for b in blocks:
            b.text.encode("utf-8")

    check()


def test_text_mutations_read_or_refused_cleanly(tmp_path):
    base = SEED.read_bytes()

    @SHORT
    @given(st.integers(0, len(base)), st.integers(0, 400), st.binary(max_size=16),
           st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-16-le"]))
    def check(at, cut, junk, enc):
        data = base.decode("utf-8").encode(enc)
        data = data[:at] + junk + data[at + cut:]
        p = tmp_path / "m.txt"
        p.write_bytes(data)
        try:
            read_blocks(p)
        except InputError:
            pass

    check()


@pytest.fixture(scope="module")
def seed_doc():
    from auditor.pipeline import load_document

    return load_document(SEED)


def test_claim_extraction_survives_any_sentence(seed_doc):
    from auditor.claims import extract_claims
    from auditor.model import Block

    target = seed_doc.narrative[len(seed_doc.narrative) // 2]

    @SHORT
    @given(DOMAIN)
    def check(text):
        doc = copy.copy(seed_doc)
        doc.blocks = list(seed_doc.blocks)
        old = doc.blocks[target]
        doc.blocks[target] = Block(old.kind, normalise(text), old.prov, old.level)
        claims, cov = extract_claims(doc)
        for c in claims:
            assert c.value is None or math.isfinite(c.value)
            assert c.value is None or abs(c.value) < 1e16

    check()


def test_audit_of_a_mutated_window_is_a_result_or_a_clean_error(tmp_path):
    from auditor.pipeline import audit

    lines = SEED.read_text(encoding="utf-8").splitlines()

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(0, len(lines)), st.integers(5, 200), st.lists(st.tuples(st.integers(0, 199), DOMAIN),
                                                                       max_size=4))
    def check(start, n, edits):
        window = lines[start:start + n]
        for i, text in edits:
            if window:
                window[i % len(window)] = text
        p = tmp_path / "w.txt"
        p.write_text("\n".join(window) + "\n", encoding="utf-8")
        try:
            r = audit(p, budget=Budget(seconds=60))
        except InputError:
            return
        json.loads(r.render("json"))
        assert not [f for f in r.findings if "规则执行出错" in f.message]

    check()
