"""Batch throughput on an archive of N documents: the corpus copied under varied names into district/year folders.

    python3 bench/archive_batch.py [--n 1000] [--dir DIR] [--jobs 1,2] [--corpus all|text|dev] [--keep]

Prints, for each --jobs value, documents per second and the peak resident memory of a worker process; the
speed-up of the last over the first (goal: >= 1.8x for --jobs 2 over --jobs 1 on 2 cores); and the time of a
re-run with nothing changed (goal: under 5% of the first run). The load average before and after each run is
printed too: other processes on the machine make the figures noisy. ``--corpus all`` (default) mixes the text
seeds and the Shanghai PDFs; ``--corpus text`` uses the text seeds only (fast); ``--corpus dev`` takes every
document of the development corpus (``../shared/corpus/``, all folders, the files that are not disclosures
included: they are rejected), each once unless --n is given.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.batch import BatchOptions, run_batch  # noqa: E402

DISTRICTS = ["jiefang", "shanyang", "macun", "zhongzhan", "mengjin", "putuo", "hubin", "xiaoyi"]


def corpus(which: str) -> list[Path]:
    if which == "dev":
        from auditor.read import find_documents

        dev = ROOT.parent / "shared" / "corpus"
        if not dev.is_dir():
            raise SystemExit(f"no development corpus at {dev}")
        return find_documents([dev])
    files = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    if which == "all":
        files += sorted((ROOT / "corpus" / "shanghai").glob("*.pdf"))
    return files


def build(dest: Path, n: int, files: list[Path]) -> Path:
    """dest/archive/<district>/<year>/<i>_<name>: document i is a copy of corpus file i mod len(corpus)."""
    arch = dest / "archive"
    for i in range(n):
        src = files[i % len(files)]
        d = arch / DISTRICTS[i % len(DISTRICTS)] / str(2019 + (i // len(DISTRICTS)) % 6)
        d.mkdir(parents=True, exist_ok=True)
        target = d / f"{i:05d}_{src.stem[:24]}{src.suffix}"
        if not target.exists():
            shutil.copyfile(src, target)
    return arch


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run(arch: Path, out: Path, jobs: int, n: int) -> tuple[float, object]:
    l0 = load()
    t0, c0 = time.perf_counter(), time.process_time()
    s = run_batch(BatchOptions([str(arch)], str(out), jobs=jobs, progress=False))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert s.documents == n, (s.documents, n)
    print(f"--jobs {jobs}: {n} documents in {dt:8.1f} s = {n / dt:6.2f} documents/s; audited {s.audited}, failed "
          f"{s.failed}; peak RSS per worker {s.max_rss_mb:5.0f} MB; parent CPU {cpu / n * 1000:.1f} ms/document; "
          f"load average before {l0}, after {load()}", flush=True)
    return dt, s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, help="documents in the archive (default 1000; --corpus dev: each file once)")
    ap.add_argument("--dir", help="build the archive and outputs here (kept); default: a temporary folder")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default 1,2)")
    ap.add_argument("--corpus", choices=["all", "text", "dev"], default="all")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args(argv)
    jobs = [int(j) for j in a.jobs.split(",")]
    dest = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    files = corpus(a.corpus)
    if a.n is None:
        a.n = len(files) if a.corpus == "dev" else 1000
    try:
        arch = build(dest, a.n, files)
        n_pdf = sum(1 for i in range(a.n) if files[i % len(files)].suffix.lower() == ".pdf")
        print(f"archive: {a.n} documents ({a.n - n_pdf} text, {n_pdf} PDF, copies of {len(files)} corpus files) "
              f"in {arch}; {os.cpu_count()} cores", flush=True)
        times = {}
        for j in jobs:
            out = dest / f"out-jobs{j}"
            shutil.rmtree(out, ignore_errors=True)
            times[j], _ = run(arch, out, j, a.n)
        if len(jobs) > 1:
            print(f"speed-up --jobs {jobs[-1]} over --jobs {jobs[0]}: {times[jobs[0]] / times[jobs[-1]]:.2f}x "
                  f"(goal >= 1.8x on 2 cores)")
        last = jobs[-1]
        l0 = load()
        t0 = time.perf_counter()
        s = run_batch(BatchOptions([str(arch)], str(dest / f"out-jobs{last}"), jobs=last, progress=False))
        dt = time.perf_counter() - t0
        print(f"re-run, nothing changed (--jobs {last}): {dt:.2f} s = {dt / times[last]:.1%} of the first run "
              f"(goal < 5%); skipped {s.skipped}, audited {s.audited}; load average before {l0}, after {load()}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"parent process peak RSS {rss:.0f} MB")
    finally:
        if not a.dir and not a.keep:
            shutil.rmtree(dest, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
