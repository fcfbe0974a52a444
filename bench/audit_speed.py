"""Speed of a full audit, measured here and now (nothing typed in).

Prints, per seed, the median wall time of `auditor.audit(path)` after start-up (goal < 0.3 s), the one-off start-up
cost of the NLP stack (jieba dictionary + spaCy blank("zh")), and the wall time of CLI commands that must stay lazy
(`auditor rules`, `auditor tables`: they should not pay for jieba/spaCy).

    python3 bench/audit_speed.py [--repeat 5] [PATH ...]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cli_seconds(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _nlp_loaded_by(args: list[str]) -> bool:
    code = ("import sys; from auditor.cli import main; main(%r); "
            "print('spacy' in sys.modules or 'jieba' in sys.modules, file=sys.stderr)" % (args,))
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    return r.stderr.strip().splitlines()[-1:] == ["True"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    paths = [Path(p) for p in a.paths] or sorted((ROOT / "corpus" / "seeds").glob("*.txt"))

    t0 = time.perf_counter()
    from auditor.claims.nlp import get_nlp  # noqa: E402  (the start-up being measured)

    get_nlp()
    startup = time.perf_counter() - t0
    from auditor import audit

    print(f"start-up (import + jieba + spaCy blank zh): {startup:.3f} s")
    print(f"{'document':45} {'median s':>9} {'min s':>7} {'findings':>8}")
    medians = []
    for p in paths:
        times = []
        n = 0
        for _ in range(a.repeat):
            t = time.perf_counter()
            r = audit(p)
            times.append(time.perf_counter() - t)
            n = len(r.findings)
        medians.append(statistics.median(times))
        print(f"{p.name[:45]:45} {statistics.median(times):9.3f} {min(times):7.3f} {n:8d}")
    print(f"median over documents: {statistics.median(medians):.3f} s (goal < 0.3 s per seed)")

    seed = str(paths[0])
    for args in (["rules"], ["tables", seed], ["check", seed, "--format", "json"]):
        lazy = not _nlp_loaded_by(args)
        print(f"`auditor {' '.join(args[:1])}`: {_cli_seconds(args, 3):.2f} s wall (whole process), "
              f"NLP stack {'not loaded' if lazy else 'loaded'}")


if __name__ == "__main__":
    main()
