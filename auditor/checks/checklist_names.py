"""The reviewer's checklist (R), 政府收支分类科目 names: a code printed with a name that is not its name in the
document's year (R12, lexicons/classification.toml), and a narrative 类/款/项 chain whose names differ from the tables'
rows of the same code (R13)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..lexicons import load, pattern
from ..model import Document, Evidence, Provenance
from ..structure.meta import identity
from .checklist_text import lines, sentences
from .registry import finding, rule

_CODE_NAME = re.compile(r"(?<![\d.,])(?P<code>[23]\d{2}(?:\s?\d{2}){0,2})\s*(?P<name>[\p{Han}（）()、“”]{2,30})")
_CHAIN = re.compile(r"(?P<lei>[\p{Han}“”、]{2,24}?)[（(]类[)）](?P<kuan>[\p{Han}“”、（）()]{2,24}?)[（(]款[)）]"
                    r"(?P<xiang>[\p{Han}“”、（）()]{2,30}?)[（(]项[)）]")


def _base(name: str) -> str:
    """A 类/款 name as narratives shorten it: without a trailing 支出 / 事务."""
    return pattern(r"(?:支出|事务)$").sub("", name)


_ITEM_NO = re.compile(r"^[一二三四五六七八九十]+、|^\d{1,2}[.．、]")


@lru_cache(maxsize=1 << 14)
def norm(name: str) -> str:
    return pattern(r"[\s“”\"]").sub("", name or "").replace("(", "（").replace(")", "）")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, list[tuple[str, int]]]:
    lex = load("classification")
    out = {}
    for part in ("functional", "economic"):
        for code, names in lex.get(part, {}).items():
            out[code] = sorted(((norm(n["name"]), int(n["since"])) for n in names), key=lambda x: x[1])
    return out


def name_in(code: str, year: int) -> Optional[str]:
    """The name of a code in a year's 政府收支分类科目 (None: the lexicon does not know the code then)."""
    names = [n for n, since in _lexicon().get(code, []) if since <= year]
    return names[-1] if names else None


def _verdict(code: str, name: str, year: int) -> Optional[str]:
    """Why ``name`` is wrong for ``code`` in ``year``, or None (right, or a name the lexicon does not know)."""
    known = _lexicon().get(code)
    if not known:
        return None
    n = norm(name)
    valid = name_in(code, year)
    if n == valid or n not in {k for k, _ in known}:
        return None
    since = next(s for k, s in known if k == n)
    if since > year:
        return f"“{n}”自{since}年起才使用，{year}年应为“{valid}”" if valid else f"“{n}”自{since}年起才使用"
    later = next(s for k, s in known if k == valid)
    return f"自{later}年起名称为“{valid}”，不再是“{n}”"


def _code_names(doc: Document) -> list[tuple[str, str, Provenance]]:
    """(code, printed name, where) from the recognised tables' rows and from every printed line holding a code.
    Kept on the document for the other rule that reads them (taken again if its blocks or tables change)."""
    key = (id(doc.blocks), len(doc.blocks), tuple((id(t), len(t.rows)) for t in doc.tables))
    got = doc.__dict__.get("_code_names")
    if got is None or got[0] != key:
        got = doc.__dict__["_code_names"] = (key, _take_code_names(doc))
    return list(got[1])


def _take_code_names(doc: Document) -> list[tuple[str, str, Provenance]]:
    out = []
    for t in doc.tables:
        for r in t.rows:
            if r.code and r.name and not r.code_from_name:   # a code placed from the name is the name's
                out.append((pattern(r"\s").sub("", r.code), r.name, r.prov))
    for b in doc.blocks:
        texts = [b.text] if b.kind in ("text", "heading") else [" ".join(c for c in (b.cells or []) if c)] \
            if b.kind == "row" else [" ".join(c.text for c in row) for row in (b.grid or [])]
        for text in texts:
            for m in _CODE_NAME.finditer(text):
                code = pattern(r"\s").sub("", m.group("code"))
                if len(code) in (3, 5, 7):
                    out.append((code, m.group("name"), b.prov))
    return out


def _superseded(year: int) -> dict[str, tuple[str, str]]:
    """name -> (code, reason) for every name of the lexicon that is not its code's name in ``year``."""
    out = {}
    for code, names in _lexicon().items():
        for n, _ in names:
            why = _verdict(code, n, year)
            if why:
                out[n] = (code, why)
    return out


@rule("R12", "分类科目名称与年度不符", "error", """
表格或说明用了不属于本文件年度的政府收支分类科目名称（lexicons/classification.toml：各科目的名称及其启用年度）：
如2019年起210为“卫生健康支出”、220为“自然资源海洋气象等支出”、207为“文化旅游体育与传媒支出”、2200199为“其他自然资源事务
支出”。按编码查（“210 医疗卫生与计划生育支出”），说明中不带编码的“……（类）/（款）/（项）”按名称查。词典不认识的名称不报。
失败例：2024年决算中“210 医疗卫生与计划生育支出”或“医疗卫生与计划生育支出（类）”。
通过例：2024年决算中“210 卫生健康支出”；2018年预算中“210 医疗卫生与计划生育支出”。""")
def classification_year(doc: Document):
    year = identity(doc).year
    if year is None:
        return
    seen = set()
    for code, name, prov in _code_names(doc):
        why = _verdict(code, name, year)
        if why and (code, norm(name), prov.page, prov.line) not in seen:
            seen.add((code, norm(name), prov.page, prov.line))
            yield finding("R12", "error", f"科目{code}：{why}", prov=prov,
                          evidence=[Evidence(prov=prov, text=f"{code} {name}")])
    old = _superseded(year)
    if not old:
        return
    # no name is ASCII but for brackets: a cell of ASCII only (a figure, a code) never normalises to one
    ascii_never = all(any(not ch.isascii() and ch not in "（）" for ch in n) for n in old)
    for b in doc.blocks:   # a 收支总表 prints the 类 names without codes: a cell that is exactly a superseded name
        cells = [c.text for row in (b.grid or []) for c in row] if b.kind == "grid" else (b.cells or []) \
            if b.kind == "row" else []
        hits = list(dict.fromkeys(n for n in (norm(_ITEM_NO.sub("", cell.strip())) for cell in cells
                                              if not (ascii_never and cell.isascii())) if n in old))
        if hits:   # one finding per table, naming every superseded name it prints
            yield finding("R12", "error", "表格中的" + "；".join(f"“{n}”（科目{old[n][0]}）：{old[n][1]}" for n in hits),
                          prov=b.prov, evidence=[Evidence(prov=b.prov, text=n) for n in hits])
    pat = pattern("(" + "|".join(re.escape(n) for n in sorted(old, key=len, reverse=True)) + ")[（(][类款项][)）]")
    for ln in lines(doc, narrative_only=True):
        for m in pat.finditer(ln.text):
            code, why = old[m.group(1)]
            yield finding("R12", "error", f"说明中的“{m.group(0)}”（科目{code}）：{why}", prov=ln.prov,
                          evidence=[Evidence(prov=ln.prov, text=ln.raw)])


@rule("R13", "说明中的科目名称与表格不符", "warning", """
说明中“A（类）B（款）C（项）”的名称与表格中同一科目的行不一致：表格有名为C的项，但它所属的款、类在表格中叫别的名字
（编码前5位、前3位的行），例如22102 住房改革支出 写成“住房保障支出（款）”。只比较表格（或逐行印出的“编码 名称”）中确有的行。
失败例：说明“住房保障支出（类）住房保障支出（款）住房公积金（项）17.70万元”，表格 22102 住房改革支出、2210201 住房公积金。
通过例：说明“住房保障支出（类）住房改革支出（款）住房公积金（项）17.70万元”。""")
def narrative_names(doc: Document):
    names: dict[str, set[str]] = {}
    for code, name, _ in _code_names(doc):
        names.setdefault(code, set()).add(norm(name))
    by_item: dict[str, list[str]] = {}
    for code, ns in names.items():
        if len(code) == 7:
            for n in ns:
                by_item.setdefault(n, []).append(code)
    for text, prov in sentences(doc):
        for m in _CHAIN.finditer(text):
            lei, kuan, xiang = (norm(m.group(g)).lstrip("、") for g in ("lei", "kuan", "xiang"))
            lei = pattern(r"^.*?(?:[，：:；。]|其中|用于|主要是|是)").sub("", lei)
            codes = by_item.get(xiang)
            if not codes:
                continue
            wrong = []
            for c in codes:
                k, lc = names.get(c[:5]), names.get(c[:3])
                bad = [f"{c[:5]} {'/'.join(sorted(k))}" for _ in [0] if k and _base(kuan) not in {_base(x) for x in k}] + \
                      [f"{c[:3]} {'/'.join(sorted(lc))}" for _ in [0] if lc and not any(
                          _base(lei).endswith(_base(x)) for x in lc)]
                if not bad:
                    break
                wrong.append((c, bad))
            else:
                c, bad = wrong[0]
                yield finding("R13", "warning", f"说明“{m.group(0)}”与表格不一致：{c} {xiang} 在表格中属于"
                              + "、".join(bad), prov=prov, evidence=[Evidence(prov=prov, text=text)])
