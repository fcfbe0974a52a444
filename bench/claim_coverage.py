"""Print, per document, how the number tokens of the narrative are accounted for by the claims stage, and how long
extraction takes.

    python3 bench/claim_coverage.py [--runs N] [FILES...]   (default: corpus/seeds/*.txt, then corpus/shanghai/*.pdf)

numbers      number tokens in the narrative parts
in_claims    tokens that are the figure of a claim
not_claims   tokens classified as something else (year, date, item number, hotline, threshold, ...)
unexplained  tokens neither in a claim nor classified; goal (issue 3): at most 2 % of numbers on every seed
no_subject   claims with a figure whose subject could not be resolved (shown, not part of the goal)
ms           claims extraction per document after start-up: median of N runs (reading and structure not counted)
Start-up (importing jieba and spaCy, loading jieba's dictionary and building the pipeline) is paid once per process
and printed on its own line. Every figure is measured when the script runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

GOAL = 0.02


def startup_seconds() -> float:
    """The one-off cost of the NLP front end in this process: imports, jieba dictionary, spaCy pipeline."""
    t0 = time.perf_counter()
    from auditor.claims.nlp import get_nlp, sentence_spans

    get_nlp()
    sentence_spans("收、支总计均为 585.49 万元。与上年度相比减少 65.45 万元。")
    return time.perf_counter() - t0


def measure(path: str, runs: int):
    from auditor.claims import extract_claims
    from auditor.pipeline import load_document

    doc = load_document(path)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        claims, cov = extract_claims(doc)
        times.append(time.perf_counter() - t0)
    no_subject = sum(1 for c in claims if c.value is not None and not c.subject)
    return cov, no_subject, statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--runs", type=int, default=5, help="extraction runs per document (the median is printed)")
    a = ap.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    seeds = sorted(str(p) for p in (root / "corpus" / "seeds").glob("*.txt"))
    files = a.files or seeds + sorted(str(p) for p in (root / "corpus" / "shanghai").glob("*.pdf"))

    print(f"start-up (jieba + spaCy, once per process): {startup_seconds() * 1000:.0f} ms")
    print(f"{'document':40} {'numbers':>7} {'in_claims':>9} {'not_claims':>10} {'unexplained':>11} {'%':>7} "
          f"{'no_subject':>10} {'ms':>7}")
    worst = 0.0
    tot = [0, 0, 0, 0, 0]
    for f in files:
        cov, no_subject, secs = measure(f, a.runs)
        share = cov.unexplained / cov.numbers if cov.numbers else 0.0
        is_seed = f in seeds
        if is_seed:
            worst = max(worst, share)
        for i, v in enumerate((cov.numbers, cov.in_claims, cov.not_claims, cov.unexplained, no_subject)):
            tot[i] += v
        print(f"{Path(f).name[:40]:40} {cov.numbers:7d} {cov.in_claims:9d} {cov.not_claims:10d} {cov.unexplained:11d} "
              f"{share:7.2%} {no_subject:10d} {secs * 1000:7.1f}" + ("" if is_seed else "  (extra)"))
        for value, line, sentence in cov.unexplained_examples[:5]:
            print(f"    unexplained {value!r} line {line}: {sentence}")
    print(f"{'TOTAL':40} {tot[0]:7d} {tot[1]:9d} {tot[2]:10d} {tot[3]:11d} {tot[3] / max(tot[0], 1):7.2%} {tot[4]:10d}")
    print(f"worst seed: {worst:.2%} unexplained (goal <= {GOAL:.0%}): {'met' if worst <= GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
