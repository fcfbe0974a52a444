#!/usr/bin/env python3
"""Derive a small synthetic archive from a real seed, for the cross-document (Y) rules.

    python3 corpus/synthetic/make_synthetic.py            # (re)writes corpus/synthetic/*.txt and expected.json
    python3 corpus/synthetic/make_synthetic.py --out DIR  # writes them elsewhere (the tests compare the two)

Seed 000 (焦作市城乡一体化示范区行政审批与大数据管理局 2023 年度部门决算, a real disclosure) is read with the auditor's
own pipeline; from its figures the script derives three documents of the same department, in the layouts of the
real seeds, each marked SYNTHETIC (合成测试数据) in its first line and in its file name:

  SYNTHETIC_000_2022_final.txt   2022 年度部门决算: 本年 figures = what the seed's "与上年度相比 … 减少 X 万元" implies
                                  (the seed's 项 scaled to that total); its 年初预算 and 三公 预算数 = the 2022 预算
  SYNTHETIC_000_2022_budget.txt  2022 年度部门预算: the 2023 budget scaled by PRIOR_BUDGET_FACTOR
  SYNTHETIC_000_2023_budget.txt  2023 年度部门预算: exactly the 年初预算 per 项 and the 三公 预算数 the seed states

Everything agrees across the four documents except the deliberate inconsistencies below (DELIBERATE), which are
written to expected.json (rule, document, line, severity, stated, expected) together with the one cross-document
inconsistency the real seed already has (its 三公 预算数 车小计 9.8, which no budget can match). The factors are
parameters, not figures: every printed figure is computed from the seed. Re-running gives identical files.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT)]
sys.dont_write_bytecode = True  # keep corpus/synthetic free of __pycache__

from auditor.pipeline import audit  # noqa: E402
from render_budget import render_budget  # noqa: E402
from render_final import render_final  # noqa: E402
from synth_model import DeptYear, derive_year, r2, scaled_items, seed_year  # noqa: E402

SEED = ROOT / "corpus" / "seeds" / "000_e75c8bca0de43ef5.txt"
SEED_NAME = "corpus/seeds/000_e75c8bca0de43ef5.txt"
PRIOR_BUDGET_FACTOR = 0.95        # the 2022 budget, per 项 and 三公, relative to the 2023 budget
GROWTH_BEFORE = 1.06              # 2022 vs 2021 (the statements about 2021, which is not in the archive)
RECEPTION_ADJUSTMENT = 1.4        # D3: the 2022 决算 shows 公务接待费 预算数 after a mid-year adjustment
NAMES = {("决算", 2022): "SYNTHETIC_000_2022_final.txt", ("预算", 2022): "SYNTHETIC_000_2022_budget.txt",
         ("预算", 2023): "SYNTHETIC_000_2023_budget.txt"}
DELIBERATE = {
    "D1": "2023 年预算说明“与上年相比，收、支总计各增加 … 万元”按 2022 年决算总计（650.94）而不是 2022 年预算总计计算"
          "（预算应与上年预算比较）；同文件四（一般公共预算收支预算）按上年预算计算，是对的。",
    "D2": "2022 年决算说明中第一个项（事业运行）的年初预算个位与十位数字颠倒，与 2022 年预算 05表 不符（完成率按写错的数计算，"
          "文件自身仍然一致）。",
    "D3": "2022 年决算 09表 预算数 公务接待费（及合计）是年中调整后的数，比 2022 年预算 09表 多 40%，说明里写作“全年预算”，"
          "但未说明调整（Y03 报警告：请核实）。",
}


def swap_digits(v: float) -> float:
    """The tens and units digits of the integer part transposed (235.41 -> 253.41): a typing slip."""
    s = f"{v:.2f}"
    i = s.index(".")
    if i < 2 or s[i - 2] == s[i - 1]:
        raise ValueError(f"{v}: no two different digits to transpose")
    return float(s[:i - 2] + s[i - 1] + s[i - 2] + s[i:])


def derive(seed: DeptYear) -> tuple[dict[tuple[str, int], DeptYear], list[dict]]:
    """The three synthetic department-years and the expected cross-document findings (before line numbers)."""
    y0 = seed.year
    # the real 2023 budget: the seed's 年初预算 per 项 and its 三公 预算数 (car = 购置 + 运行, the seed's 小计 is wrong)
    b23_items = dict(seed.initial)
    s23 = seed.sangong_budget
    b22_items = {k: r2(v * PRIOR_BUDGET_FACTOR) for k, v in b23_items.items()}
    s22 = s23.scaled(PRIOR_BUDGET_FACTOR)
    t22 = seed.prev["收支总计"]
    b22_total, b23_total = r2(sum(b22_items.values())), r2(sum(b23_items.values()))
    before = r2(b22_total / GROWTH_BEFORE)
    budget22 = derive_year(seed, y0 - 1, "预算", b22_items, s22, vehicles=seed.vehicles,
                           prev={"收支总计": before, "财政拨款收支总计": before, "三公经费": s22.total})
    # D1: the 2023 budget compares its 收支总计 with last year's 决算 total instead of last year's budget
    budget23 = derive_year(seed, y0, "预算", b23_items, s23, vehicles=seed.vehicles,
                           prev={"收支总计": t22, "财政拨款收支总计": b22_total, "三公经费": s22.total})
    # the 2022 决算: the total the seed implies, the seed's 三公 actuals scaled alike; 年初预算 = the 2022 预算 (but D2)
    s_adj = replace(s22, reception=r2(s22.reception * RECEPTION_ADJUSTMENT))        # D3
    actual22 = seed.sangong.scaled(t22 / seed.total)
    t21 = r2(t22 / GROWTH_BEFORE)
    final22 = derive_year(seed, y0 - 1, "决算", scaled_items(seed, t22), actual22, sangong_budget=s_adj,
                          initial=b22_items, vehicles=seed.vehicles,
                          prev={"收支总计": t21, "财政拨款收支总计": t21, "一般公共预算财政拨款支出": t21})
    first = min(b22_items)
    final22 = replace(final22, stated_initial={first: swap_digits(b22_items[first])})  # D2
    docs = {("决算", y0 - 1): final22, ("预算", y0 - 1): budget22, ("预算", y0): budget23}
    up = r2(b23_total - t22)
    expected = [
        dict(id="D1", rule="Y01", doc=("预算", y0), tag="change:收支总计", severity="error",
             stated=abs(up), expected=r2(b23_total - b22_total), note=DELIBERATE["D1"]),
        dict(id="D2", rule="Y02", doc=("决算", y0 - 1), tag=f"initial:{first}", severity="error",
             stated=swap_digits(b22_items[first]), expected=b22_items[first], note=DELIBERATE["D2"]),
        dict(id="D3", rule="Y03", doc=("决算", y0 - 1), tag="J09.预算数", severity="warning",
             stated=s_adj.reception, expected=s22.reception, note=DELIBERATE["D3"] + "（公务接待费）"),
        dict(id="D3", rule="Y03", doc=("决算", y0 - 1), tag="J09.预算数", severity="warning",
             stated=s_adj.total, expected=s22.total, note=DELIBERATE["D3"] + "（合计）"),
    ]
    return docs, expected


def seed_findings(seed_doc, budget: DeptYear) -> list[dict]:
    """The cross-document inconsistency the real seed has by itself: its 三公 预算数 车小计 (9.8) is not 购置 + 运行
    (0.00 + 4.8), so it cannot match any consistent budget's 公务用车购置及运行费."""
    cell = seed_doc.table("J09").cell("预算数", "公务用车购置及运行维护费")
    if cell is None or abs(cell.value - budget.sangong.car) < 1e-9:
        return []
    return [dict(id="S1", rule="Y03", document=SEED_NAME, line=cell.prov.line, severity="warning", stated=cell.value,
                 expected=budget.sangong.car, origin="seed",
                 note="种子自身的错误：09表 预算数 公务用车购置及运行费 小计 9.8 ≠ 购置费 0.00 + 运行费 4.8（T02 也报告）；"
                      "合成的 2023 年预算按 4.80 编制。")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(HERE), help="output folder (default: corpus/synthetic)")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    result = audit(SEED)
    seed = seed_year(result.doc)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    docs, expected = derive(seed)
    marks = {}
    for key, y in docs.items():
        w = (render_final if y.kind == "决算" else render_budget)(y, lines, SEED_NAME)
        (out / NAMES[key]).write_text(w.text(), encoding="utf-8")
        marks[key] = w.marks
    rows = []
    for e in expected:
        key = e.pop("doc")
        rows.append({"id": e.pop("id"), "rule": e.pop("rule"), "document": f"corpus/synthetic/{NAMES[key]}",
                     "line": marks[key][e.pop("tag")], **e, "origin": "deliberate"})
    rows += seed_findings(result.doc, docs[("预算", seed.year)])
    meta = {"seed": SEED_NAME, "documents": [f"corpus/synthetic/{NAMES[k]}" for k in sorted(NAMES)],
            "note": "Y (cross-document) findings at error/warning level expected over corpus/seeds + corpus/synthetic; "
                    "each is reported on the document that makes the statement (document, line).",
            "expected": rows}
    (out / "expected.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(docs)} documents and expected.json ({len(rows)} findings) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
