"""Generic tables over the development corpus: the generic tables the pipeline keeps, and a stress test of the
generic T01/T02 checks that reads EVERY grid / tab-row run of every labelled document as a generic table (the
catalogue left out) and lists each error or warning they would report — each one to be judged by reading the page.

    python3 bench/generic_tables.py [--corpus ../shared/corpus] [--labels tests/labels] [FILTER]

Prints the pipeline's generic tables (file, id, page, title, row-key kind, columns), then the stress findings and the
counts (tables, relations found, findings by rule and severity).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks import RULES  # noqa: E402
from auditor.checks.generic import column_relations, row_relation  # noqa: E402
from auditor.errors import InputError  # noqa: E402
from auditor.model import Document  # noqa: E402
from auditor.pipeline import load_disclosure  # noqa: E402
from auditor.structure.generic import generic_tables  # noqa: E402
from auditor.structure.labelcheck import load_labels  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--labels", default=str(ROOT / "tests" / "labels"))
    ap.add_argument("filter", nargs="?", default="")
    a = ap.parse_args(argv)
    tot: Counter = Counter()
    stress: list[str] = []
    for label in load_labels(Path(a.labels)):
        if a.filter not in label["_label_path"] or not (Path(a.corpus) / label["file"]).exists():
            continue
        try:
            d = load_disclosure(Path(a.corpus) / label["file"])
        except InputError:
            continue
        for t in d.tables:
            if t.family == "generic":
                tot["pipeline generic tables"] += 1
                print(f"{label['file'][:60]:60} {t.id} p{t.prov.page} [{t.printed_title[:30]}] {t.row_key} "
                      f"{t.columns[:5]}")
        tabs, _ = generic_tables(d.blocks, set())
        tot["stress tables"] += len(tabs)
        for t in tabs:
            tot["column relations"] += len(column_relations(t))
            tot["row relations"] += row_relation(t) is not None
        doc = Document(source=d.source, blocks=d.blocks, tables=tabs)
        for code in ("T01", "T02"):
            for f in RULES[code].fn(doc):
                tot[f"stress {code} {f.severity}"] += 1
                if f.severity != "info":
                    stress.append(f"{label['file'][:60]:60} {code} {f.severity} p{f.prov.page} {f.message[:140]}")
    print("\nstress (every grid read as a generic table):")
    print("\n".join(stress))
    print()
    for k in sorted(tot):
        print(f"{k}: {tot[k]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
