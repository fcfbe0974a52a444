"""`auditor batch`: a real batch over seeds, a rendered PDF and hostile files (reports, overview, store, reasons,
exit status), re-runs that skip or redo, worker deaths, timeouts and interrupts that lose nothing, the Dask engine
giving the local engine's results. Hostile files are generated here, never committed."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from auditor.batch import BatchOptions, run_batch
from auditor.batch.discover import discover
from auditor.batch.engines import LocalEngine
from auditor.batch.runner import plan
from auditor.batch.model import OK, DocOutcome, DocTask
from auditor.cli import main
from auditor.store.query import run_query

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SYN = ROOT / "corpus" / "synthetic"
PDFS = ROOT / "tests" / "fixtures" / "pdf"
SYNTHETIC = sorted(p.name for p in SYN.glob("SYNTHETIC_*.txt"))
GOOD = ["2023/000_e75c8bca0de43ef5.txt", "2023/002_a9298f1028fbdbf6.txt", "2025/003_aef7f7ec9a7fdced.pdf",
        "2023/<b>&局.txt", "2023/gbk.txt"] + [f"synthetic/{n}" for n in SYNTHETIC]
BAD = {"bad/truncated.pdf": "PDF", "bad/junk.txt": "二进制", "bad/junk.pdf": "PDF", "bad/empty.txt": "文件为空",
       "bad/huge.txt": "文件过大"}


def seed(n: str) -> Path:
    return next(SEEDS.glob(f"{n}_*.txt"))


def run_cli(*args: str) -> SimpleNamespace:
    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["batch", *args])
    return SimpleNamespace(rc=rc, out=out.getvalue(), err=err.getvalue(), seconds=time.perf_counter() - t0)


def q(db: Path, sql: str) -> list[tuple]:
    return run_query(str(db), sql)[1]


def make_archive(root: Path) -> Path:
    arch = root / "档案"
    for d in ("2023", "2025", "bad", "synthetic"):
        (arch / d).mkdir(parents=True)
    for n in SYNTHETIC:  # with seed 000: a department over two years, both kinds (cross-document rules)
        shutil.copy(SYN / n, arch / "synthetic" / n)
    for n in ("000", "002"):
        shutil.copy(seed(n), arch / "2023" / seed(n).name)
    shutil.copy(next(PDFS.glob("003_*.pdf")), arch / "2025" / "003_aef7f7ec9a7fdced.pdf")
    shutil.copy(seed("004"), arch / "2023" / "<b>&局.txt")  # a hostile name: must be escaped in index.html
    (arch / "2023" / "gbk.txt").write_bytes(seed("002").read_text(encoding="utf-8").encode("gbk"))
    pdf = next(PDFS.glob("000_*.pdf")).read_bytes()
    (arch / "bad" / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (arch / "bad" / "junk.txt").write_bytes(os.urandom(64 * 1024))
    (arch / "bad" / "junk.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(64 * 1024))
    (arch / "bad" / "empty.txt").write_bytes(b"")
    text = seed("001").read_bytes()
    with open(arch / "bad" / "huge.txt", "wb") as fh:  # 50 MB of plausible text
        for _ in range(50 * 2**20 // len(text) + 1):
            fh.write(text)
    (arch / "bad" / "notes.csv").write_text("not a supported format", encoding="utf-8")
    return arch


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    arch = make_archive(root)
    out = root / "out"
    r = run_cli(str(arch), "-o", str(out), "--jobs", "2")
    return SimpleNamespace(root=root, arch=arch, out=out, db=out / "auditor.duckdb", first=r)


def test_batch_writes_reports_overview_and_store(batch):
    r, out = batch.first, batch.out
    assert r.rc == 1, r.err  # error findings and failed documents
    assert "Traceback" not in r.err + r.out
    n = len(GOOD) + len(BAD)
    assert f"文件 {n} 个（本次审核 {n}，未改变而跳过 0，无法审核 5）" in r.out
    for rel in GOOD:
        for ext in ("json", "html"):
            assert (out / "reports" / "档案" / f"{rel}.{ext}").is_file(), rel
        data = json.loads((out / "reports" / "档案" / f"{rel}.json").read_text(encoding="utf-8"))
        assert data["schema"] == "auditor.report/1"
    assert not list((out / "reports").rglob("bad/*"))
    docs = {r[0]: r[1:] for r in q(batch.db, "SELECT rel, status, department, year, kind, errors, tables, cells "
                                              "FROM documents")}
    assert len(docs) == len(GOOD) + len(BAD)
    assert docs["档案/2023/gbk.txt"][:4] == ("ok", "焦作市人大常委会城乡一体化示范区联络办公室", 2023, "决算")
    assert docs["档案/2025/003_aef7f7ec9a7fdced.pdf"][:4] == ("ok", "焦作市解放区行政审批和政务信息管理局", 2025, "预算")
    for rel in GOOD:
        status, *_, tables, cells = docs[f"档案/{rel}"]
        assert status == "ok" and tables > 5
        assert q(batch.db, f"SELECT count(*) FROM tables_cells c JOIN documents d ON d.path = c.doc "
                           f"WHERE d.rel = '档案/{rel}'")[0][0] == cells > 100
    assert q(batch.db, "SELECT count(*) FROM claims")[0][0] > 200
    assert q(batch.db, "SELECT count(DISTINCT doc) FROM facts")[0][0] == len(GOOD)
    # every evidence row belongs to a finding; provenance is kept
    assert q(batch.db, "SELECT count(*) FROM findings_evidence e LEFT JOIN findings f USING (doc, finding_id) "
                       "WHERE f.rule IS NULL")[0][0] == 0
    assert q(batch.db, "SELECT count(*) FROM tables_cells WHERE line IS NULL AND page IS NULL")[0][0] == 0


def test_bad_files_have_clear_reasons_and_lose_nothing(batch):
    from auditor.pipeline import audit

    rows = dict(q(batch.db, "SELECT rel, status || ': ' || error FROM documents WHERE status <> 'ok'"))
    assert set(rows) == {f"档案/{b}" for b in BAD}
    for name, reason in BAD.items():
        assert reason in rows[f"档案/{name}"] and " / " in rows[f"档案/{name}"]  # Chinese / English
        assert f"档案/{name}" in batch.first.err and reason in batch.first.err
    # the good documents' results are whole: the same findings as auditing each alone
    for rel in GOOD[:2]:
        path = str(batch.arch / rel)
        want = sorted((f.rule, f.severity, f.prov and f.prov.line) for f in audit(path).findings)
        got = sorted(q(batch.db, f"SELECT rule, severity, line FROM findings WHERE doc = '{path}' "
                                 f"AND scope = 'document'"))
        assert got == want


def test_overview_index_summary_csv_xlsx(batch):
    from openpyxl import load_workbook

    html = (batch.out / "index.html").read_text(encoding="utf-8")
    assert html.count("<tr") == len(GOOD) + len(BAD) + 1 and "<svg" in html and "<script" not in html.lower()
    assert "&lt;b&gt;&amp;局.txt" in html and "<b>&" not in html
    assert 'href="reports/%E6%A1%A3%E6%A1%88/2023/gbk.txt.html"' in html  # quoted link to the report
    assert "文件为空" in html and not re.search(r"(src|href)=\"(https?:)?//|url\(", html)  # no network resource
    rows = list(csv.DictReader(io.StringIO((batch.out / "summary.csv").read_bytes().decode("utf-8-sig"))))
    assert len(rows) == len(GOOD) + len(BAD) and {r["status"] for r in rows} == {"ok", "input_error", "over_budget"}
    assert sum(int(r["errors"] or 0) for r in rows) == q(batch.db, "SELECT sum(errors) FROM documents")[0][0]
    wb = load_workbook(batch.out / "summary.xlsx")
    assert wb.sheetnames == ["文件 documents", "规则 rules", "跨文件 cross"]
    assert wb["文件 documents"].max_row == len(rows) + 1 and wb["文件 documents"]["A1"].value == "文件"
    cross = json.loads((batch.out / "cross_document.json").read_text(encoding="utf-8"))
    assert cross["schema"] == "auditor.cross/1" and cross["documents"] == len(GOOD)
    assert (batch.out / "cross_document.html").is_file()


def test_rerun_skips_unchanged_and_redoes_changed(batch):
    stamp = q(batch.db, "SELECT rel, audited_at FROM documents ORDER BY rel")
    r = run_cli(str(batch.arch), "-o", str(batch.out), "--jobs", "2")
    assert r.rc == 1 and f"本次审核 0，未改变而跳过 {len(GOOD) + len(BAD)}" in r.out
    assert r.seconds < 0.5 * batch.first.seconds
    assert q(batch.db, "SELECT rel, audited_at FROM documents ORDER BY rel") == stamp  # nothing recomputed
    assert len(cross_findings(batch)) == 5  # the Y rules ran again over the stored facts


def cross_findings(batch) -> list[tuple]:
    return q(batch.db, "SELECT f.rule, d.rel, f.line, f.severity, round(f.stated, 2), round(f.expected, 2) "
                       "FROM findings f JOIN documents d ON d.path = f.doc WHERE f.scope = 'archive' "
                       "AND f.severity IN ('error', 'warning') ORDER BY ALL")


def test_cross_document_findings_stored_counted_and_written(batch):
    expected = json.loads((SYN / "expected.json").read_text(encoding="utf-8"))["expected"]
    moved = {f"corpus/synthetic/{n}": f"档案/synthetic/{n}" for n in SYNTHETIC}
    moved[str(seed("000").relative_to(ROOT))] = "档案/2023/000_e75c8bca0de43ef5.txt"
    want = sorted((e["rule"], moved[e["document"]], e["line"], e["severity"], round(e["stated"], 2),
                   round(e["expected"], 2)) for e in expected)
    assert cross_findings(batch) == want
    # both documents cited; counted per document and in the summaries
    assert q(batch.db, "SELECT count(DISTINCT e.path) FROM findings f JOIN findings_evidence e USING (doc, finding_id) "
                       "WHERE f.rule = 'Y02'")[0][0] == 2
    assert q(batch.db, "SELECT cross_errors FROM documents WHERE rel LIKE '%2023_budget%'")[0][0] == 1
    assert q(batch.db, "SELECT sum(cross_errors), sum(cross_warnings) FROM documents")[0] == (2, 3)
    assert "跨文件错误 2 项" in batch.first.out
    cross = json.loads((batch.out / "cross_document.json").read_text(encoding="utf-8"))
    assert cross["summary"]["error"] == 2 and cross["summary"]["warning"] == 3
    y02 = next(f for f in cross["findings"] if f["rule"] == "Y02")
    assert {e["rel"] for e in y02["evidence"]} == {"档案/synthetic/SYNTHETIC_000_2022_final.txt",
                                                    "档案/synthetic/SYNTHETIC_000_2022_budget.txt"}
    html = (batch.out / "cross_document.html").read_text(encoding="utf-8")
    assert "Y02" in html and "reports/" in html and "<script" not in html
    rows = list(csv.DictReader(io.StringIO((batch.out / "summary.csv").read_bytes().decode("utf-8-sig"))))
    assert sum(int(r["cross_errors"] or 0) for r in rows) == 2


def test_usage_errors_exit_2(tmp_path, capsys):
    (tmp_path / "x.csv").write_text("a", encoding="utf-8")
    for args, msg in [([str(tmp_path / "nope"), "-o", str(tmp_path / "o")], "文件夹不存在"),
                      ([str(tmp_path), "-o", str(tmp_path / "o")], "没有找到可审核的文件"),
                      ([str(tmp_path), "-o", str(tmp_path / "o"), "--format", "pdf"], "未知的报告格式"),
                      ([str(tmp_path), "-o", str(tmp_path / "o"), "--jobs", "0"], "正整数")]:
        r = run_cli(*args)
        assert r.rc == 2 and msg in r.err + capsys.readouterr().err and "Traceback" not in r.err


# --------------------------------------------------------------------------- engines, with a fast fake audit

def fake_work(task: DocTask) -> DocOutcome:
    """Module level so the pool can pickle it: dies, hangs or passes by the file's name."""
    name = os.path.basename(task.path)
    if name.startswith("die"):
        os._exit(3)
    if name.startswith("slow"):
        time.sleep(60)
    return DocOutcome(task, OK, department="某局", dept_key="某局", year=2023, kind="决算",
                      counts={"errors": 0, "warnings": 0, "infos": 0, "tables": 0, "cells": 0},
                      reports={f: json.dumps({"path": task.rel}) for f in task.formats},
                      audited_at="2024-01-01 00:00:00")


def no_init() -> None:
    pass


def slow_init() -> None:
    """A worker whose start-up takes longer than the documents' time budget (a loaded machine)."""
    time.sleep(2.5)


class Serial:
    """An in-process engine that records what it was asked to run and can be interrupted after k documents."""

    def __init__(self, stop_after: int | None = None):
        self.stop_after, self.seen = stop_after, []

    def run(self, tasks):
        for i, t in enumerate(tasks):
            if i == self.stop_after:
                raise KeyboardInterrupt
            self.seen.append(os.path.basename(t.path))
            yield fake_work(t)


def folder(tmp_path: Path, *names: str) -> Path:
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    for n in names:
        (d / n).write_text(f"{n} 部门决算", encoding="utf-8")
    return d


def statuses(out: Path) -> dict:
    return dict(q(out / "auditor.duckdb", "SELECT rel, status FROM documents"))


def test_rerun_redoes_changed_content_missing_reports_and_force(tmp_path):
    d = folder(tmp_path, "a.txt", "b.txt", "c.txt")
    out, db = tmp_path / "out", tmp_path / "store.duckdb"
    opts = BatchOptions([str(d)], str(out), db=str(db), formats=("json", "md"))
    assert run_batch(opts, engine=Serial()).audited == 3
    assert not (out / "auditor.duckdb").exists() and (out / "reports/in/a.txt.md").is_file()
    (d / "b.txt").write_text("b.txt 部门决算（修订）", encoding="utf-8")  # new content
    (out / "reports/in/c.txt.md").unlink()  # a report gone
    again = Serial()
    s = run_batch(opts, engine=again)
    assert again.seen == ["b.txt", "c.txt"] and s.skipped == 1
    again = Serial()
    opts.force = True
    assert run_batch(opts, engine=again).audited == 3 and again.seen == ["a.txt", "b.txt", "c.txt"]
    assert q(db, "SELECT count(*) FROM documents")[0][0] == 3


def test_dead_worker_loses_only_its_document(tmp_path):
    d = folder(tmp_path, "a.txt", "b.txt", "die.txt", "c.txt", "d.txt")
    s = run_batch(BatchOptions([str(d)], str(tmp_path / "out"), formats=("json",)),
                  engine=LocalEngine(2, work=fake_work, initializer=no_init))
    assert statuses(tmp_path / "out") == {"in/a.txt": "ok", "in/b.txt": "ok", "in/c.txt": "ok", "in/d.txt": "ok",
                                          "in/die.txt": "died"}
    assert s.failures[0][0] == "in/die.txt" and "进程意外退出" in s.failures[0][2]
    assert s.exit_code == 1
    assert (tmp_path / "out/reports/in/d.txt.json").is_file()


def test_timeout_stops_one_document(tmp_path):
    d = folder(tmp_path, "a.txt", "slow.txt", "b.txt")
    t0 = time.perf_counter()
    s = run_batch(BatchOptions([str(d)], str(tmp_path / "out"), formats=("json",), timeout=1.5),
                  engine=LocalEngine(2, timeout=1.5, work=fake_work, initializer=no_init))
    assert time.perf_counter() - t0 < 30
    assert statuses(tmp_path / "out") == {"in/a.txt": "ok", "in/b.txt": "ok", "in/slow.txt": "timeout"}
    assert "1.5 秒" in s.failures[0][2]


def test_timeout_counts_from_when_the_worker_begins_the_document(tmp_path):
    # the workers take 2.5 s to start, longer than the 1.5 s budget: no document has spent any of it yet (a clock
    # started when the task was queued would stop the first ones); the slow one is still stopped
    d = folder(tmp_path, "a.txt", "slow.txt", "b.txt", "c.txt", "d.txt")
    eng = LocalEngine(2, timeout=1.5, work=fake_work, initializer=slow_init)
    run_batch(BatchOptions([str(d)], str(tmp_path / "out"), formats=("json",), timeout=1.5), engine=eng)
    assert statuses(tmp_path / "out") == {"in/a.txt": "ok", "in/b.txt": "ok", "in/c.txt": "ok", "in/d.txt": "ok",
                                          "in/slow.txt": "timeout"}
    assert eng.restarts == 1


def test_largest_files_go_first(tmp_path):
    d = folder(tmp_path, "a.txt", "bbbbbbbb.txt", "cccc.txt")
    eng = LocalEngine(1, work=fake_work, initializer=no_init)
    tasks = plan(discover([str(d)]), {}, BatchOptions([str(d)], str(tmp_path / "out")))[0]
    seen = [os.path.basename(o.task.path) for o in eng.run(tasks)]
    assert seen == ["bbbbbbbb.txt", "cccc.txt", "a.txt"]


def test_interrupt_then_rerun_loses_nothing(tmp_path):
    d = folder(tmp_path, *[f"{i}.txt" for i in range(6)])
    opts = BatchOptions([str(d)], str(tmp_path / "out"), formats=("json",))
    s = run_batch(opts, engine=Serial(stop_after=4))
    assert s.interrupted and s.exit_code == 130
    assert len(statuses(tmp_path / "out")) == 4  # committed as they arrived
    again = Serial()
    s = run_batch(opts, engine=again)
    assert again.seen == ["4.txt", "5.txt"] and s.skipped == 4 and s.exit_code == 0
    assert (tmp_path / "out" / "index.html").is_file()


def test_worker_that_cannot_start_reports_it_on_each_document(tmp_path, monkeypatch):
    from auditor.batch import worker

    def broken():
        raise ImportError("no module named spacy")

    monkeypatch.setattr(worker, "warm", broken)
    monkeypatch.setattr(worker, "_START_ERROR", [])
    worker.init_worker(ignore_sigint=False)  # never raises: a raising initializer would break the pool
    p = folder(tmp_path, "a.txt") / "a.txt"
    out = worker.audit_task(DocTask(str(p), "in/a.txt", "", p.stat().st_size, ("json",), 2**20))
    assert out.status == "crashed" and "ImportError: no module named spacy" in out.error and "内部错误" in out.error


def test_dask_engine_gives_the_local_results(batch, tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "dask"
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as c:
        r = run_cli(str(batch.arch), "-o", str(out), "--engine", "dask", "--scheduler", c.scheduler_address)
    assert r.rc == batch.first.rc, r.err
    db = out / "auditor.duckdb"
    for sql in ["SELECT rel, sha256, status, error, department, dept_key, year, kind, tables, cells, claims, errors, "
                "warnings, infos, cross_errors FROM documents ORDER BY rel",
                "SELECT * FROM tables_cells ORDER BY ALL", "SELECT * FROM findings ORDER BY ALL",
                "SELECT * FROM findings_evidence ORDER BY ALL", "SELECT * FROM claims ORDER BY ALL",
                "SELECT doc, data FROM facts ORDER BY doc"]:
        assert q(db, sql) == q(batch.db, sql), sql


def test_dask_missing_is_a_clear_error(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if dask were not installed
    r = run_cli(str(folder(tmp_path, "a.txt")), "-o", str(tmp_path / "o"), "--engine", "dask")
    assert r.rc == 2 and "pip install 'auditor[dask]'" in r.err and "Traceback" not in r.err
