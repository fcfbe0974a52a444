"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser is
downloaded): start `auditor serve` with its real process pool, upload a Shanghai PDF, wait for 完成, open a
finding, see its boxes outlined on the page image, mark it 误报 with a note, reload, find the verdict kept, export
the XLSX and read the verdict back with openpyxl."""
from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "corpus" / "shanghai" / "shanghai_putuo_caizhengju_2024.pdf"
CHROMIUM = os.environ.get("AUDITOR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

if not os.path.exists(CHROMIUM):
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run installs it)",
                allow_module_level=True)
pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[web]'")

from auditor.web.process import free_port, launch_chromium, start_server, stop_server  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve")
    port = free_port()
    proc = start_server(data, port, ROOT, "--jobs", "2")
    yield f"http://127.0.0.1:{port}", data, port
    stop_server(proc)


def launch(p):
    return launch_chromium(p, CHROMIUM, tempfile.mkdtemp(prefix="auditor-chromium-"))


def coloured(png: bytes, rgb: tuple[int, int, int], tol: int = 40) -> int:
    """How many pixels of the screenshot are close to ``rgb``."""
    import numpy as np
    from PIL import Image

    px = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(px - np.array(rgb)) <= tol).all(axis=2).sum())


def test_upload_review_reload_export(server, tmp_path):
    import openpyxl

    base, data, port = server
    with playwright.sync_playwright() as p:
        ctx = launch(p)
        page = ctx.new_page()
        page.goto(base + "/")
        page.set_input_files("#files", str(PDF))
        row = page.locator("#docs tbody tr", has_text=PDF.name)
        playwright.expect(row.locator("td.st")).to_have_text("完成", timeout=180_000)
        row.locator("a").click()
        page.wait_for_url("**/documents/*")
        # the N01 finding cites a sentence on one page and a table cell on another
        page.locator("li.finding", has_text="N01").first.locator("a").click()
        page.wait_for_url("**?f=D*")
        figure = page.locator("figure.page").first
        img = figure.locator("img")
        playwright.expect(img).to_be_visible()
        page.wait_for_function("() => [...document.querySelectorAll('figure.page img')].every(i => i.complete && i.naturalWidth > 0)")
        rect = figure.locator("rect.box").first
        rb, ib = rect.bounding_box(), img.bounding_box()
        assert rb["width"] > 20 and rb["height"] > 5
        assert ib["x"] <= rb["x"] and rb["x"] + rb["width"] <= ib["x"] + ib["width"] + 1
        assert ib["y"] <= rb["y"] and rb["y"] + rb["height"] <= ib["y"] + ib["height"] + 1
        # the outline is really drawn on the image: blue for the sentence, green for the expected cell
        assert coloured(figure.screenshot(), (0x2a, 0x6f, 0xdb)) > 100
        cell_fig = page.locator("figure.page", has=page.locator("rect.box-expected"))
        cell_fig.scroll_into_view_if_needed()
        assert coloured(cell_fig.screenshot(), (0x00, 0x99, 0x00), tol=60) > 50
        playwright.expect(page.locator("td.mark-expected").first).to_be_visible()
        finding = page.url.split("f=")[1].split("#")[0].split("&")[0]
        # verdict 误报 with a note
        page.locator('input[name="verdict"][value="false_alarm"]').check()
        page.fill('textarea[name="note"]', "表中总计与说明口径不同，误报")
        page.click(".verdict-form button[type=submit]")
        page.wait_for_load_state("load")
        page.reload()
        playwright.expect(page.locator('input[name="verdict"][value="false_alarm"]')).to_be_checked()
        playwright.expect(page.locator('textarea[name="note"]')).to_have_value("表中总计与说明口径不同，误报")
        playwright.expect(page.locator("li.finding.selected .verdict")).to_have_text("误报")
        with page.expect_download() as dl:
            page.click("#export-xlsx")
        path = tmp_path / "export.xlsx"
        dl.value.save_as(path)
        ctx.close()
    rows = list(openpyxl.load_workbook(path)["审核结论"].iter_rows(values_only=True))
    by = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by[finding]["规则"] == "N01" and by[finding]["审核结论"] == "误报"
    assert by[finding]["备注"] == "表中总计与说明口径不同，误报"


def test_folder_upload(server, tmp_path):
    """A folder picked in the page: its documents are uploaded with their folder names, its README left out."""
    base, _, _ = server
    folder = tmp_path / "档案2023"
    folder.mkdir()
    for n in ("000_e75c8bca0de43ef5.txt", "002_a9298f1028fbdbf6.txt"):
        (folder / n).write_bytes((ROOT / "corpus" / "seeds" / n).read_bytes())
    (folder / "README.md").write_text("说明文件，不是公开文件", encoding="utf-8")
    with playwright.sync_playwright() as p:
        ctx = launch(p)
        page = ctx.new_page()
        page.goto(base + "/")
        page.set_input_files("#folder", str(folder))
        for n in ("000_e75c8bca0de43ef5.txt", "002_a9298f1028fbdbf6.txt"):
            row = page.locator("#docs tbody tr", has_text=f"档案2023/{n}")
            playwright.expect(row.locator("td.st")).to_have_text("完成", timeout=180_000)
        playwright.expect(page.locator("#docs tbody tr", has_text="README")).to_have_count(0)
        ctx.close()
