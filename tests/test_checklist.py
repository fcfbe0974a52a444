"""The reviewer's checklist (R rules) and the document's identity.

Rule cases are data: LINE_MUTATIONS changes one line of a real seed (old text -> new text; "pass" rows keep the real
line) and runs the rule on the mutated document; a "fail" expects an error/warning of that rule at that line. Real
failing lines of the seeds are in tests/test_checks.py's CASES. Identity tests read real documents of the development
corpus (../shared/corpus) and are skipped on a machine without it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.checks import RULES
from auditor.claims import extract_claims
from auditor.pipeline import load_document
from auditor.read import read_blocks
from auditor.structure.meta import identity, read_identity

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"

# (rule, seed, line, old, new, expect): the seed's line with ``old`` replaced by ``new``; "fail@N": the finding is
# expected at line N (the 目录 entry of a title the body lost)
LINE_MUTATIONS = [
    ("R01", "001", 400, "与上年度相比", "与2024年度相比", "fail"),      # a 2024 决算 compared with 2024
    ("R01", "001", 400, "与上年度相比", "与2023年度相比", "pass"),
    ("R01", "001", 396, "2024 年度部门决算情况说明", "2023 年度部门决算情况说明", "fail"),   # heading says 2023
    ("R01", "001", 396, "", "", "pass"),
    ("R01", "001", 400, "2024 年度，", "截至2023年12月31日，", "fail"),
    ("R01", "001", 400, "2024 年度，", "截至2024年12月31日，", "pass"),
    ("R02", "001", 396, "部门决算", "部门决算", "pass"),                # a 部门 document may say 部门决算
    ("R02", "001", 5, "部门决算公开", "单位决算公开", "fail@396"),        # the cover made 单位: 396 says 部门决算
    ("R03", "001", 151, "# 收入决算表", "洛阳市政务服务和大数据管理局2024年度收入决算表", "fail"),  # the city's, not the district's
    ("R03", "001", 151, "# 收入决算表", "孟津区政务服务和大数据管理局2024年度收入决算表", "pass"),  # a short form
    ("R04", "001", 151, "# 收入决算表", "", "fail@23"),                 # the body lost 收入决算表: found at the 目录 entry
    ("R04", "001", 151, "", "", "pass"),
    ("R05", "001", 406, "三、支出决算情况说明", "四、支出决算情况说明", "fail"),
    ("R05", "001", 406, "", "", "pass"),
    ("R06", "001", 400, "各减少 6.15 万元，下降 0.66%", "各减少（增加）6.15 万元，下降（增长）0.66%", "fail"),
    ("R06", "001", 400, "", "", "pass"),
    ("W03", "001", 400, "2024 年度，", "2024 年度，XX局", "fail"),
    ("W03", "001", 400, "主要原因是", "（如有）主要原因是", "fail"),
    ("R07", "001", 400, "主要原因是财政管理优化，压缩项目支出。", "主要原因是。", "fail"),
    ("R07", "001", 400, "", "", "pass"),
    ("R08", "001", 400, "收、支总计", "收、支”总计", "fail"),
    ("R08", "001", 400, "", "", "pass"),
    ("R09", "001", 400, "下降 0.66%。", "下降 0.66。", "fail"),
    ("R09", "001", 400, "", "", "pass"),
    ("R12", "001", 172, "卫生健康支出", "医疗卫生与计划生育支出", "fail"),     # 210's name before 2019
    ("R12", "001", 172, "", "", "pass"),
    ("R12", "001", 428, "一般公共服务支出（类）", "医疗卫生与计划生育支出（类）", "fail"),
    ("R13", "001", 430, "社会保障和就业支出（类）", "一般公共服务支出（类）", "fail"),  # 2080501's 类 is 208
    ("R13", "001", 430, "", "", "pass"),
    ("R14", "001", 428, "不存在差异。", "不存在差异", "fail"),           # item 1 ends without 。 before item 2
    ("R14", "001", 428, "", "", "pass"),
    # an item of clauses joined by ； (a 主要职能 list: "…法规、规章；指导、检查、监督全市公安工作") is written in sentences too
    ("R14", "001", 428, "1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为 749.17 万元，支出决算为 749.17 万元，完成年初预算的 100%。决算数与年初预算数不存在差异。", "1.负责本部门机关运转；保障全市行政事务运行", "fail"),
    ("R14", "001", 428, "1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为 749.17 万元，支出决算为 749.17 万元，完成年初预算的 100%。决算数与年初预算数不存在差异。", "1.负责本部门机关运转；保障全市行政事务运行。", "pass"),
    ("R07", "001", 468, "具体情况如下：", "具体情况如下：。", "fail"),   # the colon announces nothing
    ("W03", "001", 400, "主要原因是", "（按实际支出情况填写）主要原因是", "fail"),     # an aside to the compiler
    ("W03", "001", 400, "主要原因是", "（注：上年数，公开时请删除）主要原因是", "fail"),
    ("W03", "001", 400, "主要原因是", "（按经济分类）主要原因是", "pass"),           # an aside, not an instruction
    # the 三公 table's figures removed while 九 states them (2.56 万元); evidence the narrative line
    ("R15", "001", 388, "1.80\t0.00\t0.00\t0.00\t1.50\t0.3\t2.56\t0.00\t0.00\t0.00\t2.45\t0.11", "", "fail@374"),
    ("R15", "001", 388, "", "", "pass"),
    # 07表 (all 0) loses its only note, but section 七 says 没有政府性基金收入: a hint, not a warning
    ("R16", "001", 354, "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。", "", "pass"),
    ("R16", "001", 354, "", "", "pass"),
]


def _seed(n: str) -> Path:
    return next(SEEDS.glob(f"{n}_*.txt"))


@pytest.mark.parametrize("code,n,line,old,new,expect", LINE_MUTATIONS,
                         ids=[f"{m[0]}-{m[1]}-{m[2]}-{k}-{m[5]}" for k, m in enumerate(LINE_MUTATIONS)])
def test_rule_line_mutation(tmp_path, code, n, line, old, new, expect):
    src = _seed(n).read_text(encoding="utf-8").split("\n")
    assert old in src[line - 1], f"line {line} does not hold {old!r}"
    src[line - 1] = src[line - 1].replace(old, new, 1)
    path = tmp_path / _seed(n).name
    path.write_text("\n".join(src), encoding="utf-8")
    doc = load_document(path)
    if code == "R15":
        extract_claims(doc)     # R15 compares the table with the narrative's 三公 figures
    found = [f for f in RULES[code].fn(doc) if f.severity in ("error", "warning")
             and int(expect.partition("@")[2] or line) in {f.prov.line} | {e.prov.line for e in f.evidence}]
    assert bool(found) == expect.startswith("fail"), [f.message for f in found]


def _pdf_doc(rel: str):
    """One document; "A.pdf+B.pdf": the files of one disclosure joined as `auditor check` joins them."""
    paths = [CORPUS / r for r in rel.split("+")]
    for p in paths:
        if not p.exists():
            pytest.skip(f"{p} is not on this machine")
    if len(paths) > 1:
        from auditor.pipeline import load_disclosures
        docs, errors = load_disclosures(paths)
        assert len(docs) == 1 and not errors, (rel, errors)
        return docs[0]
    return load_document(paths[0])


def test_year_from_title_page_not_first_or_most_common_number():
    # the 2026 budget of 苏州市水务局 says "较2025年预算" and "2025年..." more often than "2026年度"; its cover says 2026
    doc = _pdf_doc("budgets/suzhou/2026年苏州市水务局部门预算.pdf")
    ident = identity(doc)
    assert (ident.year, ident.kind, ident.scope, ident.source) == (2026, "预算", "单位", "title")
    assert doc.year == 2026


def test_year_from_title_page_over_file_name():
    # published as "..._2026年部门预算.pdf", the document is the 2025 budget (cover, headings and running header)
    ident = identity(_pdf_doc("budgets/wuxi/信访局_2026年部门预算.pdf"))
    assert (ident.year, ident.kind, ident.department) == (2025, "预算", "无锡市信访局")


def test_identity_scope_and_short_names():
    ident = identity(_pdf_doc("budgets/quanzhou/公安局_2026年度泉州市公安局（本级）单位预算.pdf.pdf"))
    assert (ident.year, ident.scope, ident.key) == (2026, "单位", "泉州市公安局")
    assert "公安局" in ident.short_names and ident.names("泉州市公安局") and not ident.names("福建省公安厅")


def test_identity_of_seeds_and_shanghai():
    got = {p.name[:3]: (identity(load_document(p)).year, identity(load_document(p)).kind) for p in sorted(SEEDS.glob("*.txt"))}
    assert got == {"000": (2023, "决算"), "001": (2024, "决算"), "002": (2023, "决算"), "003": (2025, "预算"),
                   "004": (2023, "决算")}
    info, blocks = read_blocks(ROOT / "corpus" / "shanghai" / "shanghai_putuo_shehuigongzuobu_2024.pdf")
    ident = read_identity(blocks)
    assert (ident.department, ident.year, ident.kind, ident.source) == ("中共上海市普陀区委社会工作部", 2024, "决算", "title")
    assert "普陀区委社会工作部" in ident.short_names


def test_multi_file_disclosure_shares_year_and_kind():
    # Jiangsu publishes a narrative (_wenben) and a tables (_biaoge) file for one disclosure
    w = identity(_pdf_doc("jiangsu/yusuan_2019_jiangsu_sheng-zhengxie-bangongting_wenben.pdf"))
    b = identity(_pdf_doc("jiangsu/yusuan_2019_jiangsu_sheng-zhengxie-bangongting_biaoge.pdf"))
    assert (w.year, w.kind) == (b.year, b.kind) == (2019, "预算")
    assert w.same_disclosure(b)
    other = identity(_pdf_doc("jiangsu/yusuan_2018_jiangsu_shengwei-bangongting_biaoge.pdf"))
    assert not w.same_disclosure(other)


def test_blank_page_is_a_warning_only_when_the_page_holds_nothing():
    doc = _pdf_doc("../../work/wt12/corpus/shanghai/shanghai_putuo_caizhengju_2024.pdf") if False else \
        load_document(ROOT / "corpus" / "shanghai" / "shanghai_putuo_caizhengju_2024.pdf")
    got = list(RULES["R10"].fn(doc))
    # page 14 has no text, only the ruled frame of an empty table row: a hint, not a warning
    assert [(f.prov.page, f.severity) for f in got] == [(14, "info")]


def test_reviews_are_recorded_with_verdicts():
    for p in (ROOT / "tests" / "checklist_reviews").glob("*.json"):
        data = json.loads(p.read_text(encoding="utf-8"))
        for r in data["findings"]:
            assert r["verdict"] in ("real", "false") and r["rule"] in RULES and r["why"]


# (rule, operation, page, expect) on the blocks of the Shanghai 财政局 PDF: "drop_page" empties a page (the source
# taken as a paginated non-PDF, so the rule cannot look at the page's drawings), "repeat_last_line" prints the page's
# last line again at the top of the next page, "none" leaves the document as published
PDF_MUTATIONS = [
    ("R10", "drop_page", 5, "fail"),
    ("R10", "none", 5, "pass"),
    ("R11", "repeat_last_line", 20, "fail"),
    ("R11", "none", 20, "pass"),
]


@pytest.mark.parametrize("code,op,page,expect", PDF_MUTATIONS, ids=[f"{m[0]}-{m[1]}-{m[2]}" for m in PDF_MUTATIONS])
def test_rule_pdf_mutation(code, op, page, expect):
    from dataclasses import replace

    from auditor.structure import build_document

    info, blocks = read_blocks(ROOT / "corpus" / "shanghai" / "shanghai_putuo_caizhengju_2024.pdf")
    if op == "drop_page":
        blocks = [b for b in blocks if b.prov.page != page]
        info = replace(info, format="docx")
    elif op == "repeat_last_line":
        last = max(i for i, b in enumerate(blocks) if b.prov.page == page and b.kind == "text")
        first = next(i for i, b in enumerate(blocks) if b.prov.page == page + 1)
        blocks = blocks[:first] + [replace(blocks[last], prov=blocks[first].prov)] + blocks[first:]
    doc = build_document(info, blocks)
    found = [f for f in RULES[code].fn(doc) if f.severity in ("error", "warning")
             and page in {f.prov.page, (f.prov.page or 0) - 1}]
    assert bool(found) == (expect == "fail"), [f.message for f in found]


# Real documents of the development corpus, reviewed by hand (tests/checklist_reviews/): (rule, document, page, words
# of the message, expect). "fail": a real finding a reviewer confirmed; "pass": a false one the rules used to report
# (regression cases).
_ZX = ("R04", "jiangsu/yusuan_2019_jiangsu_sheng-zhengxie-bangongting_wenben.pdf+"
              "jiangsu/yusuan_2019_jiangsu_sheng-zhengxie-bangongting_biaoge.pdf")
CORPUS_CASES = [
    ("R06", "jiangsu/yusuan_2019_jiangsu_sheng-renda-changweihui-bangongting_wenben.pdf", 9, "增加（减少）", "fail"),
    ("R12", "jiangsu/yusuan_2019_jiangsu_sheng-zhengxie-bangongting_biaoge.pdf", 1, "文化体育与传媒支出", "fail"),
    ("R05", "budgets/yantai/2026年烟台市教育局部门预算.pdf", 40, "五、政府采购情况", "fail"),
    ("W03", "foshan_shunde/yusuan_2021_guangdong-foshan-shunde_liangqiujufuren-youeryuan.pdf", 2, "请在此处插入", "fail"),
    ("R04", "foshan_shunde/yusuan_2021_guangdong-foshan-shunde_liangqiujufuren-youeryuan.pdf", 2, "", "pass"),
    ("R03", "jiangsu/yusuan_2017_jiangsu_sheng-renmin-jianchayuan.pdf", 9, "", "pass"),       # 省检察院: an abbreviation
    ("R04", "jiangsu/yusuan_2019_jiangsu_sheng-renmin-jianchayuan.pdf", 2, "基本支出预算表", "pass"),  # 表（经济科目）
    ("R04", "jiangsu/yusuan_2019_jiangsu_sheng-renmin-jianchayuan.pdf", 15, "", "pass"),      # 收支预算总表 in order
    ("R04", "jiangsu/yusuan_2019_jiangsu_sheng-renmin-jianchayuan.pdf", 2, "主要职能", "fail"),  # body: 主要职责
    ("R08", "jiangsu/yusuan_2018_jiangsu_shengwei-bangongting_biaoge.pdf", 15, "", "pass"),   # rotated page
    ("R05", "budgets/huzhou/2026年湖州市财政局部门预算.pdf", 3, "", "pass"),                   # 目录 over two pages
    ("R11", "budgets/yantai/2026年烟台市商务局部门预算.pdf", 38, "", "pass"),                  # a table's title per page
    ("R04", "budgets/changchun/2026年长春市信访局部门预算.pdf", 2, "", "pass"),                # titles inside the frames
    ("R13", "budgets/huzhou/2026年湖州市交通运输局部门预算.pdf", 8, "", "pass"),              # 一般公共服务（类）
    ("R04", "budgets/yantai/2026年烟台市商务局部门预算.pdf", 50, "", "pass"),                  # 第四部分 on the line before
    ("R02", "budgets/wuxi/2026年无锡市教育局部门预算.pdf", 3, "", "pass"),                     # 负责本部门…: a duty
    ("R05", "budgets/hangzhou/2026年杭州市交通运输局部门预算.pdf", 3, "", "pass"),             # the body starts at 一
    ("R14", "jiangsu/yusuan_2017_jiangsu_sheng-renmin-jianchayuan.pdf", 19, "占0.78%", "fail"),  # list ends without 。
    ("R14", "jiangsu/yusuan_2018_jiangsu_sheng-renmin-jianchayuan.pdf", 23, "", "pass"),      # 其中 introduces (1)
    # a narrative file joined with its tables file: the tables' titles are found in the other file (a title cell that
    # runs on into 部门：… 单位：万元; 财政拨款政府性基金 for 政府性基金财政拨款), and no order holds across the files
    (*_ZX, 2, "", "pass"),
    (*_ZX, 17, "", "pass"),
    ("R04", "jiangsu/yusuan_2018_jiangsu_shengwei-bangongting_wenben.pdf+"
            "jiangsu/yusuan_2018_jiangsu_shengwei-bangongting_biaoge.pdf", 12, "", "pass"),
    ("R04", "budgets/changsha/2026年长沙市公安局2025年部门预算.pdf", 2, "", "pass"),         # 目录 entries in grid rows
    ("R04", "jiangsu/yusuan_2018_jiangsu_shengwei-bangongting_biaoge.pdf", 2, "", "pass"),   # 序号 报表名称 heads
    ("R04", "jiangsu/yusuan_2017_jiangsu_shengwei-bangongting_wenben.pdf", 2, "名称解释", "fail"),  # body: 名词解释
    ("R06", "jiangsu/yusuan_2019_jiangsu_sheng-renda-changweihui-bangongting_wenben.pdf", 16, "增加（减少）", "fail"),
    ("R07", "budgets/yantai/2026年烟台市人力资源和社会保障局部门预算.pdf", 6, "包括", "fail"),   # 包括：。
    ("R03", "foshan_shunde/yusuan_2021_guangdong-foshan-shunde_liangqiujufuren-youeryuan.pdf", 22, "富士山", "fail"),
    ("R03", "foshan_shunde/yusuan_2021_guangdong-foshan-shunde_liangqiujufuren-youeryuan.pdf", 21, "", "pass"),  # 佛山顺德区
    ("W03", "jiangsu/yusuan_2019_jiangsu_sheng-zhengxie-bangongting_wenben.pdf", 14, "填写", "fail"),  # （按…填写）
    ("W03", "budgets/yantai/2026年烟台市住房和城乡建设局部门预算.pdf", 35, "公开时请删除", "fail"),
    ("R12", "jiangsu/yusuan_2019_jiangsu_sheng-zhengxie-bangongting_biaoge.pdf", 1, "医疗卫生与计划生育支出", "fail"),
    ("R16", "budgets/changchun/2026年长春市信访局部门预算.pdf", 15, "国有资本经营", "fail"),   # empty, no note anywhere
    ("R16", "budgets/hangzhou/2026年杭州市交通运输局部门预算.pdf", 36, "", "pass"),           # 备注：…故本表无数据
    ("R16", "budgets/yantai/2026年烟台市人力资源和社会保障局部门预算.pdf", 24, "", "pass"),   # （注：…没有使用…）
    ("R16", "jiangsu/yusuan_2017_jiangsu_shengwei-bangongting_biaoge.pdf", 7, "", "pass"),   # tables-only file: a hint
    ("R16", "budgets/changsha/2026年长沙市公安局2025年部门预算.pdf", 22, "", "pass"),         # 空表表示… in the 目录
]
_CORPUS_DOCS: dict = {}


@pytest.mark.parametrize("code,rel,page,words,expect", CORPUS_CASES,
                         ids=[f"{c[0]}-{c[1].split('/')[-1][:24]}-p{c[2]}-{c[4]}" for c in CORPUS_CASES])
def test_rule_on_reviewed_corpus_document(code, rel, page, words, expect):
    if rel not in _CORPUS_DOCS:
        _CORPUS_DOCS[rel] = _pdf_doc(rel)
    found = [f for f in RULES[code].fn(_CORPUS_DOCS[rel]) if f.severity in ("error", "warning")
             and f.prov.page == page and words in f.message]
    assert bool(found) == (expect == "fail"), [f.message for f in found]


def test_unpaired_reads_half_to_half_as_the_character_count_does():
    """R08's search from one bracket or quote to the next finds the first unpaired right half where counting
    character by character finds it (random texts of brackets, quotes and other characters)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from auditor.checks.checklist_text import _depths, _unpaired

    @settings(max_examples=500, deadline=None, derandomize=True)
    @given(st.text(alphabet="“”（）《》a字。", max_size=40), st.sampled_from([("“", "”"), ("（", "）"), ("《", "》"),
                                                                         ("“", "“"), ("增加", "减少")]))
    def run(text, pair):
        a, b = pair
        counted = next((k for k, depth in _depths(text, a, b) if depth < 0), None)
        assert _unpaired(text, a, b) == counted

    run()


@pytest.mark.parametrize("p, needs", [
    (r"截[至止](?P<y>(?:19|20)\d{2})年(?:12月31日|底)", True),
    (r"(?:比|较)(?P<y>(?:19|20)\d{2})年度?预算", True),
    (r"[(（](?P<y>(?:19|20)\d{2})年", True),
    (r"(?:a|(?P<y>(?:19|20)\d{2})年)", False),       # inside an alternative
    (r"x|(?P<y>(?:19|20)\d{2})年", False),           # the other top-level alternative needs no year
    (r"(?<=(?P<y>(?:19|20)\d{2})年)a", False),       # inside a lookbehind
    (r"(?P<y>(?:19|20)\d{2})年?预算", False),         # 年 optional
    (r"(?P<y>\d{4})年", False),                      # another year group
])
def test_year_phrase_prefilter_only_where_every_match_holds_a_year(p, needs):
    import regex

    from auditor.checks.checklist_identity import _HAS_YEAR, _needs_year

    assert _needs_year(p) is needs
    if needs:  # then no match without a year: checked on texts that have a match
        for text in ("截至2024年底", "比2025年预算", "（2026年", "比2025年度预算"):
            for m in regex.finditer(p, text):
                assert _HAS_YEAR.search(m.group(0))


def _core_every_reduction(text, names, loose=True):
    """R04's title reduction with every substitution applied (no skipping): the reference for _core."""
    from auditor.checks import checklist_order as co

    t = co._LEADER.sub("", text.lstrip("-*#>· "))
    for p in (co._NOTE, co._NUMBER, co._LABEL, co._YEAR):
        t = p.sub("", t)
    for n in sorted(names, key=len, reverse=True):
        if len(n) >= 3:
            t = t.replace(n, "")
    t = co._PUNCT.sub("", t)
    return co._LOOSE.sub("", t) if loose else t


def test_toc_core_skips_only_reductions_that_cannot_apply():
    """_core tries a reduction only where the text holds what its every match needs; the result is that of
    applying them all, on every line of the seeds and on lines made of the pieces the reductions remove."""
    import random

    from auditor.checks.checklist_order import _core

    texts = [ln for p in sorted(SEEDS.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    pieces = ["第三部分", "一、", "（二）", "3.", "公开10表：", "表一", "附表2", "（预算表10）", "2024年度", "（注：删除）",
              "表（经济科目）", "……12", "...", " 7", "８", "表", "年", "（", "(", "部门", "说明", "收入支出决算总表",
              "孟津区政务服务和大数据管理局", "\n", "——", "_", "1"]
    rnd = random.Random(3)
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 7))) for _ in range(5000)]
    names = ("孟津区政务服务和大数据管理局", "政务服务", "局")
    for text in texts:
        for loose in (True, False):
            assert _core(text, names, loose) == _core_every_reduction(text, names, loose), text


def test_code_names_kept_for_the_document_until_it_changes():
    """R12 and R13 read the same (code, name) pairs, taken once per document; a document whose blocks change is
    read again."""
    from auditor.checks.checklist_names import _code_names
    from auditor.model import Block, Provenance

    doc = load_document(next(SEEDS.glob("001_*.txt")))
    first = _code_names(doc)
    assert first and _code_names(doc) == first
    doc.blocks.append(Block("text", "2010101 行政运行", Provenance("x", line=1)))
    again = _code_names(doc)
    assert again[:len(first)] == first and again[len(first):] == [("2010101", "行政运行", Provenance("x", line=1))]


def test_toc_of_two_entries_is_searched_on_demand(tmp_path):
    """A 目录 of fewer than three entries is not checked by R04, and its lines are then not reduced; asked for an
    entry (as bench/checklist_mutations.py asks), the Toc reduces them and finds it."""
    from auditor.checks.checklist_order import Toc, toc_vs_body

    p = tmp_path / "two.txt"
    p.write_text("目录\n一、收入支出决算总表\n二、收入决算表\n本部门主要职能是管理，负责本地区的有关工作。\n"
                 "一、收入支出决算总表\n收入 100.00 万元。\n二、收入决算表\n收入 100.00 万元。\n", encoding="utf-8")
    doc = load_document(p)
    toc = Toc(doc)
    assert len(toc.entries) == 2 and toc._index is None and list(toc_vs_body(doc)) == []
    for e in toc.entries:
        (k,) = toc.exact(e)
        assert toc.lines[k].text == e.text and k >= toc.body and k in toc.found(e)
