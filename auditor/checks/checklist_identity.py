"""The reviewer's checklist (R), the document's identity: every year phrase against the document's year (R01), 部门 /
单位 wording against its scope (R02), a table heading or 编制单位 line naming another body (R03). The identity is read
once from the title page (auditor.structure.meta); the phrases are data in lexicons/identity.toml."""
from __future__ import annotations

from functools import lru_cache

from .. import rx as re

from ..lexicons import load
from ..model import Document, Evidence
from ..structure.meta import _divisions, identity, normalise_department
from .checklist_text import lines
from .registry import finding, rule

_SENTENCE = re.compile(r"[。，；：:]")


_YEAR_GROUP = r"(?P<y>(?:19|20)\d{2})年"
_HAS_YEAR = re.compile(r"(?:19|20)\d{2}年")


@lru_cache(maxsize=1)
def _phrases() -> list[tuple[dict, re.Pattern, bool]]:
    """Each phrase, its pattern, and whether a match needs a "20XX年" (a line without one is not searched)."""
    return [(p, re.compile(p["pattern"]), _needs_year(p["pattern"])) for p in load("identity")["phrase"]]


def _needs_year(p: str) -> bool:
    """Whether every match of the pattern contains ``_HAS_YEAR``'s: its year group and 年 stand outside every
    group, and no alternative at the top level can match without them."""
    at = p.find(_YEAR_GROUP)
    if at < 0 or p[at + len(_YEAR_GROUP):at + len(_YEAR_GROUP) + 1] in ("?", "*", "{"):
        return False  # a quantifier after 年 makes it optional
    depth, in_set, i = 0, False, 0
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            i += 2
            continue
        if in_set:
            in_set = ch != "]"
        elif ch == "[":
            in_set = True
        elif ch == "(":
            if i == at and depth != 0:
                return False
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        i += 1
    return True


def _is_title(text: str) -> bool:
    return len(text) <= 60 and not _SENTENCE.search(text)


def _expected(y: int, offsets: list[int]) -> str:
    return "或".join(f"{y + o}年" for o in offsets)


@rule("R01", "年度与文件年度不符", "error", """
标题、表头、“截至……”、“比20XX年预算”“与20XX年度相比”等处写的年度与本文件的年度不符。本文件的年度取自封面
（标题页），而不是正文中第一个年份。预算文件（Y年）比较的是Y−1年的预算或执行数；决算文件（Y年）“截至Y年12月31日”，
与Y−1年度相比、完成Y年年初预算。各短语及其应有年度见 lexicons/identity.toml。
失败例：2026年部门预算中“一般公共预算支出比2026年预算增加6.15万元”；2024年决算中“截至2023年12月31日”。
通过例：2026年部门预算中“比2025年预算增加6.15万元”；2024年决算中“截至2024年12月31日，本部门共有车辆2辆”。""")
def year_phrases(doc: Document):
    ident = identity(doc)
    if ident.year is None or ident.kind is None or ident.source not in ("title", "heading"):
        return
    y, kind = ident.year, ident.kind
    for ln in lines(doc):
        title = _is_title(ln.text)
        seen: set[int] = set()
        dated = _HAS_YEAR.search(ln.text) is not None
        for p, pat, needs_year in _phrases():
            if p["where"] == "heading" and not title or needs_year and not dated:
                continue
            offsets = p["offsets"].get(kind)
            if offsets is None:
                continue
            for m in pat.finditer(ln.text):
                if p.get("same_kind") and m.group("k") != kind:
                    continue
                got = int(m.group("y"))
                if got - y in offsets or m.start("y") in seen:
                    continue
                seen.add(m.start("y"))
                phrase = m.group(0)
                want = _expected(y, offsets)
                yield finding("R01", "error", f"“{phrase}”写的是{got}年，本文件是{y}年{kind}，应为{want}：{ln.raw[:60]}",
                              prov=ln.prov, stated=float(got), expected=float(y + offsets[0]),
                              evidence=[Evidence(prov=ln.prov, text=ln.raw)] + _title_ev(ident))


def _title_ev(ident) -> list[Evidence]:
    if ident.prov is None:
        return []
    return [Evidence(prov=ident.prov, text=f"封面：{ident.department or ''}{ident.year}年{ident.scope or ''}{ident.kind}")]


_OTHER_SCOPE = re.compile(r"(?P<y>(?:19|20)\d{2})年度?部门(?P<k>预算|决算)|^(?:第[一二三四五六七八九十]+部分)?部门(?:预算|决算)"
                          r"(?:情况说明|公开表|表)")


@rule("R02", "部门/单位表述与文件范围不符", "warning", """
单位预算（决算）——封面写“单位预算”或单位名称带“（本级）”——的标题与说明中写成“XX年部门预算”“部门预算情况说明”，
或标题行（表头、页眉）写“……部门预算”（“部门预算单位”除外）：
该文件是一个单位的，不是部门汇总的。“本部门”不报（职责中的“本部门”指主管部门）；部门文件中写“本单位”不报。
失败例：封面“2026年度泉州市公安局（本级）单位预算”，说明中“2026年部门预算收入……”。
通过例：同一文件中“2026年单位预算收入……”“本单位……”。""")
def scope_wording(doc: Document):
    ident = identity(doc)
    if ident.scope != "单位" or ident.source != "title":
        return
    title_word = re.compile(f"部门{ident.kind}(?!单位)")
    for ln in lines(doc):
        m = _OTHER_SCOPE.search(ln.text) or (_is_title(ln.text) and ln.prov != ident.prov and title_word.search(ln.text))
        if m:
            yield finding("R02", "warning", f"单位{ident.kind}中写作“{m.group(0)}”，应为单位的表述：{ln.raw[:60]}",
                          prov=ln.prov, evidence=[Evidence(prov=ln.prov, text=ln.raw)] + _title_ev(ident))


@lru_cache(maxsize=1)
def _body_patterns() -> tuple[re.Pattern, re.Pattern]:
    ends = "|".join(sorted(load("identity")["body"]["ends"], key=len, reverse=True))
    name = f"[\\p{{Han}}（）()]{{3,40}}?(?:{ends})(?:[（(]本级[)）])?"
    heading = re.compile(f"^(?P<name>{name})(?:(?:19|20)\\d{{2}})年度?(?:部门|单位)?(?:预算|决算)?[\\p{{Han}}“”（）()]{{0,30}}表$")
    label = re.compile(f"^(?P<lab>编制单位|部门名称|编制部门|单位名称)[：:](?P<name>{name})(?=$|单位[：:]|金额单位|\\d)")
    return heading, label


def _misnamed(name: str, own: str) -> bool:
    """Whether ``name`` is the document's own body with another division or one character changed
    (富士山顺德区梁銶琚夫人幼儿园 for 佛山市顺德区梁銶琚夫人幼儿园), not another body of the department."""
    a, b = _body_core(normalise_department(name)), _body_core(own)
    return len(a) >= 3 and (a == b or len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1)


def _body_core(name: str) -> str:
    return name[len("".join(_divisions(name))):]


@rule("R03", "表头单位名称与本文件不符", "error", """
表格标题（“XX局2024年度收入支出决算总表”）或“编制单位：”“部门名称：”行写的单位不是本文件的单位：不是封面上的全称，
也不是它的简称（去掉“（本级）”“中共”或省、市、区前缀）。例如区局的文件写成市局，“规划和”写成“规划与”。
“单位名称：”行可以是部门所属单位的表，只在它写的是本单位而行政区划或一个字不同时报（“富士山顺德区”写成“佛山市顺德区”）。
失败例：封面“上海市普陀区规划和自然资源局”，表头“上海市规划和自然资源局2024年度收入支出决算总表”。
通过例：表头“普陀区规划和自然资源局2024年度收入支出决算总表”。""")
def heading_body(doc: Document):
    ident = identity(doc)
    if not ident.department or ident.source != "title":
        return
    heading, label = _body_patterns()
    for ln in lines(doc):
        if len(ln.text) > 80:
            continue
        m = heading.match(ln.text) or label.match(ln.text)
        if not m or ident.names(m.group("name")):
            continue
        if m.groupdict().get("lab") == "单位名称" and not _misnamed(m.group("name"), ident.key):
            continue      # a table of one of the department's units names that unit: only the own body misnamed
        yield finding("R03", "error", f"表头写的单位“{m.group('name')}”不是本文件的单位“{ident.department}”：{ln.raw[:60]}",
                      prov=ln.prov, evidence=[Evidence(prov=ln.prov, text=ln.raw)] + _title_ev(ident))
