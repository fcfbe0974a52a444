"""auditor.read.miner_zlib gives pdfminer's bytes for a damaged Flate stream, raising where pdfminer raises."""
import importlib.util
import random
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from auditor.read import miner_zlib


def _pdfminer_original():
    """A private copy of pdfminer's module, so the comparison holds whether or not install() already ran."""
    from pdfminer import pdftypes

    spec = importlib.util.spec_from_file_location("_pdftypes_original", pdftypes.__file__)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.decompress_corrupted


ORIGINAL = _pdfminer_original()


def _outcome(fn, data):
    try:
        return ("ok", fn(data))
    except zlib.error:
        return ("error", None)


@settings(max_examples=150, deadline=None)
@given(payload=st.binary(min_size=0, max_size=3000), flips=st.lists(st.integers(0, 10**6), max_size=3),
       cut=st.integers(0, 8))
def test_same_result_as_pdfminer(payload, flips, cut):
    data = bytearray(zlib.compress(payload * 3))
    for f in flips:  # damage anywhere: in the checksum (forgiven) or in the body (raised)
        data[f % len(data)] ^= 1 << (f % 8)
    data = bytes(data[:len(data) - cut]) if cut < len(data) else bytes(data)
    assert _outcome(miner_zlib.decompress_corrupted, data) == _outcome(ORIGINAL, data)


def test_damaged_checksum_keeps_the_text_and_body_damage_raises():
    text = ("一般公共预算财政拨款支出 1,234.56 万元。" * 2000).encode()
    good = zlib.compress(text)
    bad_sum = good[:-1] + bytes([good[-1] ^ 0xFF])
    with pytest.raises(zlib.error):
        zlib.decompress(bad_sum)
    assert miner_zlib.decompress_corrupted(bad_sum) == text
    rng = random.Random(3)
    body = bytearray(good)
    for _ in range(20):
        body[rng.randrange(2, len(body) // 2)] ^= 0xFF
    assert _outcome(miner_zlib.decompress_corrupted, bytes(body)) == _outcome(ORIGINAL, bytes(body))


def test_install_replaces_pdfminers_function():
    from pdfminer import pdftypes

    miner_zlib.install()
    assert pdftypes.decompress_corrupted is miner_zlib.decompress_corrupted
