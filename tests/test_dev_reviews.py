"""A finding reviewed `false` (tests/reviews/, judged by reading the page) must not come back as error or warning.

Runs over a CI-fast subset of the development documents (bench/dev_gold.py covers all of them); skipped when the
development corpus (../shared/corpus/) is not on the machine."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REVIEWS = ROOT / "tests" / "reviews"
_spec = importlib.util.spec_from_file_location("dev_gold", ROOT / "bench" / "dev_gold.py")
dev_gold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev_gold)

# the families whose false findings this test guards: narrative vs table (N), the narrative's own arithmetic (C),
# table arithmetic (T: a 合计 row read without its figures, a table's columns read in the wrong order) and the wording
# rules (W: a 栏次 row read as figures, 无锡 read as 无, 持平 bound to the wrong item). The checklist rules (R) have
# their own review (tests/checklist_reviews/).
GUARDED = ("N", "C", "T", "W")

# small documents (≤ 30 pages) whose reviews hold false findings of the causes the issue lists (subject carried
# over, 其他资金 part read as the total, a part read as 基本支出, a rounding difference reported, 人员支出 read as
# 基本支出, a 栏次 row read as figures, a share's base taken from the wrong figure, an over-full 基本支出 table's
# columns, a unit-keyed 收入 table's first figure dropped)
FAST = [
    "budgets/wuxi/城市管理和综合执法局_2026年部门预算",
    "budgets/hangzhou/2026年杭州市气象局部门预算",
    "budgets/changchun/2026年长春市信访局部门预算",
    "budgets/zhuhai/财政局_2026年部门预算",
    "jiangsu/yusuan_2017_jiangsu_sheng-renmin-jianchayuan",
    "jiangsu/yusuan_2018_jiangsu_shengwei-bangongting_wenben",   # a page number read into 增长 3 | 17.31%
]


def test_review_files_are_well_formed():
    files = sorted(REVIEWS.rglob("*.json"))
    assert files
    for p in files:
        stem = p.relative_to(REVIEWS).with_suffix("")
        assert (dev_gold.CORPUS / (str(stem) + ".pdf")).exists() or not dev_gold.CORPUS.exists(), p
        for v in json.loads(p.read_text(encoding="utf-8")):
            assert set(v) == {"rule", "page", "stated", "expected", "verdict", "why"}, (p, v)
            assert v["verdict"] in ("real", "false", "unclear") and len(v["why"]) > 10, (p, v)


@pytest.mark.parametrize("name", FAST)
def test_reviewed_false_findings_stay_away(name):
    doc = dev_gold.CORPUS / (name + ".pdf")
    if not doc.exists():
        pytest.skip(f"development corpus not here: {doc}")
    folder, stem = name.rsplit("/", 1)
    false = {k for k, v in dev_gold.load_reviews(folder, stem).items()
             if v["verdict"] == "false" and v["rule"].startswith(GUARDED)}
    found = dev_gold.findings_of(doc, None) or []
    back = [f for f in found if f["severity"] in dev_gold.COUNTED and dev_gold.review_key(f) in false]
    assert not back, [f["message"] for f in back]
