"""`auditor serve`: files uploaded together are grouped as `auditor check` groups them (auditor.pipeline
.load_disclosures): a Jiangsu narrative file (_wenben) and its tables file (_biaoge) become one document whose report
aligns the narrative's claims to the other file's cells, names each file, and shows the pages of both; unrelated
files stay separate documents."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")

from test_web_support import PDF, ROOT, SEED, make_client, upload, wait_done  # noqa: E402

JIANGSU = ROOT.parent / "shared" / "corpus" / "jiangsu"
WEN = JIANGSU / "yusuan_2019_jiangsu_sheng-zhengxie-bangongting_wenben.pdf"
BIAO = JIANGSU / "yusuan_2019_jiangsu_sheng-zhengxie-bangongting_biaoge.pdf"
PNG = b"\x89PNG\r\n\x1a\n"


def stored_path(tmp: Path, name: str) -> str:
    """Where the workbench keeps the upload whose client name is ``name`` (its generated name)."""
    for meta in (tmp / "data" / "uploads").glob("*.json"):
        m = json.loads(meta.read_text(encoding="utf-8"))
        if m["name"] == name:
            return str(next(p for p in meta.parent.glob(meta.stem + ".*") if p.suffix != ".json").resolve())
    raise AssertionError(f"{name} not stored")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    if not (WEN.exists() and BIAO.exists()):
        pytest.skip("the Jiangsu pair is not in ../shared/corpus/jiangsu")
    tmp = tmp_path_factory.mktemp("web-pair")
    with make_client(tmp) as c:
        r = upload(c, (BIAO.name, BIAO.read_bytes()), (WEN.name, WEN.read_bytes()))
        assert r.status_code == 201, r.text
        yield type("Pair", (), {"c": c, "tmp": tmp, "resp": r.json(),
                                "wen": stored_path(tmp, WEN.name), "biao": stored_path(tmp, BIAO.name)})


def test_a_pair_uploaded_together_is_one_document(pair):
    ids = pair.resp["ids"]
    assert len(ids) == 1 and pair.resp["id"] == ids[0]
    j = wait_done(pair.c, ids[0])
    assert j["status"] == "done", j
    assert j["name"] == f"{WEN.name} + {BIAO.name}"  # the narrative first, whatever the order of the upload
    assert j["report"]["source"]["path"] == pair.wen
    docs = [d for d in pair.c.get("/api/documents").json()["documents"]]
    assert [d["id"] for d in docs] == ids


def test_grouped_report_is_the_joined_disclosure_with_each_file_named(pair):
    import auditor
    from auditor.pipeline import load_disclosures

    rep = wait_done(pair.c, pair.resp["id"])["report"]
    docs, errors = load_disclosures([pair.biao, pair.wen])
    assert not errors and len(docs) == 1
    want = auditor.audit(docs[0]).to_dict()
    got = [(f["rule"], f["message"]) for f in rep["findings"]]
    assert got == [(f["rule"], f["message"]) for f in want["findings"]]
    assert rep["summary"] == want["summary"] and rep["summary"]["claims_checked"] > 0  # claims met the tables' cells
    assert {t["id"] for t in rep["tables"]} == {t["id"] for t in want["tables"]} and rep["tables"]
    named = {f["path"] for f in rep["findings"]} | {e["path"] for f in rep["findings"] for e in f["evidence"]}
    assert named == {pair.wen, pair.biao}


def test_pages_of_both_files(pair):
    c, id_ = pair.c, pair.resp["id"]
    wait_done(c, id_)
    a = c.get(f"/api/documents/{id_}/pages/1.png")
    b = c.get(f"/api/documents/{id_}/files/1/pages/1.png")
    assert a.status_code == b.status_code == 200 and a.content[:8] == b.content[:8] == PNG
    assert a.content != b.content  # page 1 of the narrative file, page 1 of the tables file
    assert c.get(f"/api/documents/{id_}/files/0/pages/1.png").content == a.content
    assert c.get(f"/api/documents/{id_}/files/2/pages/1.png").status_code == 404
    assert c.get(f"/api/documents/{id_}/files/1/pages/999.png").status_code == 404
    assert c.get(f"/api/documents/{id_}/files/-1/pages/1.png").status_code == 404
    assert c.get(f"/api/documents/{id_}/files/..%2F1/pages/1.png").status_code == 404
    # a finding on a page of the tables file shows that file's page image, captioned with its name
    rep = c.get(f"/api/documents/{id_}").json()["report"]
    f = next(f for f in rep["findings"] if f["path"] == pair.biao and f["page"])
    html = c.get(f"/documents/{id_}?f={f['id']}").text
    assert f"/api/documents/{id_}/files/1/pages/{f['page']}.png" in html and f"{BIAO.name} · 第 {f['page']} 页" in html


def test_unrelated_files_uploaded_together_stay_separate(tmp_path):
    with make_client(tmp_path) as c:
        r = upload(c, ("seed.txt", SEED.read_bytes()), ("a.pdf", PDF.read_bytes()))
        ids = r.json()["ids"]
        assert r.status_code == 201 and len(ids) == 2
        reps = [wait_done(c, i) for i in ids]
        assert c.get(f"/api/documents/{ids[1]}/pages/1.png").status_code == 200
        assert c.get(f"/api/documents/{ids[1]}/files/1/pages/1.png").status_code == 404  # it has one file
    assert [j["status"] for j in reps] == ["done", "done"] and [j["name"] for j in reps] == ["seed.txt", "a.pdf"]
    assert all("path" not in f for j in reps for f in j["report"]["findings"])  # one file each: nothing to name


def test_a_restart_queues_a_group_again_as_one_document(tmp_path):
    import io

    from auditor.web.jobs import requeue_unfinished
    from auditor.web.uploads import mark_group, store_upload, stored_uploads

    folder = str(tmp_path / "uploads")
    a, b, c = (store_upload(folder, io.BytesIO(t.encode()), n) for t, n in
               (("说明", "n.txt"), ("表格", "t.txt"), ("其他", "o.txt")))
    mark_group([a, b])
    calls = []
    runner = type("R", (), {"submit": lambda self, *args: calls.append(args)})()
    assert requeue_unfinished(runner, stored_uploads(folder), set()) == 2
    assert sorted(calls) == sorted([(a.path, "n.txt + t.txt", a.size + b.size, (b.path,)),
                                    (c.path, "o.txt", c.size, ())])
