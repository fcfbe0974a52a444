"""Seconds per page on the same PDFs, side by side: (a) pypdfium2 plain text (the floor), (b) pdfplumber
extract_text + extract_tables, (c) the full audit (auditor.pipeline.audit), the ratio (c)/(a), and where (c)'s time goes.

    python3 bench/pdf_speed.py [-n REPS] [FILES...]   (default: corpus/shanghai/*.pdf and tests/fixtures/pdf/*.pdf)

Every figure is the median of REPS (default 5) runs, the three measures taken in turn within each repetition so that
they see the same machine load.  Times are the process's CPU time (``time.process_time``: other processes on a busy
machine do not inflate them); ``--wall`` measures wall-clock time instead.  The audit's NLP start-up (spaCy, jieba) is
paid once on the first file before any timing.  Goal (issue 5): the full audit within 5x of the floor.

A third table splits the reader's own time (auditor/read/pdf.py) the same way: PDFium loading the page and its text
page, the characters, the walk over the page objects (ruling edges), table finding, cell texts and grids, text lines;
"pdfminer" is the pages PDFium could not measure (a CJK font neither embedded nor installed) read again by pdfminer.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


clock = time.process_time


def _seconds(fn: Callable[[], object]) -> float:
    t0 = clock()
    fn()
    return clock() - t0


def pdfium_text(path: Path) -> int:
    """(a) the floor: every page's plain text through pypdfium2."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def plumber_text_tables(path: Path) -> int:
    """(b) pdfplumber's page text and tables (default settings)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.flush_cache()
        return len(pdf.pages)


def full_audit(path: Path) -> None:
    """(c) the whole pipeline, as `auditor check` runs it."""
    from auditor.pipeline import audit

    audit(path)


def audit_stages(path: Path) -> dict[str, float]:
    """One audit, stage by stage (the same calls as auditor.pipeline.audit), seconds per stage."""
    from auditor.checks import run_checks
    from auditor.claims import extract_claims
    from auditor.read import read_blocks
    from auditor.structure import build_document

    t0 = clock()
    info, blocks = read_blocks(path)
    t1 = clock()
    doc = build_document(info, blocks)
    t2 = clock()
    extract_claims(doc)
    t3 = clock()
    run_checks(doc, None, None)
    t4 = clock()
    return {"read": t1 - t0, "structure": t2 - t1, "claims": t3 - t2, "checks": t4 - t3}


def measure(path: Path, reps: int) -> tuple[float, float, float, dict[str, float]]:
    """Medians over ``reps`` repetitions of (a), (b), (c) and (c)'s stages, taken in turn in each repetition."""
    a, b, c, stages = [], [], [], []
    for _ in range(reps):
        a.append(_seconds(lambda: pdfium_text(path)))
        b.append(_seconds(lambda: plumber_text_tables(path)))
        c.append(_seconds(lambda: full_audit(path)))
        stages.append(audit_stages(path) | {"read:" + k: v for k, v in read_parts(path).items()})
    med = statistics.median
    return med(a), med(b), med(c), {k: med(s[k] for s in stages) for k in stages[0]}


def read_parts(path: Path) -> dict[str, float]:
    """One read, step by step (the steps of auditor.read.pdf._read_page), seconds per step; "pages" counts the pages
    whose characters came from pdfminer."""
    from auditor.read import pdf as reader
    from auditor.read.pdf_fallback import MinerChars
    from auditor.read.pdf_grid import fill_texts, find_tables
    from auditor.read.pdfium_page import open_document, origin_top, page_chars, page_shapes

    data = path.read_bytes()
    out = dict.fromkeys(["pdfium", "chars", "ruling", "tables", "cells", "lines", "pdfminer"], 0.0)
    mined = 0
    pdf = open_document(data)
    miner = MinerChars(data)
    for i in range(len(pdf)):
        t0 = clock()
        page = pdf[i]
        top = origin_top(page)
        textpage = page.get_textpage()
        t1 = clock()
        text = page_chars(textpage, top)
        t2 = clock()
        shapes = page_shapes(page, top, text.objects)
        textpage.close()
        page.close()
        t3 = clock()
        chars = text.chars
        if shapes.dropped_text:
            mined += 1
            chars = miner.page_chars(i + 1, top) or chars
        t4 = clock()
        tables = [t for t in find_tables(shapes.edges) if t.rows]
        t5 = clock()
        for t in tables:
            fill_texts(t, chars)
            reader._grid(t, str(path), i + 1)
        t6 = clock()
        reader._lines(chars, str(path), i + 1, [reader._r(t.bbox) for t in tables])
        t7 = clock()
        for k, a, b in (("pdfium", t0, t1), ("chars", t1, t2), ("ruling", t2, t3), ("pdfminer", t3, t4),
                        ("tables", t4, t5), ("cells", t5, t6), ("lines", t6, t7)):
            out[k] += b - a
    miner.close()
    pdf.close()
    out["pages"] = mined
    return out


def default_files() -> list[Path]:
    return sorted((ROOT / "corpus" / "shanghai").glob("*.pdf")) + sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--reps", type=int, default=5)
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of the process's CPU time")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    global clock
    clock = time.perf_counter if args.wall else time.process_time
    files = args.files or default_files()
    full_audit(files[0])  # pay spaCy/jieba start-up once, outside every timing
    ms = 1000.0
    print(f"{'wall-clock' if args.wall else 'CPU'} ms per page, median of {args.reps} runs")
    print(f"{'document':40} {'pages':>5} {'(a) pdfium':>10} {'(b) plumber':>11} {'(c) audit':>10} {'(c)/(a)':>8} {'(b)/(a)':>8}")
    tot = {"pages": 0, "a": 0.0, "b": 0.0, "c": 0.0}
    stage_rows = []
    for f in files:
        pages = pdfium_text(f)
        a, b, c, st = measure(f, args.reps)
        stage_rows.append((f.name, pages, st))
        tot["pages"] += pages
        tot["a"] += a
        tot["b"] += b
        tot["c"] += c
        print(f"{f.name:40} {pages:5d} {a / pages * ms:10.2f} {b / pages * ms:11.2f} {c / pages * ms:10.2f} {c / a:8.1f} {b / a:8.1f}")
    n = tot["pages"]
    print(f"{'ALL':40} {n:5d} {tot['a'] / n * ms:10.2f} {tot['b'] / n * ms:11.2f} {tot['c'] / n * ms:10.2f} "
          f"{tot['c'] / tot['a']:8.1f} {tot['b'] / tot['a']:8.1f}")
    print()
    print("where the audit's time goes, ms per page (share of the stages' sum)")
    names = ["read", "structure", "claims", "checks"]
    print(f"{'document':40} " + " ".join(f"{k:>16}" for k in names))
    sums = dict.fromkeys(names, 0.0)
    for name, pages, st in stage_rows:
        total = sum(st[k] for k in names) or 1.0
        print(f"{name:40} " + " ".join(f"{st[k] / pages * ms:8.2f} ({st[k] / total:4.0%})" for k in names))
        for k in names:
            sums[k] += st[k]
    total = sum(sums.values()) or 1.0
    print(f"{'ALL':40} " + " ".join(f"{sums[k] / n * ms:8.2f} ({sums[k] / total:4.0%})" for k in names))
    print()
    print("inside read, ms per page (measured apart from the runs above)")
    parts = ["pdfium", "chars", "ruling", "tables", "cells", "lines", "pdfminer"]
    print(f"{'document':40} " + " ".join(f"{k:>8}" for k in parts) + f" {'pages via pdfminer':>19}")
    for name, pages, st in stage_rows:
        print(f"{name:40} " + " ".join(f"{st['read:' + k] / pages * ms:8.2f}" for k in parts)
              + f" {int(st['read:pages']):>12d} of {pages:<4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
