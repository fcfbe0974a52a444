"""Recall of the reviewer's-checklist rules (R, and W03 for placeholders) on one-line mutations of real documents.

    python3 bench/checklist_mutations.py [--max-docs N] [--baseline] [--kinds K1,K2]

Documents: the development corpus's PDFs (../shared/corpus: shanghai, budgets/*, jiangsu, foshan_shunde) whose title
page or headings give a year and kind (auditor.structure.meta); notices and scans are skipped. Each document is read
once with the project's reader; every mutation edits the extracted blocks' text in memory (one line changed, inserted,
removed or moved, or the pages renumbered for a blank page) and the document is structured again, then only the
checklist rules run. A mutation is detected when a finding of its rule appears that the unmutated document does not
have. Prints recall per kind, and with --baseline the findings of these rules on the unmutated documents (reviewed by
hand in tests/checklist_reviews/). R10 reads the original PDF page to tell a blank page from a page of drawings, so a
page inserted by renumbering is reported at the severity the original page gets; detection counts any severity.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import regex as re

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.checks import RULES  # noqa: E402
from auditor.checks.checklist_names import _code_names, _lexicon, name_in, norm  # noqa: E402
from auditor.checks.checklist_identity import _is_title  # noqa: E402
from auditor.checks.checklist_order import Toc, _core, _numbered  # noqa: E402
from auditor.checks.checklist_tables import Printed, _base, _lex, _tables  # noqa: E402
from auditor.claims import extract_claims  # noqa: E402
from auditor.checks.checklist_text import _page_edges, lines, repeats_by_design, sentences  # noqa: E402
from auditor.read import read_blocks  # noqa: E402
from auditor.structure import build_document  # noqa: E402
from auditor.structure.meta import identity  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
CODES = [c for c in RULES if c.startswith("R")] + ["W03"]


def documents():
    for pat in ("shanghai/shanghai_putuo_*.pdf", "budgets/*/*.pdf", "jiangsu/*.pdf", "foshan_shunde/*.pdf"):
        yield from sorted(CORPUS.glob(pat))


def run(info, blocks, claims=False):
    """The checklist rules' findings; the narrative's claims are extracted only when asked (R15 reads them)."""
    doc = build_document(info, blocks)
    if claims:
        try:
            extract_claims(doc)
        except Exception:
            pass          # a crash of the claims stage is not this bench's to measure
    out = set()
    for code in CODES:
        for f in RULES[code].fn(doc):
            out.add((f.rule, f.severity, f.prov.page if f.prov else None, f.message))
    return doc, out


def _set(blocks, i, text):
    b = list(blocks)
    b[i] = replace(b[i], text=text)
    return b


def _narrative(doc):
    return [ln for ln in lines(doc, narrative_only=True) if len(ln.text) >= 12]


# ---- the mutations: each returns (new blocks, expected rule) or None when the document offers no place for it ----
def m_year_heading(doc, ident):
    y = str(ident.year)
    cover = doc.blocks[0].prov.page
    for ln in lines(doc)[Toc(doc).body:]:
        if ln.prov.page == cover and cover is not None:
            continue            # the title page is the identity itself, not a heading to check against it
        if _is_title(ln.text) and re.search(f"{y}年度?(?:部门|单位)?{ident.kind}", ln.text):
            return _set(doc.blocks, ln.index, doc.blocks[ln.index].text.replace(y, str(ident.year - 1), 1)), "R01"


def m_year_compare(doc, ident):
    wrong = ident.year if ident.kind == "预算" else ident.year  # a 预算 compares with Y-1, a 决算 with Y-1 (年度相比)
    word = f"比{wrong}年预算增加1.00万元。" if ident.kind == "预算" else f"与{wrong}年度相比增加1.00万元。"
    ln = _narrative(doc)[len(_narrative(doc)) // 2]
    return _set(doc.blocks, ln.index, doc.blocks[ln.index].text + word), "R01"


def m_as_of(doc, ident):
    ln = _narrative(doc)[len(_narrative(doc)) // 3]
    return _set(doc.blocks, ln.index, f"截至{ident.year - 2}年12月31日，" + doc.blocks[ln.index].text), "R01"


def m_scope(doc, ident):
    if ident.scope != "单位" or ident.source != "title":
        return None
    cover = doc.blocks[0].prov.page
    for ln in lines(doc):
        if re.search(f"单位{ident.kind}(?!单位)", ln.text) and _is_title(ln.text) and ln.prov.page != cover:
            # "部门预算单位构成" names the units of a 部门预算 and is not a scope error (R02's exception), so not injected
            raw = doc.blocks[ln.index].text
            new = re.sub(f"单位{ident.kind}(?!单位)", f"部门{ident.kind}", raw, count=1)
            if new != raw:
                return _set(doc.blocks, ln.index, new), "R02"
    ln = _narrative(doc)[len(_narrative(doc)) // 2]    # no heading names the scope: a sentence does
    return _set(doc.blocks, ln.index, f"{ident.year}年部门{ident.kind}" + doc.blocks[ln.index].text), "R02"


def m_body(doc, ident):
    d = ident.key or ""
    if len(d) < 4 or ident.source != "title":
        return None             # R03 compares only with a department read from the title page
    other = d.replace("和", "与", 1) if "和" in d else d[:-1] + ("厅" if not d.endswith("厅") else "局")
    ln = _narrative(doc)[0]
    text = f"{other}{ident.year}年{ident.scope or '部门'}收支总表"
    return _set(doc.blocks, ln.index, text), "R03"


def m_toc_missing(doc, ident):
    """The body loses a table the 目录 lists: every line printing its title is emptied."""
    toc = Toc(doc)
    for e in toc.entries:
        found = toc.found(e)
        if toc.is_table(e) and found and len(_core(e.text, toc.names)) >= 6:
            blocks = list(doc.blocks)
            for k in found:
                ln = toc.lines[k]
                b = blocks[ln.index]
                if b.kind == "grid":   # a title printed inside the table's frame
                    blocks[ln.index] = replace(b, grid=[[replace(c, text="") if c.text.strip() == ln.raw.strip()
                                                         else c for c in row] for row in b.grid])
                else:
                    blocks[ln.index] = replace(b, text="")
            return blocks, "R04"


def m_toc_order(doc, ident):
    """Two consecutive 目录 entries printed in the other order (the 目录 lines swapped)."""
    toc = Toc(doc)
    found = [(e, toc.exact(e)) for e in toc.entries if toc.exact(e) and len(_core(e.text, toc.names)) >= 4]
    for (a, ha), (b, hb) in zip(found, found[1:]):
        if min(hb) > max(ha) and doc.blocks[a.index].kind == doc.blocks[b.index].kind == "text":
            blocks = _set(doc.blocks, a.index, doc.blocks[b.index].text)
            return _set(blocks, b.index, doc.blocks[a.index].text), "R04"


def m_numbering(doc, ident):
    seen = {}
    start = Toc(doc)
    first = start.lines[start.body].index if start.entries and start.body < len(start.lines) else 0
    for ln in lines(doc, narrative_only=True):
        if ln.index < first:
            continue            # the 目录's entries are not checked
        got = _numbered(ln)
        if got:
            style, n, _ = got
            if n >= 2 and seen.get(style) == n - 1:
                raw = doc.blocks[ln.index].text
                num = re.match(r"\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]?)", raw).group(0)
                new = num.replace(str(n), str(n + 1)) if num.strip("（）()、.． ").isdigit() else \
                    num.replace("一二三四五六七八九十"[n - 1], "一二三四五六七八九十"[n]) if n < 9 else None
                if new and new != num:
                    return _set(doc.blocks, ln.index, new + raw[len(num):]), "R05"
            seen[style] = n


def m_alternative(doc, ident):
    for ln in _narrative(doc):
        for w, alt in (("增加", "增加（减少）"), ("下降", "下降（增长）"), ("增长", "增长（下降）"), ("减少", "减少（增加）")):
            if w in doc.blocks[ln.index].text:
                return _set(doc.blocks, ln.index, doc.blocks[ln.index].text.replace(w, alt, 1)), "R06"


def m_placeholder(doc, ident):
    ln = _narrative(doc)[len(_narrative(doc)) // 4]
    return _set(doc.blocks, ln.index, "XX局" + doc.blocks[ln.index].text), "W03"


def m_if_any(doc, ident):
    ln = _narrative(doc)[len(_narrative(doc)) // 5]
    return _set(doc.blocks, ln.index, doc.blocks[ln.index].text + "（如有）"), "W03"


def m_empty_reason(doc, ident):
    for ln in _narrative(doc):
        t = doc.blocks[ln.index].text
        m = re.search(r"主要原因[是为][^。]+。", t)
        if m:
            return _set(doc.blocks, ln.index, t[:m.start()] + "主要原因是。" + t[m.end():]), "R07"
    ln = _narrative(doc)[-1]
    return _set(doc.blocks, ln.index, doc.blocks[ln.index].text.rstrip("。") + "。主要原因是。"), "R07"


def m_doubled(doc, ident):
    for ln in _narrative(doc):
        t = doc.blocks[ln.index].text
        if "。" in t:
            return _set(doc.blocks, ln.index, t.replace("。", "。。", 1)), "R08"


def m_stray_quote(doc, ident):
    for ln in _narrative(doc):
        t = doc.blocks[ln.index].text
        if "“" not in t and "”" not in t:
            return _set(doc.blocks, ln.index, t[:6] + "”" + t[6:]), "R08"


def m_percent(doc, ident):
    for ln in _narrative(doc):
        t = doc.blocks[ln.index].text
        m = re.search(r"(增长|下降)\s*\d+\.\d{1,2}\s*[%％]", t)
        if m:
            return _set(doc.blocks, ln.index, t[:m.end() - 1] + t[m.end():]), "R09"
    ln = _narrative(doc)[0]
    return _set(doc.blocks, ln.index, doc.blocks[ln.index].text + "比上年增长13.95。"), "R09"


def m_blank_page(doc, ident):
    pages = sorted({b.prov.page for b in doc.blocks if b.prov.page})
    if len(pages) < 4:
        return None
    p = pages[len(pages) // 2]
    return [replace(b, prov=replace(b.prov, page=b.prov.page + 1)) if b.prov.page and b.prov.page > p else b
            for b in doc.blocks], "R10"


def m_page_repeat(doc, ident):
    """The last line of a page printed again at the top of the next page."""
    edges = _page_edges(doc)
    pages = sorted(p for p in edges if p + 1 in edges)
    for p in pages[len(pages) // 2:] + pages[:len(pages) // 2]:
        last, first = edges[p][1][-1], edges[p + 1][0][0]
        if len(last.text) >= 12 and re.search("[，。、；]", last.text) and not repeats_by_design(last.text):
            blocks = list(doc.blocks)
            blocks.insert(first.index, replace(doc.blocks[last.index], prov=doc.blocks[first.index].prov))
            return blocks, "R11"


def m_class_name(doc, ident):
    """A current 类/款/项 name printed with its code or its （类）/（款）/（项） replaced by another year's name."""
    for code, names in _lexicon().items():
        valid = name_in(code, ident.year)
        others = [n for n, _ in names if n != valid]
        if not (valid and others and len(valid) >= 4):
            continue
        pat = re.compile(f"(?:{code[:3]}\\s*{code[3:5]}\\s*{code[5:]}\\s*{re.escape(valid)}|{re.escape(valid)}(?=[（(][类款项]))")
        for i, b in enumerate(doc.blocks):
            if b.kind in ("text", "heading") and pat.search(b.text):
                return _set(doc.blocks, i, b.text.replace(valid, others[0], 1)), "R12"
            if b.kind == "grid":
                for r, row in enumerate(b.grid or []):
                    for c, cell in enumerate(row):
                        if re.sub(r"\s|^[一二三四五六七八九十]+、", "", cell.text) == valid:
                            grid = [list(x) for x in b.grid]
                            grid[r][c] = replace(cell, text=cell.text.replace(valid, others[0]))
                            blocks = list(doc.blocks)
                            blocks[i] = replace(b, grid=grid)
                            return blocks, "R12"


def m_chain(doc, ident):
    """A narrative 款 name replaced by its 类's, where the tables print the item's code and name (R13 compares them)."""
    items = {norm(n) for code, n, _ in _code_names(doc) if len(code) == 7}
    for ln in lines(doc, narrative_only=True):
        t = doc.blocks[ln.index].text
        m = re.search(r"([\p{Han}]{3,20}?)（类）([\p{Han}（）]{2,20}?)（款）([\p{Han}（）]{2,30}?)（项）", t)
        if m and m.group(1) != m.group(2) and norm(m.group(3)) in items:
            return _set(doc.blocks, ln.index, t[:m.start(2)] + m.group(1) + t[m.end(2):]), "R13"


def m_full_stop(doc, ident):
    """The 。 that ends a numbered item removed, where the next line starts the next item (R14)."""
    nar = lines(doc, narrative_only=True)
    for a, b in zip(nar, nar[1:]):
        t = doc.blocks[a.index].text.rstrip()
        if b.index == a.index + 1 and t.endswith("。") and len(a.text) >= 12 and re.search("[。；]", a.text[:-1]) \
                and re.match(r"(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[、．.](?!\d))", b.text) \
                and re.search(r"[\p{Han}\d%％]$", t[:-1]):
            return _set(doc.blocks, a.index, t[:-1]), "R14"


_NUMBERS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _blank_region(doc, t):
    """The blocks with every figure of table ``t``'s region (after its title) removed: the table emptied."""
    start = next(s for s, _ in doc.table_regions if doc.blocks[s].prov == t.prov)
    end = next(e for s, e in doc.table_regions if s == start)
    blocks = list(doc.blocks)
    for i in range(start + 1, end):
        b = blocks[i]
        if b.kind == "grid":
            blocks[i] = replace(b, grid=[[replace(c, text=_NUMBERS.sub("", c.text)) for c in row] for row in b.grid],
                                text=_NUMBERS.sub("", b.text))
        elif b.kind == "row":
            blocks[i] = replace(b, cells=[_NUMBERS.sub("", c) for c in b.cells or []], text=_NUMBERS.sub("", b.text))
        else:
            blocks[i] = replace(b, text=_NUMBERS.sub("", b.text))
    return blocks


def m_sangong_empty(doc, ident):
    """The 三公 table's figures all removed, where the narrative states this year's 三公 figures (R15)."""
    if not any(c.kind == "amount" and (c.subject or "").startswith("三公") and c.period == "本年" and c.value
               for c in doc.claims):
        return None
    for t in _tables(doc):
        if _base(t) in ("J09", "Y09") and Printed(doc, t).found and not Printed(doc, t).empty and _one_part(doc, t):
            return _blank_region(doc, t), "R15"


def m_empty_no_note(doc, ident):
    """An empty table left with no note at all (R16): the note under an empty table removed where the narrative does
    not say the department has none of that money; else a table with figures and no note emptied."""
    said = [s for s, _ in sentences(doc) if re.search(_lex()["narrative_none"], s)]
    candidates = [t for t in _tables(doc) if _base(t) not in _lex()["text_tables"] + ["J09", "Y09"]
                  and "表" in t.printed_title and Printed(doc, t).found and _one_part(doc, t)]
    for t in candidates:
        p = Printed(doc, t)
        subject = next((w for w in _lex()["subjects"] if w in t.printed_title), None)
        if p.empty and p.note and not any(subject and subject in s for s in said):
            start = next(s for s, _ in doc.table_regions if doc.blocks[s].prov == t.prov)
            end = next(e for s, e in doc.table_regions if s == start)
            blocks = list(doc.blocks)
            for i in range(start + 1, end):
                if blocks[i].kind in ("text", "heading") and _note_line(blocks[i].text):
                    blocks[i] = replace(blocks[i], text="")
            return blocks, "R16"
    for t in candidates:
        p = Printed(doc, t)
        if not p.empty and not p.note:
            return _blank_region(doc, t), "R16"


def _one_part(doc, t):
    """Whether every parsed cell of the table stands inside its title's region (not on a continued page)."""
    start = next(s for s, _ in doc.table_regions if doc.blocks[s].prov == t.prov)
    end = next(e for s, e in doc.table_regions if s == start)
    pages = {b.prov.page for b in doc.blocks[start:end]}
    same = [x for x in doc.tables if x.prov == t.prov]
    return all(c.prov.page in pages for x in same for _, _, c in x.cells())


def _note_line(text):
    from auditor.checks.checklist_tables import _note
    return _note(re.sub(r"\s+", "", text))


KINDS = {"year_heading": m_year_heading, "year_compare": m_year_compare, "as_of_date": m_as_of, "scope": m_scope,
         "other_body": m_body, "toc_missing_table": m_toc_missing, "toc_order": m_toc_order, "numbering": m_numbering,
         "alternative": m_alternative, "placeholder_XX": m_placeholder, "placeholder_if_any": m_if_any,
         "empty_reason": m_empty_reason, "doubled_punct": m_doubled, "stray_quote": m_stray_quote,
         "percent_no_sign": m_percent, "blank_page": m_blank_page, "page_break_repeat": m_page_repeat,
         "old_class_name": m_class_name, "narrative_name": m_chain, "missing_full_stop": m_full_stop,
         "sangong_table_emptied": m_sangong_empty, "empty_table_no_note": m_empty_no_note}
NEEDS_CLAIMS = {"sangong_table_emptied"}
# detected only by an error or warning (the rule reports a hint where it cannot tell)
COUNTED_ONLY = {"sangong_table_emptied", "empty_table_no_note"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--max-docs", type=int, default=40)
    ap.add_argument("--baseline", action="store_true", help="print the rules' findings on the unmutated documents")
    ap.add_argument("--no-mutations", action="store_true", help="only the unmutated documents (with --baseline)")
    ap.add_argument("--kinds", help="only these mutation kinds (comma-separated)")
    a = ap.parse_args()
    kinds = {k: fn for k, fn in KINDS.items() if not a.kinds or k in a.kinds.split(",")}
    applied, hit = defaultdict(int), defaultdict(int)
    misses = defaultdict(list)
    n_docs = 0
    for path in documents():
        if n_docs >= a.max_docs:
            break
        try:
            info, blocks = read_blocks(path)
        except Exception:
            continue
        doc, base = run(info, blocks, claims=True)
        ident = identity(doc)
        if ident.year is None or ident.kind is None or ident.source not in ("title", "heading") or len(_narrative(doc)) < 10:
            continue
        n_docs += 1
        rel = path.relative_to(CORPUS)
        if a.baseline:
            for rule, sev, page, msg in sorted(base, key=lambda x: (x[0], x[2] or 0)):
                print(f"BASE\t{rel}\t{rule}\t{sev}\tp{page}\t{msg[:120]}")
        for kind, fn in ({} if a.no_mutations else kinds).items():
            got = fn(doc, ident)
            if got is None:
                continue
            mutated, code = got
            applied[kind] += 1
            _, found = run(info, mutated, claims=kind in NEEDS_CLAIMS)
            if any(f[0] == code and (kind not in COUNTED_ONLY or f[1] in ("error", "warning")) for f in found - base):
                hit[kind] += 1
            else:
                misses[kind].append(str(rel))
    print(f"documents: {n_docs}")
    print(f"{'kind':22} {'applied':>7} {'found':>6} {'recall':>7}")
    for kind in kinds:
        n = applied[kind]
        print(f"{kind:22} {n:7d} {hit[kind]:6d} {hit[kind] / n if n else float('nan'):7.3f}")
        for m in misses[kind][:5]:
            print(f"    missed: {m}")


if __name__ == "__main__":
    main()
