"""The workbench's speed, as a reviewer sees it: start `auditor serve` (its real process pool), then in headless
Chromium upload a ~25-page PDF and time until its report is shown (the upload, the queue, the audit in a worker,
the report page loaded); the first upload pays the pool's start-up (NLP loading), so a second PDF is timed too.
Then the page images: each page of the PDF rendered once (pypdfium2, stored in the cache) and served again from
the cache. Prints its figures.

    python3 bench/web_speed.py [PDF]
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.web.process import free_port, launch_chromium, start_server, stop_server  # noqa: E402

CHROMIUM = os.environ.get("AUDITOR_CHROMIUM", "/usr/bin/chromium")


def upload_to_report(page, base: str, pdf: Path) -> float:
    from playwright.sync_api import expect

    page.goto(base + "/")
    t0 = time.perf_counter()
    page.set_input_files("#files", str(pdf))
    row = page.locator("#docs tbody tr", has_text=pdf.name)
    expect(row.locator("td.st")).to_have_text("完成", timeout=600_000)
    row.locator("a").click()
    page.wait_for_selector("section.list details.sev")
    return time.perf_counter() - t0


def main() -> int:
    from playwright.sync_api import sync_playwright

    pdf = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "corpus/shanghai/shanghai_putuo_caizhengju_2024.pdf"
    second = ROOT / "corpus/shanghai/shanghai_putuo_shehuigongzuobu_2024.pdf"
    data = Path(tempfile.mkdtemp(prefix="auditor-web-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    proc = start_server(data, port, ROOT, "--jobs", "2")
    print(f"server answering after {time.perf_counter() - t0:.2f} s")
    try:
        with sync_playwright() as p:
            ctx = launch_chromium(p, CHROMIUM, tempfile.mkdtemp(prefix="auditor-chromium-"))
            page = ctx.new_page()
            cold = upload_to_report(page, base, pdf)
            pid = page.url.rsplit("/", 1)[1].split("?")[0]
            warm = upload_to_report(page, base, second) if second.exists() and second != pdf else None
            ctx.close()
        import pypdfium2 as pdfium

        n = len(pdfium.PdfDocument(str(pdf)))
        print(f"{pdf.name}: {n} pages, {pdf.stat().st_size / 2**20:.2f} MB")
        print(f"upload -> report shown, first upload right after the start (waits for the pool start-up): {cold:.2f} s")
        if warm is not None:
            print(f"upload -> report shown, next upload ({second.name}): {warm:.2f} s")
        first, cached = [], []
        for i in range(1, n + 1):
            for times in (first, cached):
                t = time.perf_counter()
                with urllib.request.urlopen(f"{base}/api/documents/{pid}/pages/{i}.png") as r:
                    r.read()
                times.append(time.perf_counter() - t)
        for label, ts in (("rendered", first), ("from the cache", cached)):
            print(f"page image {label}: mean {statistics.mean(ts) * 1000:.0f} ms, median "
                  f"{statistics.median(ts) * 1000:.0f} ms, max {max(ts) * 1000:.0f} ms per page ({n} pages)")
    finally:
        stop_server(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
