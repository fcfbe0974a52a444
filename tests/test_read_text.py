"""Reading text sources: encodings, layouts, provenance, and bad input."""
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.read import read_blocks
from auditor.read.text import detect_encoding

ROOT = Path(__file__).resolve().parent.parent
SEED000 = ROOT / "corpus" / "seeds" / "000_e75c8bca0de43ef5.txt"
SAMPLE = "## 一、收入支出决算总体情况说明\n\n2023 年度，收、支总计均为 585.49 万元。\n合计\t\t927.71\t907.54\n"


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
    ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_encodings_are_detected_and_reported(tmp_path, encoding, expected):
    p = tmp_path / f"doc-{encoding}.txt"
    p.write_bytes(SAMPLE.encode(encoding))
    info, blocks = read_blocks(p)
    assert info.encoding == expected
    assert [b.kind for b in blocks] == ["heading", "text", "row"]
    assert blocks[0].text == "一、收入支出决算总体情况说明"
    assert blocks[1].text.startswith("2023 年度") and blocks[1].prov.line == 3
    assert blocks[2].cells == ["合计", "", "927.71", "907.54"]  # empty fields kept as missing cells


def test_markup_is_stripped_and_lines_are_one_based():
    info, blocks = read_blocks(SEED000)
    assert info.format == "text" and len(info.sha256) == 64
    rows = [b for b in blocks if b.kind == "row"]
    assert all("<b>" not in c for b in rows for c in b.cells)
    first = blocks[0]
    assert first.prov.line == SEED000.read_text(encoding="utf-8").splitlines().index(
        next(l for l in SEED000.read_text(encoding="utf-8").splitlines() if l.strip())) + 1


def test_detect_encoding_bom_first():
    assert detect_encoding("\ufeff收入".encode("utf-8")) == "utf-8-sig"


@pytest.mark.parametrize("make,needle", [
    (lambda d: d / "missing.txt", "不存在"),
    (lambda d: d, "目录"),
    (lambda d: (d / "empty.txt").write_bytes(b"") and d / "empty.txt" or d / "empty.txt", "为空"),
    (lambda d: (d / "junk.txt").write_bytes(bytes(range(256)) * 64) and d / "junk.txt" or d / "junk.txt", "二进制"),
])
def test_bad_input_raises_clear_error(tmp_path, make, needle):
    path = make(tmp_path)
    with pytest.raises(InputError) as e:
        read_blocks(path)
    assert needle in str(e.value) and str(path) in str(e.value)


@pytest.mark.parametrize("content", [None, b"", bytes(range(256)) * 64, "只是一段没有表格的文字。\n".encode()],
                         ids=["missing", "empty", "binary", "no-tables"])
def test_cli_bad_input_is_one_line_exit_2(tmp_path, content):
    p = tmp_path / "bad.txt"
    if content is not None:
        p.write_bytes(content)
    r = subprocess.run([sys.executable, "-m", "auditor", "tables", str(p)], capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and str(p) in lines[0]
