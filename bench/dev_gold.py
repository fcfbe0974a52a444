"""Score the auditor on the development corpus: recall/precision against tests/gold_dev, precision from tests/reviews.

Runs `auditor.audit` on every development disclosure that has a gold file (tests/gold_dev/<folder>/<stem>.json ->
../shared/corpus/<folder>/<stem>.pdf) and scores its findings the way ../shared/tools/score_gold.py scores the
Shanghai PDFs (a finding matches a page-based entry by page and value; only error/warning findings count):

  * recall     over gold entries of certainty `error`;
  * precision  over counted findings (matching an `error` or `doubtful` entry);
  * tolerance violations: counted findings that match only `rounding` entries;
  * review precision: counted findings judged `real` in tests/reviews/<folder>/<stem>.json over all counted findings
    that a review file judges (real / false / unclear); findings no review covers are listed as unreviewed. The
    checklist rules' findings (R, W03) are judged in tests/checklist_reviews/ (matched by rule, page and message).

A disclosure published as several files (the Jiangsu `_wenben` narrative and `_biaoge` tables) is audited as one
document, the way `auditor check FOLDER` and `auditor batch` join them (auditor.pipeline.load_disclosures pairs the
selected files of a folder by the figures they share); each finding is then scored in the file its own location is
printed in (the gold entry sits in the file where the wrong figure is printed), and its evidence from the other file
keeps that file's name but no page, so a page of one file never matches a page of the other. `--only` selecting one
file of a pair audits that file alone.

    python3 bench/dev_gold.py [--cache /tmp/devgold] [-v] [--only SUBSTRING]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD_DEV = ROOT / "tests" / "gold_dev"
REVIEWS = ROOT / "tests" / "reviews"
CHECKLIST_REVIEWS = ROOT / "tests" / "checklist_reviews"
COUNTED = ("error", "warning")


def _score_module():
    path = ROOT.parent / "shared" / "tools" / "score_gold.py"
    spec = importlib.util.spec_from_file_location("score_gold", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents(only: str | None = None):
    """(folder, stem, gold path, document path) of every development disclosure with gold."""
    for g in sorted(GOLD_DEV.rglob("*.json")):
        rel = g.relative_to(GOLD_DEV)
        folder, stem = str(rel.parent), g.stem
        doc = CORPUS / folder / (stem + ".pdf")
        if only and only not in str(rel):
            continue
        yield folder, stem, g, doc


def findings_of(doc: Path, cache: Path | None, narrative_only: bool = True) -> list[dict] | None:
    """The finding dicts of one file audited alone (see findings_of_files)."""
    return findings_of_files([doc], cache, narrative_only)[doc]


def findings_of_files(docs: list[Path], cache: Path | None, narrative_only: bool = True) -> dict[Path, list[dict] | None]:
    """File -> its finding dicts (None when it cannot be audited), the files of one disclosure joined as `auditor
    check` joins them, cached per file when asked. A file that is not a disclosure (no standard table recognised,
    `auditor check` refuses it) is audited narrative-only."""
    from auditor import pipeline
    from auditor.checks import run_checks
    from auditor.claims import extract_claims
    from auditor.report.findings import sorted_findings

    cfile = {d: cache / (d.parent.name + "__" + d.stem + ".json") for d in docs} if cache else {}
    if cfile and all(c.exists() for c in cfile.values()):
        return {d: json.loads(c.read_text(encoding="utf-8")) for d, c in cfile.items()}
    out: dict[Path, list[dict] | None] = {d: None for d in docs}
    loaded, errors = pipeline.load_disclosures(docs)
    for joined in loaded:
        r = pipeline.audit(joined)
        for d, fs in _by_file(sorted_findings(r.findings), docs, joined).items():
            out[d] = fs
    refused = {d for d in docs if out[d] is None}
    for d in refused if narrative_only and errors else ():   # the narrative's own rules still run
        one = pipeline.load_document(d)
        extract_claims(one)
        out[d] = [dict(f, narrative_only=True) for f in _by_file(sorted_findings(run_checks(one)), [d], one)[d]]
    for d, c in cfile.items():
        c.write_text(json.dumps(out[d], ensure_ascii=False), encoding="utf-8")
    return out


def _by_file(findings, docs: list[Path], joined) -> dict[Path, list[dict]]:
    """Each finding of a (joined) document under the file its location is in (every file of the document listed,
    an empty list when it has none); evidence from another file keeps that file's name (`file`) and loses its page."""
    from auditor.report.findings import finding_dict

    name = {d.name: d for d in docs}
    home = name.get(Path(joined.source.path).name, docs[0])
    out = {name[n]: [] for n in {Path(b.prov.path).name for b in joined.blocks} if n in name} | {home: []}
    for f in findings:
        at = name.get(Path(f.prov.path).name, home) if f.prov else home
        fd = finding_dict(f)
        for e, ed in zip(f.evidence, fd["evidence"]):
            if e.prov and name.get(Path(e.prov.path).name, home) != at:
                ed.update(page=None, line=None, file=Path(e.prov.path).name)
        out.setdefault(at, []).append(fd)
    return out


def review_key(f: dict) -> tuple:
    def r(v):
        return None if v is None else round(float(v), 4)
    return (f.get("rule"), f.get("page"), r(f.get("stated")), r(f.get("expected")))


def load_reviews(folder: str, stem: str) -> dict[tuple, dict]:
    p = REVIEWS / folder / (stem + ".json")
    out = {review_key(v): v for v in json.loads(p.read_text(encoding="utf-8"))} if p.exists() else {}
    # the checklist rules' findings (R, W03) are reviewed in tests/checklist_reviews/, matched by rule, page, message
    for c in CHECKLIST_REVIEWS.glob("*.json"):
        data = json.loads(c.read_text(encoding="utf-8"))
        if data["document"] == f"{folder}/{stem}.pdf":
            out.update({checklist_key(v): v for v in data["findings"]})
    return out


def checklist_key(f: dict) -> tuple:
    return ("checklist", f.get("rule"), f.get("page"), (f.get("message") or "")[:40])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", help="folder caching each document's findings (delete it after a code change)")
    ap.add_argument("--only", help="only gold files whose path contains this")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses, unmatched and unreviewed findings")
    a = ap.parse_args()
    sg = _score_module()
    cache = Path(a.cache) if a.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    top = defaultdict(lambda: defaultdict(int))
    t0 = time.perf_counter()
    selected = list(documents(a.only))
    by_folder = defaultdict(list)
    for folder, _, _, doc in selected:
        by_folder[folder].append(doc)
    found_of = {}
    for docs in by_folder.values():
        found_of.update(findings_of_files(docs, cache))
    for folder, stem, gpath, doc in selected:
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        found = found_of[doc]
        s = sg.score_doc(gold, found or [])
        reviews = load_reviews(folder, stem)
        verdicts = defaultdict(int)
        unreviewed, judged_not_real = [], []
        for f in found or []:
            if f.get("severity") not in COUNTED:
                continue
            v = reviews.get(review_key(f)) or reviews.get(checklist_key(f))
            if v is None:
                unreviewed.append(f)
            else:
                verdicts[v["verdict"]] += 1
                if v["verdict"] != "real":
                    judged_not_real.append((v["verdict"], f))
        t = top[folder.split("/")[0]]
        for k in ("targets", "hit", "counted", "precise"):
            t[k] += s[k]
        t["violations"] += len(s["violations"])
        t["docs"] += 1
        t["failed"] += _narrative_only(found)
        for k in ("real", "false", "unclear"):
            t[k] += verdicts[k]
        t["unreviewed"] += len(unreviewed)
        print(f"{folder}/{stem}: recall {s['hit']}/{s['targets']} precise {s['precise']}/{s['counted']} "
              f"tolerance-violations {len(s['violations'])} reviewed real/false/unclear "
              f"{verdicts['real']}/{verdicts['false']}/{verdicts['unclear']} unreviewed {len(unreviewed)}"
              + ("  (no standard table recognised: narrative rules only)" if _narrative_only(found) else ""))
        if a.verbose:
            for g in s["missed"]:
                print(f"   missed     p{g['page']} {g['id']}: {g['description'][:150]}")
            for f in s["violations"]:
                print(f"   tolerance  p{f.get('page')} [{f['rule']}] {f['message'][:150]}")
            for verdict, f in judged_not_real:
                print(f"   {verdict:<10} p{f.get('page')} [{f['rule']}] {f['message'][:150]}")
            for f in unreviewed:
                print(f"   unreviewed p{f.get('page')} [{f['rule']}] stated={f.get('stated')} "
                      f"expected={f.get('expected')} {f['message'][:150]}")
    print()
    tot = defaultdict(int)
    for name, t in sorted(top.items()):
        for k, v in t.items():
            tot[k] += v
        _line(name, t)
    _line("TOTAL", tot)
    print(f"({time.perf_counter() - t0:.0f} s)")


def _narrative_only(found) -> bool:
    return found is None or any(f.get("narrative_only") for f in found)


def _ratio(n: int, d: int) -> str:
    return f"{n / d:.3f} ({n}/{d})" if d else "n/a (0/0)"


def _line(name: str, t: dict) -> None:
    judged = t["real"] + t["false"] + t["unclear"]
    print(f"{name}: docs {t['docs']} (narrative only {t['failed']})  recall {_ratio(t['hit'], t['targets'])}  "
          f"gold precision {_ratio(t['precise'], t['counted'])}  tolerance-violations {t['violations']}  "
          f"review precision {_ratio(t['real'], judged)} (false {t['false']}, unclear {t['unclear']}, "
          f"unreviewed {t['unreviewed']})")


if __name__ == "__main__":
    main()
