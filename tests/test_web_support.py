"""Shared by the workbench's tests: an app whose engine audits in the runner thread (no process pool), a client
that speaks to it as a same-origin browser page would, and waiting for an upload's result."""
from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seeds" / "001_6d6ee4970fc0bf0d.txt"
PDF = ROOT / "corpus" / "shanghai" / "shanghai_putuo_caizhengju_2024.pdf"
BASE = "http://127.0.0.1:8765"


class InlineEngine:
    """The batch engines' interface (run(tasks) -> outcomes) in the calling thread."""

    def __init__(self, work=None):
        from auditor.web.worker import web_task

        self.work = work or web_task

    def run(self, tasks):
        for t in tasks:
            yield self.work(t)


def make_client(tmp: Path, **settings):
    from starlette.testclient import TestClient

    from auditor.web.app import Settings, create_app

    s = Settings(db=str(tmp / "store.duckdb"), data=str(tmp / "data"), **settings)
    return TestClient(create_app(s, make_engine=InlineEngine), base_url=BASE)


def browser_headers(client) -> dict:
    """What the page's script sends: its own origin and the CSRF token it was given."""
    if "auditor_csrf" not in client.cookies:
        client.get("/")
    return {"Origin": BASE, "Sec-Fetch-Site": "same-origin", "X-CSRF-Token": client.cookies["auditor_csrf"]}


def upload(client, *files: tuple[str, bytes], headers=None):
    return client.post("/api/documents", files=[("file", (n, b, "application/octet-stream")) for n, b in files],
                       headers=headers or {})


def wait_done(client, id_: str, timeout: float = 120) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        j = client.get(f"/api/documents/{id_}").json()
        if j["status"] in ("done", "failed"):
            return j
        time.sleep(0.1)
    raise AssertionError(f"{id_} not done after {timeout} s")


# --------------------------------------------------------------------------- uploads: names and sniffed types

def test_display_name_keeps_no_path_tricks():
    from auditor.web.uploads import display_name

    assert display_name("../../etc/passwd") == "etc/passwd"
    assert display_name("C:\\Users\\x\\预算.pdf") == "Users/x/预算.pdf"
    assert display_name("/abs/a\x00b.txt") == "abs/ab.txt"
    assert display_name("档案/2023/a.pdf") == "档案/2023/a.pdf"
    assert display_name("") == "upload" and len(display_name("a" * 500)) == 200


def test_sniff_reads_the_content_not_the_name(tmp_path):
    import io

    import docx
    import openpyxl

    from auditor.web.uploads import sniff

    def b(x: bytes) -> io.BytesIO:
        return io.BytesIO(x)

    assert sniff(b(PDF.read_bytes()), "a.txt") == "pdf"
    assert sniff(b(SEED.read_bytes()), "a.pdf") == "text"
    assert sniff(b(SEED.read_text(encoding="utf-8").encode("gb18030")), "a.pdf") == "text"
    assert sniff(b(SEED.read_bytes()), "a.md") == "markdown"
    d, x = io.BytesIO(), io.BytesIO()
    docx.Document().save(d)
    openpyxl.Workbook().save(x)
    assert sniff(d, "a.pdf") == "docx" and sniff(x, "a.docx") == "xlsx"
    import zipfile

    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("evil.txt", "x")
    assert sniff(z, "a.docx") is None                      # a zip that is not an Office document
    assert sniff(b(b"\x7fELF\x02\x01" + bytes(2000)), "a.pdf") is None   # binary
    assert sniff(b(b""), "a.txt") is None and sniff(b(b"PK\x03\x04junk"), "a.xlsx") is None


def test_sniff_long_text_cut_inside_a_character():
    import io

    from auditor.web.uploads import SNIFF_BYTES, sniff

    for enc in ("utf-8", "gb18030"):
        for pad in ("", "x", "xx"):  # the sniffed bytes end at, or inside, a character
            text = (pad + "预算说明" * (SNIFF_BYTES // 4)).encode(enc)
            assert len(text) > SNIFF_BYTES and sniff(io.BytesIO(text), "a.txt") == "text"
