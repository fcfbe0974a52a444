"""The command line as a user meets it: output formats chosen by the file name, unknown rule codes refused, a
closed pipe, a summary of what -o wrote, clear messages for files that are not what their name says, help texts."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seeds" / "001_6d6ee4970fc0bf0d.txt"


def run(*args: str) -> SimpleNamespace:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(args))
    return SimpleNamespace(rc=rc, out=out.getvalue(), err=err.getvalue())


@pytest.mark.parametrize("ext,check", [
    (".html", lambda b: b.lstrip().startswith(b"<!DOCTYPE html>")),
    (".json", lambda b: json.loads(b)["schema"] == "auditor.report/1"),
    (".md", lambda b: b.startswith("# 预决算公开审核报告".encode())),
    (".xlsx", lambda b: "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(b)).namelist()),
    (".csv", lambda b: b.startswith(b"\xef\xbb\xbffile,rule")),
])
def test_output_extension_picks_the_format(tmp_path, ext, check):
    out = tmp_path / f"report{ext}"
    r = run("check", str(SEED), "-o", str(out))
    assert r.rc == 1 and check(out.read_bytes())
    assert str(out) in r.out and "错误" in r.out  # what was written, and how many errors


def test_explicit_format_wins_over_the_extension(tmp_path):
    out = tmp_path / "report.txt"
    run("check", str(SEED), "--format", "json", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "auditor.report/1"


def test_tables_output_extension_picks_the_format(tmp_path):
    out = tmp_path / "tables.json"
    r = run("tables", str(SEED), "-o", str(out))
    assert r.rc == 0 and json.loads(out.read_text(encoding="utf-8"))["tables"]


@pytest.mark.parametrize("opt,codes", [("--select", "Q9"), ("--ignore", "ZZZ"), ("--select", "N01,X9")])
def test_unknown_rule_code_is_a_usage_error(opt, codes):
    r = run("check", str(SEED), opt, codes)
    assert r.rc == 2 and "unknown rule code" in r.err and codes.split(",")[-1] in r.err and not r.out


def test_known_prefixes_are_accepted():
    assert run("check", str(SEED), "--select", "N01,T").rc == 1


def test_closed_pipe_is_not_an_error():
    p = subprocess.run(f"{sys.executable} -m auditor rule N01 | head -1; exit ${{PIPESTATUS[0]}}", shell=True,
                       executable="/bin/bash", cwd=ROOT, capture_output=True, text=True)
    assert p.stdout.startswith("N01") and "BrokenPipe" not in p.stderr and p.returncode == 0, p.stderr


def test_report_dir_prints_what_it_wrote(tmp_path):
    r = run("check", str(SEED), "--format", "md,json", "-o", str(tmp_path / "out") + "/")
    assert r.rc == 1
    assert "2 份报告" in r.out and "README.md" in r.out and "错误" in r.out


@pytest.mark.parametrize("name,content,zh", [
    ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "另存为 .docx"),
    ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "不是 PDF 文件"),
    ("empty.pdf", b"", "文件为空"),
])
def test_files_that_are_not_what_they_say(tmp_path, name, content, zh):
    f = tmp_path / name
    f.write_bytes(content)
    r = run("check", str(f))
    assert r.rc == 2 and zh in r.err and str(f) in r.err and "Traceback" not in r.err


def test_empty_folder_names_the_folder_and_the_accepted_extensions(tmp_path):
    r = run("check", str(tmp_path))
    assert r.rc == 2 and str(tmp_path) in r.err and ".pdf" in r.err and ".docx" in r.err


def help_of(*cmd: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        from auditor.cli import build_parser

        build_parser().parse_args([*cmd, "--help"])
    return out.getvalue()


def test_help_texts():
    h = help_of("check")
    assert "退出码" in h and "exit status" in h and "PATH" in h and "文件夹" in h
    for cmd, word in (("rule", "示例"), ("claims", "陈述"), ("tables", "表格")):
        assert word in help_of(cmd, *(["N01"] if cmd == "rule" else [])).split("options")[0]


def test_rules_columns_align_with_cjk_titles():
    import unicodedata

    r = run("rules")
    width = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)  # noqa: E731
    lines = [ln for ln in r.out.splitlines() if ln[:3].strip() and ln[0].isupper() and ln[1:3].isdigit()]
    starts = {width(ln[:ln.index(ln.split()[-1], 20)]) for ln in lines}  # where the title column starts
    assert len(lines) > 20 and len(starts) == 1


def test_query_db_accepts_the_batch_output_folder(tmp_path):
    out = tmp_path / "b"
    assert main(["batch", str(SEED), "-o", str(out), "--jobs", "1"]) == 1
    r = run("query", "SELECT count(*) FROM documents", "--db", str(out))
    assert r.rc == 0 and "1" in r.out
    r = run("query", "SELECT 1", "--db", str(tmp_path / "nothing"))
    assert r.rc == 2 and "--db OUTDIR" in r.err
