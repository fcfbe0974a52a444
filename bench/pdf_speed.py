"""CPU per page of the full audit against the pypdfium2 plain-text floor, document by document, over a corpus of PDFs.

    python3 bench/pdf_speed.py [-n REPS] [--wall] [--parts] [--plumber] [PATH...]
    (default PATH: every PDF under ../shared/corpus/, all folders; a folder is searched recursively)

For each PDF: (a) the floor, every page's plain text through pypdfium2; (c) the full audit (auditor.pipeline.audit,
as `auditor check` runs it); the ratio (c)/(a); and where (c)'s time goes (read / structure / claims / checks, from a
second run stage by stage).  A file the auditor rejects (not a disclosure, broken, a scan) is listed apart with the
CPU it took to reject it: the ratio concerns the documents processed.  Then the median and the worst ratio (goal,
issue 14: median <= 3x, worst <= 5x).  ``--parts`` splits the reader's own time (auditor/read/pdf.py): PDFium
loading the page and its text page, the characters, the walk over the page objects (ruling edges), pdfminer (pages
whose CJK font is neither embedded nor installed), table finding, cell texts and grids, text lines.  ``--plumber``
adds (b), pdfplumber's extract_text + extract_tables (slow).

Every figure is the median of REPS (default 3) runs, the measures taken in turn within each repetition so that they
see the same machine load; a repetition is one pass over every document, so the runs of one document are minutes
apart (a spell of load on the machine reaches one of them, not all).  The table is printed once all passes are
done.  Times are the process's CPU time (``time.process_time``: other processes on a busy
machine do not inflate them); ``--wall`` measures wall-clock time instead.  The audit's NLP start-up (spaCy, jieba)
is paid once before any timing.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
STAGES = ["read", "structure", "claims", "checks"]
PARTS = ["pdfium", "chars", "ruling", "pdfminer", "tables", "cells", "lines"]

clock = time.process_time


def _seconds(fn: Callable[[], object]) -> float:
    t0 = clock()
    fn()
    return clock() - t0


def pdfium_text(path: Path) -> int:
    """(a) the floor: every page's plain text through pypdfium2; the page count (0 when PDFium cannot open it)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:
        return 0
    try:
        for page in pdf:
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def plumber_text_tables(path: Path) -> None:
    """(b) pdfplumber's page text and tables (default settings)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.flush_cache()


def full_audit(path: Path) -> str | None:
    """(c) the whole pipeline, as `auditor check` runs it; the reason when the file is rejected."""
    from auditor.errors import InputError
    from auditor.pipeline import audit

    try:
        audit(path)
    except InputError as e:
        return e.en
    return None


def audit_stages(path: Path) -> dict[str, float]:
    """One audit, stage by stage (the calls of auditor.pipeline.audit), seconds per stage; empty when rejected."""
    from auditor.pipeline import gc_paused

    with gc_paused():  # as auditor.pipeline.audit runs the stages
        return _stages(path)


def _stages(path: Path) -> dict[str, float]:
    from auditor.checks import run_checks
    from auditor.claims import extract_claims
    from auditor.errors import InputError
    from auditor.read import read_blocks
    from auditor.structure import build_document

    try:
        t0 = clock()
        info, blocks = read_blocks(path)
        t1 = clock()
        doc = build_document(info, blocks)
        t2 = clock()
    except InputError:
        return {}
    if not doc.tables:
        return {}
    extract_claims(doc)
    t3 = clock()
    run_checks(doc, None, None)
    t4 = clock()
    return {"read": t1 - t0, "structure": t2 - t1, "claims": t3 - t2, "checks": t4 - t3}


def read_parts(path: Path) -> dict[str, float]:
    """One read, step by step (the steps of auditor.read.pdf._read_page), seconds per step; "mined" counts the
    pages whose characters came from pdfminer."""
    from auditor.read import pdf as reader
    from auditor.read.pdf_fallback import MinerChars
    from auditor.read.pdf_grid import fill_texts, find_tables
    from auditor.read.pdfium_page import open_document, origin_top, page_chars, page_shapes

    from auditor.pipeline import gc_paused

    with gc_paused():
        return _read_parts(path, reader, MinerChars, fill_texts, find_tables, open_document, origin_top, page_chars,
                           page_shapes)


def _read_parts(path, reader, MinerChars, fill_texts, find_tables, open_document, origin_top, page_chars,
                page_shapes) -> dict[str, float]:
    data = path.read_bytes()
    out = dict.fromkeys(PARTS, 0.0)
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
        chars = text.chars + shapes.blanks
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
    out["mined"] = mined
    return out


def measure_once(path: Path, runs: dict[str, list[float]], parts: bool, plumber: bool) -> str | None:
    """One repetition of every measure of a document, taken in turn (so they see the same machine load), added to
    ``runs``; the reason when the file is rejected."""
    def add(key: str, v: float) -> None:
        runs.setdefault(key, []).append(v)

    add("a", _seconds(lambda: pdfium_text(path)))
    if plumber:
        add("b", _seconds(lambda: plumber_text_tables(path)))
    t0 = clock()
    rejected = full_audit(path)
    add("c", clock() - t0)
    if rejected is None:
        for k, v in audit_stages(path).items():
            add(k, v)
        if parts:
            for k, v in read_parts(path).items():
                add("read:" + k, v)
    return rejected


def measure(files: list[Path], reps: int, parts: bool, plumber: bool) -> dict[Path, dict]:
    """Each document's medians over ``reps`` repetitions.  A repetition is one pass over all the documents, so the
    repetitions of one document are minutes apart and a spell of load on the machine reaches at most one of them.
    A rejected file is measured once."""
    runs: dict[Path, dict[str, list[float]]] = {f: {} for f in files}
    rejected: dict[Path, str | None] = {}
    for rep in range(reps):
        for f in files:
            if rep == 0 or rejected[f] is None:
                rejected[f] = measure_once(f, runs[f], parts, plumber)
    out = {}
    for f in files:
        out[f] = {k: statistics.median(v) for k, v in runs[f].items()}
        out[f]["rejected"] = rejected[f]
    return out


def pdf_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out += sorted(p.rglob("*.pdf")) if p.is_dir() else [p]
    return out


def _name(path: Path) -> str:
    try:
        s = str(path.resolve().relative_to(CORPUS.resolve()))
    except ValueError:
        s = path.name
    return s if len(s) <= 44 else s[:20] + "…" + s[-23:]


def _commit() -> str:
    r = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return (r.stdout.strip()[:70] or "?") + (" (with uncommitted changes)" if dirty else "")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--reps", type=int, default=3)
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of the process's CPU time")
    ap.add_argument("--parts", action="store_true", help="also split the reader's time step by step")
    ap.add_argument("--plumber", action="store_true", help="also time pdfplumber's text and tables (slow)")
    ap.add_argument("paths", nargs="*", type=Path)
    args = ap.parse_args(argv)
    global clock
    clock = time.perf_counter if args.wall else time.process_time
    files = pdf_files(args.paths or [CORPUS])
    if not files:
        print("no PDF found", file=sys.stderr)
        return 2
    from auditor.read.pdfium_page import measures_cjk

    full_audit(ROOT / "tests" / "fixtures" / "pdf" / "001_6d6ee4970fc0bf0d.pdf")  # spaCy/jieba start-up, untimed
    ms = 1000.0
    print(f"commit {_commit()}; PDFium has a CJK font to substitute: {'yes' if measures_cjk() else 'no'}")
    print(f"{'wall-clock' if args.wall else 'CPU'} ms per page, median of {args.reps} runs; stages from a second run")
    head = f"{'document':44} {'pages':>5} {'(a) floor':>9} {'(c) audit':>9} {'(c)/(a)':>7}"
    if args.plumber:
        head += f" {'(b) plumber':>11} {'(b)/(a)':>7}"
    print(head + "  " + " ".join(f"{k:>9}" for k in STAGES) + ("  via pdfminer" if args.parts else ""))
    done, rejected = [], []
    measured = measure(files, args.reps, args.parts, args.plumber)
    for f in files:
        pages = pdfium_text(f)
        m = measured[f]
        per = max(pages, 1)
        if m["rejected"] is not None:
            rejected.append((f, pages, m))
            continue
        ratio = m["c"] / m["a"] if m["a"] else float("inf")
        done.append((f, pages, m, ratio))
        line = f"{_name(f):44} {pages:5d} {m['a'] / per * ms:9.2f} {m['c'] / per * ms:9.2f} {ratio:7.1f}"
        if args.plumber:
            line += f" {m['b'] / per * ms:11.2f} {m['b'] / m['a']:7.1f}"
        line += "  " + " ".join(f"{m.get(k, 0.0) / per * ms:9.2f}" for k in STAGES)
        if args.parts:
            line += f"  {int(m.get('read:mined', 0)):4d} of {pages}"
        print(line, flush=True)
    if done:
        ratios = [r for *_, r in done]
        worst = max(done, key=lambda d: d[3])
        pages = sum(p for _, p, _, _ in done)
        a = sum(m["a"] for _, _, m, _ in done)
        c = sum(m["c"] for _, _, m, _ in done)
        print(f"{len(done)} documents processed, {pages} pages: median ratio {statistics.median(ratios):.2f}x, worst "
              f"{worst[3]:.2f}x ({_name(worst[0])}); all pages together {c / a:.2f}x "
              f"({a / pages * ms:.2f} vs {c / pages * ms:.2f} ms per page); goal median <= 3x, worst <= 5x")
        sums = {k: sum(m.get(k, 0.0) for _, _, m, _ in done) for k in STAGES}
        total = sum(sums.values()) or 1.0
        print("where the time goes, all processed documents: "
              + ", ".join(f"{k} {sums[k] / pages * ms:.2f} ms/page ({sums[k] / total:.0%})" for k in STAGES))
        if args.parts:
            psum = {k: sum(m.get("read:" + k, 0.0) for _, _, m, _ in done) for k in PARTS}
            mined = sum(int(m.get("read:mined", 0)) for _, _, m, _ in done)
            print("inside read: " + ", ".join(f"{k} {psum[k] / pages * ms:.2f}" for k in PARTS)
                  + f" ms/page; {mined} of {pages} pages via pdfminer")
    if rejected:
        print(f"\n{len(rejected)} files rejected (not counted in the ratios): CPU to reject, ms per page, against the "
              f"floor, and why")
        for f, pages, m in rejected:
            ratio = f"{m['c'] / m['a']:7.1f}" if m["a"] and pages else f"{'-':>7}"
            print(f"{_name(f):44} {pages:5d} {m['c'] / max(pages, 1) * ms:9.2f} {ratio}  {m['rejected']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
