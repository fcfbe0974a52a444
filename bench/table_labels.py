"""Tables recognised against the hand labels of tests/labels/, per city and in total; dense pages; reading time.

    python3 bench/table_labels.py [--corpus ../shared/corpus] [--labels tests/labels] [-v] [FILTER]

Prints per document and per folder: labelled tables recognised with the right type, first page and unit; tables
starting on a 目录 page; glued two-sided rows; disclosures accepted / non-disclosures rejected. Then the dense-page
figure (pages with >= 15 two-decimal numbers whose figures some recognised or generic table holds; goal >= 98 %)
and the reading time per page next to the pypdfium2 floor (open + text of every page). FILTER keeps label paths
containing it. -v lists every missed table.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.structure.labelcheck import check_label, dense_pages, load_labels  # noqa: E402


def floor_seconds(path: Path) -> float:
    """The pypdfium2 floor: open the PDF and extract every page's text."""
    import pypdfium2 as pdfium

    t0 = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        pdf[i].get_textpage().get_text_range()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--labels", default=str(ROOT / "tests" / "labels"))
    ap.add_argument("-v", action="store_true")
    ap.add_argument("filter", nargs="?", default="")
    a = ap.parse_args(argv)
    corpus = Path(a.corpus)
    per = defaultdict(lambda: defaultdict(int))
    dense_n = dense_ok = 0
    pages = 0
    secs = floor = 0.0
    for label in load_labels(Path(a.labels)):
        if a.filter not in label["_label_path"]:
            continue
        path = corpus / label["file"]
        if not path.exists():
            print(f"{label['file']}: not in the corpus, skipped")
            continue
        t0 = time.perf_counter()
        res, doc = check_label(label, corpus)
        dt = time.perf_counter() - t0
        city = str(Path(label["file"]).parent)
        c = per[city]
        c["docs"] += 1
        c["tables"] += len(label.get("tables", []))
        c["recognised"] += res.recognised
        c["toc"] += len(res.toc_starts)
        c["glued"] += len(res.glued)
        c["disc_ok"] += res.disclosure_ok
        if doc is not None and doc.blocks and doc.blocks[-1].prov.page:
            n_pages = label.get("pages") or doc.blocks[-1].prov.page
            pages += n_pages
            secs += dt
            floor += floor_seconds(path)
            d, missed = dense_pages(doc)
            dense_n += len(d)
            dense_ok += len(d) - len(missed)
            c["dense"] += len(d)
            c["dense_ok"] += len(d) - len(missed)
        flag = "" if res.disclosure_ok else ("  WRONGLY REJECTED" if label.get("disclosure") else "  WRONGLY ACCEPTED")
        print(f"{label['file'][:70]:70} {res.recognised:3d}/{len(label.get('tables', [])):3d}"
              f"  toc {len(res.toc_starts)}  glued {len(res.glued)}  {dt:6.2f}s{flag}", flush=True)
        if a.v:
            for t in res.missed():
                print(f"      missed {t['type']:24} p{t['first_page']:<3} {t.get('unit')}  {t['printed_title'][:40]}")
            for f in res.found:
                print(f"      found  {f.type:24} p{f.first_page!s:<3} {f.unit}  {f.id} {f.printed_title[:40]}")
            for g in res.glued[:5]:
                print(f"      glued  {g[:80]}")
            if res.error:
                print(f"      error  {res.error[:120]}")
    print()
    tot = defaultdict(int)
    for city in sorted(per):
        c = per[city]
        for k, v in c.items():
            tot[k] += v
        print(f"{city:28} docs {c['docs']:3d}  tables {c['recognised']:4d}/{c['tables']:4d}"
              f" {c['recognised'] / max(c['tables'], 1):7.1%}  toc {c['toc']}  glued {c['glued']}"
              f"  disclosure ok {c['disc_ok']}/{c['docs']}  dense pages {c['dense_ok']}/{c['dense']}")
    print(f"{'TOTAL':28} docs {tot['docs']:3d}  tables {tot['recognised']:4d}/{tot['tables']:4d}"
          f" {tot['recognised'] / max(tot['tables'], 1):7.1%}  toc {tot['toc']}  glued {tot['glued']}"
          f"  disclosure ok {tot['disc_ok']}/{tot['docs']}")
    print(f"dense pages (>=15 two-decimal numbers) in a table: {dense_ok}/{dense_n}"
          f" {dense_ok / max(dense_n, 1):.1%} (goal >= 98%)")
    if pages:
        print(f"reading time per page: {1000 * secs / pages:.1f} ms (pypdfium2 floor {1000 * floor / pages:.1f} ms)"
              f" over {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
