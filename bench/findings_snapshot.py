"""Snapshot of what the auditor makes of every PDF of a corpus, to check that a performance change changes nothing.

    python3 bench/findings_snapshot.py save DIR [PATH...]      # before the change
    python3 bench/findings_snapshot.py diff DIR [PATH...]      # after: prints every difference, exit 1 if any

(default PATH: every PDF under ../shared/corpus/, all folders).  For each PDF three things are kept: the reader's
blocks (kind, text, page, bbox, and every grid cell's text and box), the tables JSON (``auditor tables --format
json``) and the findings JSON (``auditor check --format json``, without the time budget, which a loaded machine
could exceed); a rejected file keeps its one-line reason.
``diff`` re-runs the same and prints, per document and part, the first differing lines (unified diff).
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
PARTS = ("blocks", "tables", "findings")


def _blocks(path: Path) -> str:
    from auditor.read import read_blocks

    _, blocks = read_blocks(path)
    out = []
    for b in blocks:
        p = b.prov
        out.append(f"{b.kind} p{p.page} {p.bbox} {b.text!r}")
        for row in b.grid or []:
            out.append("  | " + " | ".join(f"{c.text!r}@{c.prov.bbox}" for c in row))
    return "\n".join(out)


def snapshot(path: Path) -> dict[str, str]:
    """The three parts for one PDF (each a text); a rejected file: its reason in every part."""
    from auditor.budget import Budget
    from auditor.errors import InputError
    from auditor.pipeline import audit
    from auditor.report.findings import render_json as findings_json
    from auditor.report.tables import render_json as tables_json

    try:
        blocks = _blocks(path)
        result = audit(path, budget=Budget(seconds=None))  # no deadline: a loaded machine must not change the outcome
    except InputError as e:
        return dict.fromkeys(PARTS, f"rejected: {e.en}")
    return {"blocks": blocks, "tables": tables_json([result.doc]), "findings": findings_json([result])}


def _key(path: Path) -> str:
    try:
        s = str(path.resolve().relative_to(CORPUS.resolve()))
    except ValueError:
        s = path.name
    return re.sub(r"[/\\]", "__", s)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["save", "diff"])
    ap.add_argument("dir", type=Path)
    ap.add_argument("paths", nargs="*", type=Path)
    a = ap.parse_args(argv)
    files: list[Path] = []
    for p in a.paths or [CORPUS]:
        files += sorted(p.rglob("*.pdf")) if p.is_dir() else [p]
    a.dir.mkdir(parents=True, exist_ok=True)
    changed = 0
    for f in files:
        snap = snapshot(f)
        target = a.dir / (_key(f) + ".json")
        if a.mode == "save":
            target.write_text(json.dumps(snap, ensure_ascii=False), encoding="utf-8")
            continue
        if not target.exists():
            print(f"{_key(f)}: no saved snapshot")
            changed += 1
            continue
        old = json.loads(target.read_text(encoding="utf-8"))
        diffs = [k for k in PARTS if old.get(k) != snap[k]]
        if diffs:
            changed += 1
            for k in diffs:
                print(f"== {_key(f)}: {k} differs")
                d = difflib.unified_diff(old.get(k, "").splitlines(), snap[k].splitlines(), lineterm="", n=1)
                for line in list(d)[:40]:
                    print("   " + line)
    if a.mode == "save":
        print(f"saved {len(files)} snapshots in {a.dir}")
        return 0
    print(f"{len(files)} documents compared: {changed} differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
