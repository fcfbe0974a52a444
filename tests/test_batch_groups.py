"""`auditor batch` and multi-file disclosures: a disclosure published as a narrative file and a tables file is
audited as one document (paired as `auditor check` pairs them), and a file that is not a disclosure is skipped."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from auditor.batch import BatchOptions, run_batch
from auditor.batch.cli import print_summary
from auditor.pipeline import audit, load_disclosures
from auditor.store.query import run_query

ROOT = Path(__file__).resolve().parent.parent
JIANGSU = ROOT.parent / "shared" / "corpus" / "jiangsu"
PAIR = [f"yusuan_2019_jiangsu_sheng-zhengxie-bangongting_{s}.pdf" for s in ("wenben", "biaoge")]
NOTICE = ("关于做好2024年部门预算公开工作的通知\n各部门：\n为做好部门预算公开工作，现将有关事项通知如下。\n"
          "一、请各部门于3月20日前在门户网站公开本部门预算。\n二、公开内容应完整。\n特此通知。\n")


def q(db: Path, sql: str) -> list[tuple]:
    return run_query(str(db), sql)[1]


def batch(root: Path, out: Path):
    return run_batch(BatchOptions([str(root)], str(out), jobs=1, formats=("json", "html"), progress=False))


def test_not_a_disclosure_is_skipped_not_failed(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "通知.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out"
    s = batch(root, out)
    (status, error), = q(out / "auditor.duckdb", "SELECT status, error FROM documents")
    assert status == "skipped" and error.startswith("跳过：不是预决算公开文件（"), error
    assert s.failed == 0 and not s.failures and s.exit_code == 0
    assert [r for r, _ in s.not_disclosures] == ["in/通知.txt"]
    msg = io.StringIO()
    print_summary(s, out=msg, err=msg)
    assert "跳过：不是预决算公开文件（" in msg.getvalue() and "无法审核 failed" not in msg.getvalue()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "跳过：不是预决算公开文件（" in html and "无法审核的文件" not in html
    rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0]["status"] == "skipped" and rows[0]["error"].startswith("跳过：不是预决算公开文件（")
    s2 = batch(root, out)  # unchanged: not read again
    assert s2.skipped == 1 and s2.audited == 0 and s2.failed == 0


@pytest.mark.skipif(not all((JIANGSU / n).exists() for n in PAIR), reason="../shared/corpus/jiangsu is absent")
def test_narrative_and_tables_files_are_one_disclosure(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for n in PAIR:
        shutil.copy(JIANGSU / n, root / n)
    (root / "通知.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out"
    db = out / "auditor.duckdb"
    s = batch(root, out)
    assert s.failed == 0, s.failures
    rows = {Path(p).name: (st, err, parts, tables, claims) for p, st, err, parts, tables, claims in
            q(db, "SELECT path, status, error, parts, tables, claims FROM documents")}
    lead, member = rows[PAIR[0]], rows[PAIR[1]]
    assert lead[0] == "ok" and member[0] == "joined"
    assert sorted(Path(p).name for p in json.loads(lead[2])) == sorted(PAIR) == \
        sorted(Path(p).name for p in json.loads(member[2]))
    assert all(n in lead[1] for n in PAIR) and PAIR[0] in member[1]  # each row names every file of the group
    assert lead[3] >= 5 and lead[4] > 0  # the tables of one file, the claims of the other, in one document
    report = json.loads((out / "reports" / "in" / f"{PAIR[0]}.json").read_text(encoding="utf-8"))
    docs, errors = load_disclosures([root / n for n in PAIR])  # what `auditor check` audits
    assert len(docs) == 1 and not errors
    check = audit(docs[0])
    assert report["summary"]["errors"] == check.count("error") == q(db, "SELECT errors FROM documents "
                                                                        "WHERE status = 'ok'")[0][0]
    assert report["summary"]["claims"] == len(check.doc.claims)
    assert rows["通知.txt"][0] == "skipped"
    s2 = batch(root, out)  # unchanged group: skipped as a whole
    assert s2.skipped == 3 and s2.audited == 0
    (root / PAIR[1]).write_bytes((root / PAIR[1]).read_bytes() + b"\n")  # one file of the group changed
    s3 = batch(root, out)
    assert s3.audited == 2 and s3.skipped == 1 and s3.failed == 0
    assert {st for _, st in q(db, "SELECT path, status FROM documents WHERE parts IS NOT NULL")} == {"ok", "joined"}


@pytest.mark.skipif(not all((JIANGSU / n).exists() for n in PAIR), reason="../shared/corpus/jiangsu is absent")
def test_group_is_joined_from_the_first_pass_without_reading_the_files_again(tmp_path, monkeypatch):
    """The first pass sends back each narrative-only and tables-only file with its blocks; the group task made of
    them carries those blocks, and the worker joins them without reading either file again: the same document and
    findings as `auditor check` on the two files. The outcome goes back without the blocks."""
    import pickle
    from dataclasses import replace

    import auditor.pipeline as pipeline
    from auditor.batch import worker
    from auditor.batch.groups import regroup
    from auditor.batch.model import OK, PART, DocOutcome, DocTask

    paths = [tmp_path / n for n in PAIR]
    for n, p in zip(PAIR, paths):
        shutil.copy(JIANGSU / n, p)
    parked = []
    for p in reversed(paths):  # the tables file first: the narrative still leads the group
        o = DocOutcome(DocTask(str(p), p.name, "", p.stat().st_size, ("json",), 2**30, pairable=True), OK)
        assert worker.load(o) is None and o.status == PART
        parked.append(pickle.loads(pickle.dumps(o)))  # as the parent receives it
    (task,) = regroup(parked)
    assert task.path == str(paths[0]) and [m.path for m in task.parts] == [str(paths[1])]
    assert [info.path for info, _ in task.read] == [str(p) for p in paths]
    task = pickle.loads(pickle.dumps(task))  # as the worker receives it

    def no_reading(path, *a, **k):
        raise AssertionError(f"read again: {path}")
    monkeypatch.setattr(pipeline, "read_blocks", no_reading)
    out = DocOutcome(task, OK)
    doc = worker.load(out)
    assert out.task.read == () and out.task == replace(task, read=())
    monkeypatch.undo()
    (ref,), errors = load_disclosures(paths, group=True)
    assert not errors
    assert [(b.kind, b.text, b.prov) for b in doc.blocks] == [(b.kind, b.text, b.prov) for b in ref.blocks]
    assert [t.id for t in doc.tables] == [t.id for t in ref.tables]
    got, want = audit(doc), audit(ref)
    assert [(f.rule, f.message) for f in got.findings] == [(f.rule, f.message) for f in want.findings]
    assert got.findings
