"""`auditor serve`: every route of the JSON API and the pages, and every security point (token, Host check,
cross-site requests, escaping, path traversal, size and type limits), through Starlette's test client with an
engine that audits in the runner thread. The browser tests are in tests/test_web_e2e.py."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")

from test_web_support import BASE, PDF, ROOT, SEED, InlineEngine, browser_headers, make_client, upload, wait_done  # noqa: E402

import auditor  # noqa: E402


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    """One server with the seed (text) and the Shanghai PDF audited."""
    tmp = tmp_path_factory.mktemp("web")
    with make_client(tmp) as c:
        seed = upload(c, ("seed.txt", SEED.read_bytes())).json()["id"]
        pdf = upload(c, ("a.pdf", PDF.read_bytes())).json()["id"]
        wait_done(c, seed), wait_done(c, pdf)
        yield type("Srv", (), {"c": c, "seed": seed, "pdf": pdf, "tmp": tmp})


def test_upload_then_status_then_report_is_the_json_report(srv):
    j = srv.c.get(f"/api/documents/{srv.pdf}").json()
    assert j["status"] == "done" and j["status_zh"] == "完成" and j["error"] is None
    want = auditor.audit(str(PDF)).to_dict()
    rep = j["report"]
    assert rep["schema"] == "auditor.report/1" and rep["document"] == want["document"]
    assert [(f["rule"], f["message"]) for f in rep["findings"]] == [(f["rule"], f["message"]) for f in want["findings"]]
    assert [f["id"] for f in rep["findings"]] == [f"D{i}" for i in range(1, len(want["findings"]) + 1)]


def test_document_list(srv):
    docs = {d["id"]: d for d in srv.c.get("/api/documents").json()["documents"]}
    assert docs[srv.pdf]["status"] == "done" and docs[srv.pdf]["department"] == "上海市普陀区财政局"
    assert docs[srv.pdf]["errors"] == auditor.audit(str(PDF)).count("error")
    assert docs[srv.seed]["name"] == "seed.txt"


def test_pages_render(srv):
    c = srv.c
    r = c.get("/")
    assert r.status_code == 200 and 'name="csrf-token"' in r.text and "auditor_csrf" in r.cookies
    assert "seed.txt" in r.text
    r = c.get(f"/documents/{srv.pdf}")
    assert r.status_code == 200 and "上海市普陀区财政局" in r.text and "错误（2）" in r.text
    assert re.search(r"<details class=\"sev sev-info\" >", r.text)  # hints folded
    assert c.get("/archive").status_code == 200
    r = c.get("/rules/n01")
    assert r.status_code == 200 and auditor.checks.RULES["N01"].title in r.text
    assert c.get("/rules/ZZ9").status_code == 404
    assert c.get("/documents/0123456789abcdef").status_code == 404
    assert c.get("/static/style.css").status_code == 200


def test_report_filters_by_rule_and_severity(srv):
    r = srv.c.get(f"/documents/{srv.pdf}?rule=N01&sev=error")
    ids = re.findall(r'<li class="finding[^"]*" data-id="(D\d+)"', r.text)
    want = [f"D{i}" for i, f in enumerate(auditor.audit(str(PDF)).to_dict()["findings"], 1)
            if f["rule"] == "N01" and f["severity"] == "error"]
    assert ids == want and want


def test_selected_finding_shows_page_boxes_and_marked_cells(srv):
    rep = srv.c.get(f"/api/documents/{srv.pdf}").json()["report"]
    n01 = next(f for f in rep["findings"] if f["rule"] == "N01")
    r = srv.c.get(f"/documents/{srv.pdf}?f={n01['id']}")
    cell = next(e for e in n01["evidence"] if e["table"])
    assert f"/api/documents/{srv.pdf}/pages/{cell['page']}.png" in r.text
    assert len(re.findall(r'<rect class="box ', r.text)) >= 2
    assert 'class="box box-expected"' in r.text          # the cell holding the expected figure, green
    assert re.search(r'class="num mark mark-expected">\s*2,961.68', r.text)
    assert 'class="stated">说明数 0.3' in r.text and "规则说明 N01" in r.text


def test_text_document_shows_lines(srv):
    rep = srv.c.get(f"/api/documents/{srv.seed}").json()["report"]
    f = next(f for f in rep["findings"] if f["line"])
    r = srv.c.get(f"/documents/{srv.seed}?f={f['id']}")
    assert f'<span class="line hit"><span class="ln">{f["line"]}</span>' in r.text
    assert "pages/" not in r.text


def test_page_png_cached_and_bounded(srv):
    c = srv.c
    r = c.get(f"/api/documents/{srv.pdf}/pages/1.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:8] == b"\x89PNG\r\n\x1a\n"
    sha = auditor.audit(str(PDF)).doc.source.sha256
    assert (srv.tmp / "data" / "cache" / "pages" / sha / "1@1.5.png").exists()
    assert c.get(f"/api/documents/{srv.pdf}/pages/0.png").status_code == 404
    assert c.get(f"/api/documents/{srv.pdf}/pages/26.png").status_code == 404
    assert c.get(f"/api/documents/{srv.seed}/pages/1.png").status_code == 404  # a text source has no pages


def test_verdict_api_and_form_and_exports(srv):
    c = srv.c
    fid = f"{srv.pdf}-D1"
    r = c.post(f"/api/findings/{fid}/verdict", json={"verdict": "false_alarm", "note": "表内数字已核对"})
    assert r.status_code == 200 and r.json()["verdict"] == "false_alarm" and r.json()["id"] == fid
    assert c.post(f"/api/findings/{fid}/verdict", json={"verdict": "maybe"}).status_code == 400
    assert c.post(f"/api/findings/{fid}/verdict", content=b"not json").status_code == 400
    assert c.post(f"/api/findings/{srv.pdf}-D999/verdict", json={"verdict": "open"}).status_code == 404
    assert c.post("/api/findings/nonsense/verdict", json={"verdict": "open"}).status_code == 404
    # the page's form (same origin, CSRF token)
    h = browser_headers(c)
    r = c.post(f"/documents/{srv.pdf}/verdict", data={"finding": "D2", "verdict": "confirmed", "note": "应改",
                                                     "csrf_token": h["X-CSRF-Token"]},
               headers={"Origin": BASE}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?f=D2#detail")
    page = c.get(f"/documents/{srv.pdf}?f=D1").text
    assert "表内数字已核对" in page and 'value="false_alarm" checked' in page
    rep = c.get(f"/api/documents/{srv.pdf}").json()["report"]
    assert rep["findings"][0]["verdict"]["verdict"] == "false_alarm"
    assert rep["findings"][1]["verdict"]["note"] == "应改" and rep["findings"][2]["verdict"] is None
    # exports
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(c.get(f"/api/documents/{srv.pdf}/export.xlsx").content))
    rows = list(wb["审核结论"].iter_rows(values_only=True))
    head = rows[0]
    by = {r[0]: dict(zip(head, r)) for r in rows[1:]}
    assert by["D1"]["审核结论"] == "误报" and by["D1"]["备注"] == "表内数字已核对"
    assert by["D2"]["审核结论"] == "确认" and by["D3"]["审核结论"] in (None, "")
    assert len(by) == len(rep["findings"])
    csv_text = c.get(f"/api/documents/{srv.pdf}/export.csv").content.decode("utf-8-sig")
    assert "审核结论" in csv_text.splitlines()[0] and "误报,表内数字已核对" in csv_text
    j = c.get(f"/api/documents/{srv.pdf}/export.json").json()
    assert j["schema"] == "auditor.report/1" and j["findings"][0]["verdict"]["verdict"] == "false_alarm"
    assert c.get(f"/api/documents/{srv.pdf}/export.exe").status_code == 404


def test_verdicts_survive_a_restart_and_a_reaudit(tmp_path):
    with make_client(tmp_path) as c:
        i = upload(c, ("a.txt", SEED.read_bytes())).json()["id"]
        wait_done(c, i)
        assert c.post(f"/api/findings/{i}-D1/verdict", json={"verdict": "confirmed", "note": "n1"}).status_code == 200
        first = c.get(f"/api/documents/{i}").json()["report"]["findings"][0]
    with make_client(tmp_path) as c:  # a new server on the same store
        assert c.get(f"/api/documents/{i}").json()["report"]["findings"][0]["verdict"]["note"] == "n1"
        j = upload(c, ("again.txt", SEED.read_bytes())).json()["id"]  # the same file audited again
        assert j != i
        again = wait_done(c, j)["report"]["findings"]
        same = next(f for f in again if (f["rule"], f["line"], f["stated"]) ==
                    (first["rule"], first["line"], first["stated"]))
        assert same["verdict"]["verdict"] == "confirmed" and same["verdict"]["note"] == "n1"


def test_several_files_and_rejected_types(srv):
    c = srv.c
    r = upload(c, ("x/a.txt", SEED.read_bytes()), ("x/junk.pdf", os.urandom(4096)), ("x/.hidden.txt", b"x"),
               ("x/README.md", b"readme"))
    j = r.json()
    assert r.status_code == 201 and len(j["ids"]) == 1 and j["id"] == j["ids"][0]
    assert [x["name"] for x in j["rejected"]] == ["x/junk.pdf"]
    r = upload(c, ("a.pdf", b"\x00\x01binary" * 100))
    assert r.status_code == 415 and "不是 PDF" in r.json()["rejected"][0]["error"]
    assert c.post("/api/documents", data={"x": "1"}).status_code == 400  # no file field
    wait_done(c, j["id"])


def test_stored_under_generated_names_with_the_sniffed_suffix(srv):
    c = srv.c
    j = upload(c, ("../../../../tmp/evil.txt", PDF.read_bytes())).json()  # a PDF named .txt, a path in the name
    wait_done(c, j["id"])
    doc = c.app.app.state.web["data"].document(j["id"])
    folder = srv.tmp / "data" / "uploads"
    assert Path(doc["path"]).parent == folder and re.fullmatch(r"[0-9a-f]{32}\.pdf", Path(doc["path"]).name)
    assert doc["rel"] == "tmp/evil.txt" and not Path("/tmp/evil.txt").exists()
    assert doc["format"] == "pdf"


def test_not_a_disclosure_fails_with_a_reason(srv):
    c = srv.c
    i = upload(c, ("notes.txt", "今天天气很好。\n没有表格。\n".encode("utf-8"))).json()["id"]
    j = wait_done(c, i)
    assert j["status"] == "failed" and "未识别到任何标准表格" in j["error"] and j["report"] is None
    r = c.get(f"/documents/{i}")
    assert r.status_code == 200 and "失败" in r.text and "未识别到任何标准表格" in r.text


# --------------------------------------------------------------------------- security

def test_everything_is_escaped(srv):
    c = srv.c
    lines = SEED.read_text(encoding="utf-8").splitlines()
    f = next(f for f in auditor.audit(str(SEED)).to_dict()["findings"] if f["line"])
    lines[f["line"] - 1] += "<script>alert(1)</script>"
    i = upload(c, ("<img src=x onerror=alert(2)>.txt", "\n".join(lines).encode("utf-8"))).json()["id"]
    wait_done(c, i)
    index = c.get("/").text
    report = c.get(f"/documents/{i}?f=D1").text
    rep = c.get(f"/api/documents/{i}").json()["report"]
    fid = next(x["id"] for x in rep["findings"] if x["line"] == f["line"])
    detail = c.get(f"/documents/{i}?f={fid}").text
    for page in (index, report, detail, c.get("/archive").text):
        assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail


def test_security_headers(srv):
    h = srv.c.get("/").headers
    assert "script-src 'self'" in h["content-security-policy"] and h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"


def state_changing_routes(client) -> list[str]:
    app = client.app.app
    return [r.path for r in app.routes if "POST" in (getattr(r, "methods", None) or ())]


def test_every_state_changing_route_refuses_cross_site_requests(srv):
    c = srv.c
    routes = state_changing_routes(c)
    assert sorted(routes) == ["/api/documents", "/api/findings/{finding_id:str}/verdict",
                              "/documents/{id:str}/verdict"]
    urls = ["/api/documents", f"/api/findings/{srv.pdf}-D3/verdict", f"/documents/{srv.pdf}/verdict"]
    good = browser_headers(c)
    for url in urls:
        for bad in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Referer": "http://evil.example/page"}, {"Origin": BASE}):  # the last: no CSRF token
            h = dict(bad)
            if "Origin" in bad and bad["Origin"] != BASE:
                h["X-CSRF-Token"] = good["X-CSRF-Token"]  # even with the token: wrong origin
            r = c.post(url, headers=h, files=[("file", ("a.txt", SEED.read_bytes(), "text/plain"))]
                       if url == "/api/documents" else None,
                       data={"finding": "D3", "verdict": "open"} if url.startswith("/documents") else None,
                       json={"verdict": "open"} if "/api/findings/" in url else None)
            assert r.status_code == 403, (url, bad, r.status_code)
    # a wrong token is refused; the right one passes
    assert c.post(urls[1], json={"verdict": "open"}, headers=dict(good, **{"X-CSRF-Token": "x" * 43})).status_code == 403
    assert c.post(urls[1], json={"verdict": "open"}, headers=good).status_code == 200
    assert not (srv.tmp / "data" / "uploads" / "never").exists()


def test_token_required_beyond_localhost(tmp_path, monkeypatch):
    import auditor.web.security as sec

    calls = []
    real = sec.hmac.compare_digest
    monkeypatch.setattr(sec.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    token = "s3cret-token-0123456789"
    with make_client(tmp_path, token=token, local_only=False) as c:
        assert c.get("/").status_code == 401
        assert c.get("/api/documents").status_code == 401
        assert c.get("/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/documents", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert c.get("/api/documents", headers={"X-Auditor-Token": token}).status_code == 200
        assert c.get("/static/style.css").status_code == 401
        r = c.get(f"/?token={token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/" and "auditor_token" in r.cookies
        assert c.get("/").status_code == 200  # the cookie now carries it
        assert c.get("/?token=wrong", follow_redirects=False).status_code == 200  # cookie still valid
        c.cookies.clear()
        assert c.get("/?token=wrong").status_code == 401
    assert calls  # compared with hmac.compare_digest (constant time)


def test_host_check_on_localhost(srv):
    assert srv.c.get("/", headers={"Host": "evil.example:8765"}).status_code == 421
    assert srv.c.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_no_path_traversal(srv, tmp_path):
    c = srv.c
    for url in ["/api/documents/..%2F..%2Fetc%2Fpasswd", "/api/documents/../../etc/passwd/pages/1.png",
                "/documents/..%2Fstore.duckdb", "/static/../app.py", "/static/..%2Fapp.py",
                "/api/documents/%2e%2e/export.json", f"/api/documents/{srv.pdf}/pages/..%2F1.png"]:
        r = c.get(url)
        assert r.status_code == 404, url
        assert b"def create_app" not in r.content and b"root:" not in r.content
    from auditor.web.data import inside

    base = str(tmp_path)
    assert inside(base, "reports/a.json") == os.path.join(os.path.realpath(base), "reports", "a.json")
    assert inside(base, "../x") is None and inside(base, "/etc/passwd") is None
    os.symlink("/etc", tmp_path / "link")
    assert inside(base, "link/passwd") is None
    # a store row naming a report outside the store's folder is not read
    data = c.app.app.state.web["data"]
    doc = dict(data.document(srv.seed))
    doc["reports"] = {"json": "../../../../../../etc/passwd"}
    assert data._web_view(dict(doc, reports={"web": "../../../etc/passwd"})) is None
    assert data._batch_view(doc)["report"]["schema"] == "auditor.report/1"  # built from the store instead


def test_upload_size_limit(tmp_path):
    with make_client(tmp_path, max_mb=0.05) as c:  # 52 KB
        big = b"x" * 200_000
        r = upload(c, ("a.txt", big))
        assert r.status_code == 413 and "MB" in r.json()["error"]

        def chunks():  # no Content-Length: the stream is cut at the limit
            for _ in range(50):
                yield b"-" * 100_000

        r = c.post("/api/documents", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413
        uploads = tmp_path / "data" / "uploads"
        assert not uploads.exists() or not list(uploads.iterdir())  # nothing of a refused upload is kept
        assert upload(c, ("a.txt", "说明\n".encode("utf-8") * 2000)).status_code == 201  # 14 KB: accepted


# --------------------------------------------------------------------------- restart, archive, command line

def test_unfinished_uploads_are_queued_again_after_a_restart(tmp_path):
    from auditor.web.uploads import store_upload

    folder = tmp_path / "data" / "uploads"
    st = store_upload(str(folder), io.BytesIO(SEED.read_bytes()), "left.txt")
    with make_client(tmp_path) as c:
        from auditor.web.data import doc_id

        j = wait_done(c, doc_id(st.path))
        assert j["status"] == "done" and j["name"] == "left.txt"


def test_archive_on_a_store_written_by_auditor_batch(tmp_path):
    from auditor.batch.runner import BatchOptions, run_batch
    from auditor.batch.worker import audit_task

    arch = tmp_path / "arch"
    arch.mkdir()
    syn = ROOT / "corpus" / "synthetic"
    for p in list(syn.glob("SYNTHETIC_*.txt")) + [ROOT / "corpus" / "seeds" / "000_e75c8bca0de43ef5.txt"]:
        shutil.copy(p, arch / p.name)
    out = tmp_path / "out"
    run_batch(BatchOptions([str(arch)], str(out), jobs=1, progress=False), engine=InlineEngine(audit_task))
    from starlette.testclient import TestClient

    from auditor.web.app import Settings, create_app

    s = Settings(db=str(out / "auditor.duckdb"), data=str(tmp_path / "web"))
    with TestClient(create_app(s, make_engine=InlineEngine), base_url=BASE) as c:
        page = c.get("/archive").text
        assert "SYNTHETIC_000_2022_budget.txt" in page and "SYNTHETIC_000_2022_final.txt" in page
        assert re.search(r"<h2>跨文件问题（Y 规则）</h2>\s*<ul class=\"cross\">", page)
        y = re.search(r'href="/documents/([0-9a-f]{16})\?f=(Y\d+)#detail"', page)
        assert y
        r = c.get(f"/documents/{y.group(1)}?f={y.group(2)}")
        assert r.status_code == 200 and re.search(rf'<span class="code">{y.group(2)} Y0\d</span>', r.text)
        docs = c.get("/api/documents").json()["documents"]
        d = next(x for x in docs if x["name"].endswith("2022_final.txt"))
        rep = c.get(f"/api/documents/{d['id']}").json()["report"]
        assert rep["schema"] == "auditor.report/1" and rep["findings"]
        fid = f"{d['id']}-{rep['findings'][0]['id']}"
        assert c.post(f"/api/findings/{fid}/verdict", json={"verdict": "open", "note": "批量"}).status_code == 200
        assert "批量" in c.get(f"/documents/{d['id']}?f={rep['findings'][0]['id']}").text
        # a text document of the batch shows its lines
        f = next(x for x in rep["findings"] if x["line"])
        assert 'class="line hit"' in c.get(f"/documents/{d['id']}?f={f['id']}").text


def test_serve_refuses_other_hosts_without_a_token(capsys, monkeypatch, tmp_path):
    from auditor.cli import main

    monkeypatch.delenv("AUDITOR_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--data", str(tmp_path)]) == 2
    assert "访问令牌" in capsys.readouterr().err
    assert main(["serve", "--host", "0.0.0.0", "--token", "short", "--data", str(tmp_path)]) == 2
    from auditor.web.cli import settings_from
    from auditor.cli import build_parser

    monkeypatch.setenv("AUDITOR_TOKEN", "t" * 20)
    s = settings_from(build_parser().parse_args(["serve", "--host", "0.0.0.0", "--data", str(tmp_path)]))
    assert s.token == "t" * 20 and not s.local_only and s.db == str(tmp_path / "auditor.duckdb")
    s = settings_from(build_parser().parse_args(["serve", "--data", str(tmp_path), "--max-mb", "5"]))
    assert s.local_only and s.max_bytes == 5 * 2**20


def test_verdict_keys_match_by_rule_page_and_values():
    from auditor.store.verdicts import finding_key, key_of

    assert finding_key("N01", 21, None, 0.3, 2961.68) == "N01|21||0.3|2961.68"
    assert key_of({"rule": "C01", "page": 21, "line": None, "stated": 71.73, "expected": 71.65391}) == \
        key_of({"rule": "C01", "page": 21, "line": None, "stated": 71.73, "expected": 71.653912})
    assert key_of({"rule": "C01", "page": 21, "stated": 71.73, "expected": 71.65}) != \
        key_of({"rule": "C01", "page": 22, "stated": 71.73, "expected": 71.65})
    assert json.dumps(key_of({"rule": "W04"}))


def test_dask_engine_with_scheduler(tmp_path):
    """--scheduler ADDRESS: the uploads are audited on a Dask cluster (here a local one of one worker process)."""
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    from starlette.testclient import TestClient

    from auditor.web.app import Settings, create_app

    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None)
    try:
        s = Settings(db=str(tmp_path / "s.duckdb"), data=str(tmp_path / "d"), scheduler=cluster.scheduler_address)
        with TestClient(create_app(s), base_url=BASE) as c:
            j = wait_done(c, upload(c, ("a.txt", SEED.read_bytes())).json()["id"])
            assert j["status"] == "done" and len(j["report"]["findings"]) == len(auditor.audit(str(SEED)).findings)
    finally:
        cluster.close()


def test_states_queued_and_running_while_the_engine_works(tmp_path):
    """One worker: the first upload is 审核中 while the engine holds it, the second waits as 排队; pages show it."""
    import threading

    from starlette.testclient import TestClient

    from auditor.web.app import Settings, create_app
    from auditor.web.worker import web_task

    go = threading.Event()

    def held(task):
        go.wait(60)
        return web_task(task)

    s = Settings(db=str(tmp_path / "s.duckdb"), data=str(tmp_path / "d"), workers=1)
    with TestClient(create_app(s, make_engine=lambda: InlineEngine(held)), base_url=BASE) as c:
        a = upload(c, ("a.txt", SEED.read_bytes())).json()["id"]
        b = upload(c, ("b.txt", SEED.read_bytes())).json()["id"]
        import time

        for _ in range(100):
            if c.get(f"/api/documents/{a}").json()["status"] == "running":
                break
            time.sleep(0.05)
        ja, jb = c.get(f"/api/documents/{a}").json(), c.get(f"/api/documents/{b}").json()
        assert (ja["status"], ja["status_zh"], ja["report"]) == ("running", "审核中", None)
        assert (jb["status"], jb["status_zh"]) == ("queued", "排队")
        page = c.get(f"/documents/{b}")
        assert page.status_code == 200 and "排队" in page.text and "pending.js" in page.text
        listed = {d["id"]: d["status"] for d in c.get("/api/documents").json()["documents"]}
        assert listed == {a: "running", b: "queued"}
        go.set()
        assert wait_done(c, a)["status"] == "done" and wait_done(c, b)["status"] == "done"


def test_a_batch_store_s_skipped_file_is_listed_as_skipped_not_failed(tmp_path):
    """A file a batch skipped as not a disclosure keeps its word (跳过) in the workbench's list, with its reason."""
    from auditor.batch.runner import BatchOptions, run_batch
    from auditor.batch.worker import audit_task

    arch = tmp_path / "arch"
    arch.mkdir()
    shutil.copy(ROOT / "corpus" / "seeds" / "000_e75c8bca0de43ef5.txt", arch / "seed.txt")
    (arch / "通知.txt").write_text("关于下达2025年专项资金的通知\n各有关单位：\n现将有关事项通知如下，请遵照执行。\n", encoding="utf-8")
    out = tmp_path / "out"
    run_batch(BatchOptions([str(arch)], str(out), jobs=1, progress=False), engine=InlineEngine(audit_task))
    from starlette.testclient import TestClient

    from auditor.web.app import Settings, create_app

    s = Settings(db=str(out / "auditor.duckdb"), data=str(tmp_path / "web"))
    with TestClient(create_app(s, make_engine=InlineEngine), base_url=BASE) as c:
        docs = {d["name"]: d for d in c.get("/api/documents").json()["documents"]}
        notice = next(d for n, d in docs.items() if n.endswith("通知.txt"))
        seed = next(d for n, d in docs.items() if n.endswith("seed.txt"))
        assert notice["status_zh"] == "跳过" and "不是预决算公开文件" in notice["error"]
        assert seed["status_zh"] == "完成"
