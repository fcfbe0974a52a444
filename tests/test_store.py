"""The DuckDB store (auditor.store): schema, per-document replace in one transaction, cross-document findings,
facts, read-only `auditor query` (text/csv/json) and its clear errors. No NLP here: fast."""
from __future__ import annotations

import json

import pytest

from auditor.cli import main
from auditor.errors import InputError
from auditor.model import Evidence, Finding, Provenance
from auditor.store import SCHEMA_VERSION, Store, connect
from auditor.store.query import render, run_query, text_table
from auditor.store.rows import finding_rows
from auditor.store.schema import TABLES, columns


def doc_row(path: str, sha: str = "h1", status: str = "ok", errors: int = 1, year: int = 2023) -> tuple:
    d = {c: None for c in columns("documents")}
    d.update(path=path, rel=path.lstrip("/"), sha256=sha, size_bytes=10, auditor_version="0.1.0", format="text",
             department="某局", dept_key="某局", year=year, kind="决算", status=status, errors=errors, warnings=0,
             infos=2, cross_errors=0, cross_warnings=0, cross_infos=0, reports=json.dumps({"json": "r.json"}),
             audited_at="2024-05-01 10:00:00")
    return tuple(d[c] for c in columns("documents"))


def finding(path: str, rule: str = "N01", line: int = 7, other: str | None = None) -> Finding:
    ev = [Evidence(Provenance(path, line=line), text="基本支出 907.94 万元")]
    if other:
        ev.append(Evidence(Provenance(other, line=3), table="J03", row="合计", column="基本支出", value=927.71))
    return Finding(rule, "文中数字与表格不符", "error", "说明 907.94，表 927.71", prov=Provenance(path, line=line),
                   stated=907.94, expected=927.71, tolerance=0.005, evidence=ev, section="三、支出")


def rows_for(path: str, n_cells: int = 3) -> dict[str, list[tuple]]:
    cells = [(path, "J03", "支出决算表", "万元", "合计", None, "合计", f"col{i}", 1.5 * i, f"{1.5 * i:.2f}", True, 10 + i,
              None) for i in range(n_cells)]
    claims = [(path, "c1", "amount", 907.94, "万元", "907.94", "基本支出", "基本支出", "本年", 0, None, None, "三、支出",
               "基本支出 907.94 万元。", 7, None)]
    fs, ev = finding_rows(path, [finding(path)], "document")
    facts = [(path, "某局", 2023, "决算", json.dumps({"path": path, "year": 2023}))]
    return {"tables_cells": cells, "claims": claims, "findings": fs, "findings_evidence": ev, "facts": facts}


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "a.duckdb")
    with Store(path) as s:
        s.write_document(doc_row("/a.txt"), rows_for("/a.txt"), replace=False)
        s.write_document(doc_row("/b.txt", sha="h2", errors=0), rows_for("/b.txt", 2), replace=False)
    return path


def count(path: str, sql: str):
    return run_query(path, sql)[1][0][0]


def test_schema_tables_and_version(db):
    cols, rows = run_query(db, "SELECT table_name FROM information_schema.tables ORDER BY 1")
    assert {r[0] for r in rows} == set(TABLES)
    assert count(db, "SELECT value FROM meta WHERE key = 'schema_version'") == SCHEMA_VERSION
    cols, _ = run_query(db, "SELECT * FROM tables_cells LIMIT 0")
    assert cols == columns("tables_cells")


def test_rows_per_document_and_replace(db):
    assert count(db, "SELECT count(*) FROM documents") == 2
    assert count(db, "SELECT count(*) FROM tables_cells WHERE doc = '/a.txt'") == 3
    assert count(db, "SELECT count(*) FROM findings_evidence e JOIN findings f USING (doc, finding_id)") == 2
    assert count(db, "SELECT finding_id FROM findings WHERE doc = '/b.txt'") == "D1"
    with Store(db) as s:  # audited again: the old rows go, in the same transaction as the new ones come
        s.write_document(doc_row("/a.txt", sha="h3", status="input_error", errors=None),
                         {"tables_cells": [], "facts": []}, replace=True)
        known = s.known()
    assert known["/a.txt"].sha256 == "h3" and known["/a.txt"].status == "input_error"
    assert not known["/a.txt"].has_facts and known["/b.txt"].has_facts and known["/b.txt"].errors == 0
    assert count(db, "SELECT count(*) FROM documents") == 2
    assert count(db, "SELECT count(*) FROM tables_cells WHERE doc = '/a.txt'") == 0
    assert count(db, "SELECT count(*) FROM findings WHERE doc = '/a.txt'") == 0
    assert count(db, "SELECT count(*) FROM tables_cells WHERE doc = '/b.txt'") == 2


def test_failed_write_rolls_back(db):
    with Store(db) as s:
        bad = {"tables_cells": [("/a.txt", "J03")]}  # wrong arity: the insert fails
        with pytest.raises(Exception):
            s.write_document(doc_row("/a.txt", sha="h9"), bad, replace=True)
        assert s.known()["/a.txt"].sha256 == "h1"
    assert count(db, "SELECT count(*) FROM tables_cells WHERE doc = '/a.txt'") == 3


def test_archive_findings_replaced_and_counted(db):
    with Store(db) as s:
        fs, ev = finding_rows("/a.txt", [finding("/a.txt", "Y01", 9, other="/b.txt")], "archive")
        s.replace_archive_findings(["/a.txt", "/b.txt"], fs, ev, {"/a.txt": (1, 0, 0)})
        s.replace_archive_findings(["/a.txt", "/b.txt"], fs, ev, {"/a.txt": (1, 0, 0)})  # idempotent
        assert [f["path"] for f in s.facts(["/b.txt", "/zzz"])] == ["/b.txt"]
    assert count(db, "SELECT count(*) FROM findings WHERE scope = 'archive'") == 1
    assert count(db, "SELECT count(*) FROM findings WHERE scope = 'document'") == 2
    assert count(db, "SELECT path FROM findings_evidence WHERE finding_id = 'Y1' AND seq = 2") == "/b.txt"
    assert count(db, "SELECT cross_errors FROM documents WHERE path = '/a.txt'") == 1
    with Store(db) as s:
        s.replace_archive_findings(["/a.txt", "/b.txt"], [], [], {})
    assert count(db, "SELECT count(*) FROM findings WHERE scope = 'archive'") == 0
    assert count(db, "SELECT count(*) FROM findings_evidence WHERE finding_id LIKE 'Y%'") == 0
    assert count(db, "SELECT cross_errors FROM documents WHERE path = '/a.txt'") == 0


def test_schema_version_mismatch_is_a_clear_error(db):
    con = connect(db)
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(InputError, match="结构版本"):
        Store(db)


def test_locked_store_is_a_clear_error(db, tmp_path):
    import subprocess
    import sys

    code = f"import duckdb, time; c = duckdb.connect({db!r}); print('locked', flush=True); time.sleep(30)"
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "locked"
        with pytest.raises(InputError, match="另一个进程"):
            Store(db)
    finally:
        p.kill()
        p.wait()


def test_query_cli_formats_and_read_only(db, capsys):
    assert main(["query", "SELECT rel, department, errors FROM documents ORDER BY rel", "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["rel", "department", "errors"]
    assert out[2].split() == ["a.txt", "某局", "1"] and "2 行" in out[-1]
    assert main(["query", "SELECT rel, errors FROM documents ORDER BY rel", "--db", db, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["rel,errors", "a.txt,1", "b.txt,0"]
    assert main(["query", "SELECT rel, audited_at FROM documents ORDER BY rel", "--db", db, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0] == {"rel": "a.txt", "audited_at": "2024-05-01 10:00:00"}
    for sql, msg in [("DELETE FROM documents", "只读"), ("SELEC 1", "SQL 出错"),
                     ("SELECT * FROM read_csv('/etc/passwd')", "SQL 出错")]:
        assert main(["query", sql, "--db", db]) == 2
        err = capsys.readouterr().err
        assert msg in err and "Traceback" not in err and err.count("\n") == 1
    assert count(db, "SELECT count(*) FROM documents") == 2
    assert main(["query", "SELECT 1", "--db", db + ".missing"]) == 2
    assert "数据库文件不存在" in capsys.readouterr().err


def test_text_table_aligns_wide_characters():
    out = text_table(["名称", "n"], [("财政局", 1.5), ("x" * 100, None)]).splitlines()
    assert out[0] == "名称" + " " * 60 + "n"  # the name column: 60 wide (a truncated cell); n right-aligned (3 wide)
    assert out[2].startswith("财政局" + " " * 54) and out[2].endswith("1.5")
    assert out[3].startswith("x" * 59 + "…")
    assert render(["a"], [], "csv").strip() == "a"
