"""Name-only function tables (杭州: 类/款/项 printed by name, no code): each row placed in the 政府收支分类科目 from
its name in context (auditor/structure/classify.py), on real pages of the development corpus (../shared/corpus,
skipped without it) and on small contexts; T01 and the narrative's func: claims then read the placed rows."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from auditor.align import resolve
from auditor.checks import run_checks
from auditor.claims import extract_claims
from auditor.lexicons import load
from auditor.pipeline import load_disclosure
from auditor.structure.classify import candidates

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
HZJT = "budgets/hangzhou/2026年杭州市交通运输局部门预算.pdf"
HZSF = "budgets/hangzhou/2026年杭州市司法局部门预算.pdf"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

LEI = ("214", "交通运输支出")
KUAN = ("21401", "公路水路运输")


@pytest.mark.parametrize("name, lei, kuan, expect", [
    ("交通运输支出", None, None, {"214"}),                    # a 类 by its name alone
    ("公路水路运输", LEI, None, {"21401"}),                   # a 款 among its 类's
    ("行政运行", LEI, KUAN, {"2140101"}),                     # a recurring 项 under its 款
    ("行政运行", LEI, None, set()),                           # … never without one
    ("一般行政管理事务", LEI, KUAN, {"2140102"}),
    ("其他公路水路运输支出", LEI, KUAN, {"2140199"}),         # 其他 + 款 + 支出: the 款's 99 项
    ("其他交通运输支出", LEI, KUAN, {"21499"}),               # 其他 + 类 + 支出: the 类's 99 款
    ("其他交通运输支出", LEI, ("21499", "其他交通运输支出"), {"21499", "2149999"}),  # the 99 款 repeats its name
    # after 超长期特别国债安排的支出 (21498) 公路水路运输 may be its 项 or the 款 21401: two places, left unplaced
    ("公路水路运输", LEI, ("21498", "超长期特别国债安排的支出"), {"21401", "2149801"}),
    ("基层司法业务", ("204", "公共安全支出"), None, set()),    # a name the list does not hold
])
def test_candidates(name, lei, kuan, expect):
    assert candidates(name, lei, kuan) == expect


def test_items_lexicon_is_a_tree():
    """Every harvested 项 sits under a 5-digit 款 code, every code is 5 or 7 digits of a known 类."""
    items = load("classification_items")["functional"]
    classes = {c for c in load("classification")["functional"] if len(c) == 3}
    assert len(items) > 200
    for code, names in items.items():
        assert code.isdigit() and len(code) in (5, 7) and code[:3] in classes, code
        assert names and all(n.strip() == n and n for n in names), code


@lru_cache(maxsize=None)
def _audited(rel: str):
    doc = load_disclosure(CORPUS / rel)
    extract_claims(doc)
    return doc, run_checks(doc)


@needs_corpus
def test_hangzhou_table5_placed():
    """表5 (p30) of 杭州交通运输局 prints names only: the 交通运输 block is placed whole; the 教育 block, whose 项
    技校教育 the list does not hold, keeps its 类 code and leaves its 款/项 unplaced; 表8's 超长期特别国债 block
    (公路水路运输 fits two places) is left unplaced."""
    doc, _ = _audited(HZJT)
    t = doc.table("Y05")
    keys = [r.key for r in t.rows]
    assert keys[keys.index("214"):] == ["214", "21401", "2140101", "2140102", "2140199", "21499", "2149901",
                                         "2149999"]
    r = t.row("21401")
    assert r.name == "公路水路运输" and r.code_from_name and r.prov.page == 30
    assert "205" in keys and "职业教育" in keys and "技校教育" in keys and t.unplaced > 0
    y10 = doc.table("Y10")
    assert "超长期特别国债安排的支出" in [r.key for r in y10.rows] and y10.row("214") is not None
    assert not any(r.code_from_name for tb in doc.tables if tb.id.startswith("Y06") for r in tb.rows)


# (rule, document, page, stated, expect): "fail" = an error/warning of the rule on that page stating that figure
CASES = [
    # 公路水路运输 (款) 合计 97,402.60, its 项 43,003.71 + 927.20 + 53,522.29 = 97,453.20 (gold hzjt-02)
    ("T01", HZJT, 30, 97402.6, "fail"),
    ("T01", HZJT, 30, 165602.6, "pass"),    # 交通运输支出 (类) = 97,402.60 + 68,200.00 holds
    ("T01", HZJT, 30, 68200.0, "pass"),     # 其他交通运输支出 (款) = 68,000.00 + 200.00
    ("T01", HZJT, 30, 432513.7, "pass"),    # 合计 = Σ类 not read: 教育's rows are partly unplaced
    # narrative 交通运输（类）支出165,653.20 vs 表5 交通运输支出 165,602.60 (gold hzjt-06)
    ("N01", HZJT, 7, 165653.2, "fail"),
    ("N01", HZJT, 7, 6701.98, "pass"),      # 一般公共服务（类）支出6,701.98 = 表5 201
    ("T01", HZSF, None, None, "pass"),      # 司法/监狱/强制隔离戒毒 款 not in the list: no sum read from them
]


@needs_corpus
@pytest.mark.parametrize("rule, rel, page, stated, expect", CASES)
def test_rule_cases(rule, rel, page, stated, expect):
    _, findings = _audited(rel)
    hit = [f for f in findings if f.rule == rule and f.severity in ("error", "warning")
           and (page is None or f.prov.page == page) and (stated is None or f.stated == stated)]
    assert bool(hit) == (expect == "fail"), [f.message for f in hit]


@needs_corpus
def test_narrative_claim_aligned_to_placed_row():
    doc, _ = _audited(HZJT)
    first = next(c for c in doc.claims if c.value == 165653.2 and c.kind == "amount")
    for value, key in ((165653.2, "214"), (6701.98, "201")):   # one sentence: 一般公共预算当年拨款结构
        c = next(c for c in doc.claims if c.value == value and c.kind == "amount" and c.sentence == first.sentence)
        ref = resolve(doc, c.subject, c.period, c.scope)
        assert c.subject == "func:" + key and ref is not None and (ref.table.id, ref.row.key) == ("Y05", key)


def _table(names: list[str], tid: str = "Y05"):
    from auditor.model import Cell, Provenance, Row, Table
    p = Provenance("t.pdf", None, 1)
    rows = [Row(n, None, n, p, {"合计": Cell(1.0, "1.00", p)}) for n in ["合计"] + names]
    return Table(tid, "一般公共预算支出预算表", "", p, "预算", "code", ["合计"], rows)


@pytest.mark.parametrize("names, keys, unplaced", [
    # a whole block: every row placed, nothing left
    (["交通运输支出", "公路水路运输", "行政运行", "其他公路水路运输支出"],
     ["合计", "214", "21401", "2140101", "2140199"], 0),
    # an unknown 项 (技校教育 is not in the list): the 类 keeps its code, its 款 and 项 are left as names
    (["教育支出", "职业教育", "技校教育", "交通运输支出", "公路水路运输", "行政运行"],
     ["合计", "205", "职业教育", "技校教育", "214", "21401", "2140101"], 2),
    # a 款 without any 项 in a table printing 项: the block is not whole, left unplaced
    (["交通运输支出", "公路水路运输", "其他交通运输支出", "公共交通运营补助"],
     ["合计", "214", "公路水路运输", "其他交通运输支出", "公共交通运营补助"], 3),
    # 行政运行 straight under a 类: no 款 to place it in
    (["交通运输支出", "行政运行"], ["合计", "214", "行政运行"], 1),
])
def test_place_rows(names, keys, unplaced):
    from auditor.structure.classify import place_rows
    t = _table(names)
    place_rows(t)
    assert [r.key for r in t.rows] == keys and t.unplaced == unplaced
    assert all(r.code_from_name == (r.code is not None) for r in t.rows)


def test_printed_codes_and_other_tables_untouched():
    from auditor.structure.classify import place_rows
    t = _table(["交通运输支出", "公路水路运输", "行政运行"], "Y06")
    place_rows(t)
    assert [r.key for r in t.rows][1:] == ["交通运输支出", "公路水路运输", "行政运行"]
    t = _table(["交通运输支出", "公路水路运输", "行政运行"])
    t.rows[1].code = "214"
    place_rows(t)
    assert [r.key for r in t.rows][2:] == ["公路水路运输", "行政运行"]
