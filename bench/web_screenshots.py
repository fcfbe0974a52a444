"""The screenshots of the workbench in docs/ (linked from the README): an archive made by `auditor batch`
(corpus/synthetic and the seeds) served by `auditor serve --db`, two Shanghai PDFs uploaded in headless Chromium;
then the upload view (while they are audited), a report view with a finding opened, and the archive view.

    python3 bench/web_screenshots.py [OUTDIR]     # default docs/
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.web.process import free_port, launch_chromium, start_server, stop_server  # noqa: E402

CHROMIUM = os.environ.get("AUDITOR_CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    from playwright.sync_api import expect, sync_playwright

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    tmp = Path(tempfile.mkdtemp(prefix="auditor-shots-"))
    arch = tmp / "档案"
    arch.mkdir()
    for p in list((ROOT / "corpus/synthetic").glob("SYNTHETIC_*.txt")) + list((ROOT / "corpus/seeds").glob("00*.txt")):
        (arch / p.name).write_bytes(p.read_bytes())
    subprocess.run([sys.executable, "-m", "auditor", "batch", str(arch), "-o", str(tmp / "out"), "--jobs", "2"],
                   cwd=ROOT, check=False, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp / "web", port, ROOT, "--jobs", "2", "--db", str(tmp / "out" / "auditor.duckdb"))
    pdfs = [ROOT / "corpus/shanghai/shanghai_putuo_caizhengju_2024.pdf",
            ROOT / "corpus/shanghai/shanghai_putuo_shehuigongzuobu_2024.pdf"]
    try:
        with sync_playwright() as p:
            ctx = launch_chromium(p, CHROMIUM, tempfile.mkdtemp(prefix="auditor-chromium-"), viewport=(1400, 900))
            page = ctx.new_page()
            page.goto(base + "/")
            page.set_input_files("#files", [str(x) for x in pdfs])
            expect(page.locator("#docs tbody tr", has_text=pdfs[1].name)).to_be_visible(timeout=30_000)
            page.screenshot(path=str(out / "web-upload.png"))
            for x in pdfs:
                expect(page.locator("#docs tbody tr", has_text=x.name).locator("td.st")).to_have_text(
                    "完成", timeout=300_000)
            page.locator("#docs tbody tr", has_text=pdfs[0].name).locator("a").click()
            page.locator("li.finding", has_text="N01").first.locator("a").click()
            page.wait_for_function("() => [...document.querySelectorAll('figure.page img')]"
                                   ".every(i => i.complete && i.naturalWidth > 0)")
            page.locator("figure.page").first.scroll_into_view_if_needed()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(out / "web-report.png"), full_page=True)
            page.goto(base + "/archive")
            page.screenshot(path=str(out / "web-archive.png"), full_page=True)
            ctx.close()
    finally:
        stop_server(proc)
    for n in ("web-upload.png", "web-report.png", "web-archive.png"):
        print(out / n, (out / n).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
