"""Harvest the 政府收支分类科目 支出功能分类 款/项 names printed beside their codes in the development corpus and write
them to lexicons/classification_items.toml (the list auditor.structure.classify places name-only rows with).

The classification is one national list: a code printed with its name in one city's table names the same 科目 in
every city's. Every recognised table of every corpus document (../shared/corpus: budgets, jiangsu, foshan_shunde,
shanghai, seeds) whose rows carry a functional code (3, 5 or 7 digits, starting with 2) and a name contributes the
pair. Where a code was printed with several names, a name printed by one document only beside a name printed by
several is dropped as a misreading, and a name that is a prefix of another printed by at least as many documents as a
cell cut short (the result is printed for review; a rename both of whose names several documents print keeps both).

    python3 bench/harvest_classification.py [--check]     # --check: fail when the committed file differs
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "lexicons" / "classification_items.toml"
SUFFIXES = (".pdf", ".txt", ".docx", ".xlsx")

HEADER = """# 政府收支分类科目 支出功能分类 款 (5 digits) and 项 (7 digits): the names printed beside each code in the
# development corpus (../shared/corpus), harvested by bench/harvest_classification.py (do not edit by hand: rerun
# it; `--check` compares). auditor/structure/classify.py places a table's name-only rows with this list: a 类 by its
# name (classification.toml), a 款 by its name among the 款 of the 类 above it, a 项 among the 项 of the 款 above it.
# Several names for one code: the names different years or documents print (a rename, a shortened form).
"""


def harvest(files: list[Path]) -> dict[str, dict[str, set[str]]]:
    """code -> name -> the documents printing that pair."""
    from auditor import pipeline
    from auditor.errors import InputError

    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in files:
        try:
            doc = pipeline.load_document(f)
        except InputError:
            continue
        for t in doc.tables:
            for r in t.rows:
                c = r.code
                if c and r.name and len(c) in (5, 7) and c[0] == "2" and c.isdigit() \
                        and not r.code_from_name:
                    seen[c][r.name].add(str(f.relative_to(CORPUS)))
    return seen


def select(seen: dict[str, dict[str, set[str]]]) -> dict[str, list[str]]:
    out = {}
    for code, names in sorted(seen.items()):
        most = max(len(d) for d in names.values())
        keep = [n for n in names if len(names[n]) > 1 or most == 1]
        # a cell cut short: a prefix of another name printed by at least as many documents
        keep = [n for n in keep if not any(o != n and o.startswith(n) and len(names[o]) >= len(names[n]) for o in keep)]
        out[code] = sorted(keep, key=lambda n: (-len(names[n]), n))
    return out


def render(items: dict[str, list[str]]) -> str:
    lines = [HEADER, "[functional]"]
    for code, names in items.items():
        lines.append(f'"{code}" = [{", ".join(chr(34) + n + chr(34) for n in names)}]')
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in SUFFIXES)
    seen = harvest(files)
    items = select(seen)
    text = render(items)
    for code, names in items.items():
        dropped = sorted(set(seen[code]) - set(names))
        if len(names) > 1 or dropped:
            print(code, "kept", names, "dropped", dropped)
    print(f"{len(items)} codes ({sum(len(c) == 5 for c in items)} 款, {sum(len(c) == 7 for c in items)} 项) "
          f"from {len(files)} files")
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("unchanged" if same else f"{OUT} differs")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print("wrote", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
