"""Print, per document, the share of printed figures inside table regions that land in a parsed cell.

    python3 bench/table_coverage.py [FILES...]      (default: corpus/seeds/*.txt)
Goal (issue 2): at least 99 % per seed.
"""
from __future__ import annotations

import sys
from pathlib import Path

from auditor.read import read_blocks
from auditor.structure import build_document, find_regions
from auditor.structure.coverage import document_coverage


def coverage_of(path):
    info, blocks = read_blocks(path)
    doc = build_document(info, blocks)
    return document_coverage(doc, find_regions(blocks))


def main(argv):
    root = Path(__file__).resolve().parent.parent
    files = argv or sorted(str(p) for p in (root / "corpus" / "seeds").glob("*.txt"))
    tot_n = tot_l = 0
    for f in files:
        cov = coverage_of(f)
        tot_n += cov.numbers
        tot_l += cov.landed
        print(f"{Path(f).name:40} figures {cov.numbers:5d}  in cells {cov.landed:5d}  coverage {cov.ratio:7.2%}"
              + (f"  missed e.g. {cov.missed[:5]}" if cov.missed else ""))
    print(f"{'TOTAL':40} figures {tot_n:5d}  in cells {tot_l:5d}  coverage {tot_l / max(tot_n, 1):7.2%}")


if __name__ == "__main__":
    main(sys.argv[1:])
