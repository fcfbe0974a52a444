"""Cross-document (Y) rules: on the synthetic archive (corpus/synthetic, derived from seed 000) together with the
real seeds they find exactly the deliberate inconsistencies listed in corpus/synthetic/expected.json; each rule has
a failing and a passing case as data; DocFacts round-trip; check_archive is deterministic and never raises."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from auditor.archive import ARCHIVE_KEY, DocFacts, Figure, check_archive, facts_of
from auditor.archive.facts import Change
from auditor.checks import RULES
from auditor.pipeline import audit

ROOT = Path(__file__).resolve().parent.parent
SYN = ROOT / "corpus" / "synthetic"
EXPECTED = json.loads((SYN / "expected.json").read_text(encoding="utf-8"))


def rel(p: str) -> str:
    return Path(p).resolve().relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def archive() -> list[DocFacts]:
    paths = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted(SYN.glob("SYNTHETIC_*.txt"))
    return [facts_of(audit(p)) for p in paths]


@pytest.fixture(scope="module")
def findings(archive):
    return check_archive(archive)


def test_synthetic_documents_are_marked_identified_and_linked(archive):
    syn = [f for f in archive if "SYNTHETIC_" in f.path]
    assert len(syn) == len(EXPECTED["documents"]) == 3
    seed = next(f for f in archive if rel(f.path) == EXPECTED["seed"])
    for f in syn:
        assert "合成测试数据" in Path(f.path).read_text(encoding="utf-8").splitlines()[0]
        assert f.dept_key == seed.dept_key and f.department == seed.department
    assert {(f.kind, f.year) for f in syn} == {("决算", 2022), ("预算", 2022), ("预算", 2023)}
    assert all(f.figures for f in syn) and all(f.sangong_budget for f in syn)


def test_y_rules_find_the_deliberate_inconsistencies_and_nothing_else(findings):
    got = sorted((f.rule, rel(path), f.prov.line, f.severity, round(f.stated, 2), round(f.expected, 2))
                 for path, fs in findings.items() for f in fs if f.severity in ("error", "warning"))
    want = sorted((e["rule"], e["document"], e["line"], e["severity"], round(e["stated"], 2), round(e["expected"], 2))
                  for e in EXPECTED["expected"])
    assert got == want
    assert {e["rule"] for e in EXPECTED["expected"]} == {"Y01", "Y02", "Y03"}


def test_findings_cite_both_documents_and_state_tolerance(findings):
    for path, fs in findings.items():
        for f in fs:
            assert f.prov.path == path and f.tolerance is not None and "容差" in f.message
            cited = {e.prov.path for e in f.evidence}
            assert path in cited and len(cited) == 2, f.message


def test_synthetic_documents_audit_cleanly():
    """The derived documents add up: no document rule reports an error or a warning on them (the seed's own
    errors are not copied: the generator renders every figure from a consistent model)."""
    for p in sorted(SYN.glob("SYNTHETIC_*.txt")):
        r = audit(p)
        bad = [(f.rule, f.prov and f.prov.line, f.message) for f in r.findings if f.severity != "info"]
        assert not bad, (p.name, bad)
        assert r.doc.kind in ("决算", "预算") and r.doc.year and r.doc.department


def test_generator_is_reproducible(tmp_path):
    r = subprocess.run([sys.executable, str(SYN / "make_synthetic.py"), "--out", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for name in [Path(d).name for d in EXPECTED["documents"]] + ["expected.json"]:
        assert (tmp_path / name).read_text(encoding="utf-8") == (SYN / name).read_text(encoding="utf-8"), name


# ---------------------------------------------------------------- each rule: a failing and a passing case as data

def fig(subject: str, value: float, line: int, raw: str | None = None, table: str | None = None) -> Figure:
    raw = raw if raw is not None else f"{value:.2f}"
    dec = len(raw.split(".")[1]) if "." in raw else 0
    return Figure(subject, value, dec, raw, line, None, table, "r" if table else None, "c" if table else None,
                  f"{table or '说明'} {raw}")


def doc(path: str, kind: str, year: int, **kw) -> DocFacts:
    return DocFacts(path=path, sha256=path, department="某局", dept_key="某局", year=year, kind=kind, **kw)


def change(cur: float, amount: float | None, pct: str | None, polarity: int = -1) -> Change:
    return Change("收支总计", polarity, fig("收支总计", cur, 10), amount is not None and fig("收支总计", amount, 10) or None,
                  pct is not None and fig("收支总计", float(pct), 10, pct) or None, "与上年度相比…", 10)


def prev_final(total: float) -> DocFacts:
    return doc("a/2022决算.txt", "决算", 2022, figures={"收支总计": fig("收支总计", total, 120, table="J01.income")})


def final23(**kw) -> DocFacts:
    return doc("a/2023决算.txt", "决算", 2023, **kw)


def budget23(items: dict[str, float], sangong: dict[str, float] | None = None) -> DocFacts:
    return doc("a/2023预算.txt", "预算", 2023, figures={k: fig(k, v, 200, table="Y05") for k, v in items.items()},
               sangong_budget={k: fig(k, v, 300, table="Y09") for k, v in (sangong or {}).items()})


# (rule, archive, expect): "fail" = one error/warning of the rule on the 2023 document; "pass" = none
RULE_CASES = [
    ("Y01", [final23(changes=[change(585.49, 65.45, "10.05")]), prev_final(640.94)], "fail"),   # implies 650.94
    ("Y01", [final23(changes=[change(585.49, 65.45, "10.05")]), prev_final(650.94)], "pass"),
    ("Y01", [final23(changes=[change(585.49, None, "10.05")]), prev_final(640.94)], "fail"),    # % only: 650.91
    ("Y01", [final23(changes=[change(585.49, None, "10.05")]), prev_final(650.94)], "pass"),    # inside tolerance
    ("Y01", [final23(changes=[change(585.49, 65.45, "10.05")]), replace(prev_final(640.94), kind="预算")], "pass"),
    ("Y02", [final23(initial_budget={"func:2010350": fig("func:2010350", 206.51, 412)}),
             budget23({"func:2010350": 260.51})], "fail"),
    ("Y02", [final23(initial_budget={"一般公共预算财政拨款支出": fig("一般公共预算财政拨款支出", 682.70, 410)}),
             budget23({"一般公共预算财政拨款支出": 682.70})], "pass"),
    ("Y02", [final23(initial_budget={"func:2010350": fig("func:2010350", 260.51, 412)}),
             budget23({"func:2010399": 394.62})], "pass"),                                        # only where both give it
    ("Y03", [final23(sangong_budget={"公务用车购置及运行维护费": fig("公务用车购置及运行维护费", 9.8, 376, "9.8", "J09")}),
             budget23({}, {"公务用车购置及运行维护费": 4.80})], "fail"),
    ("Y03", [final23(sangong_budget={"公务接待费": fig("公务接待费", 5.0, 376, "5", "J09")}),
             budget23({}, {"公务接待费": 5.00})], "pass"),
]


@pytest.mark.parametrize("code,facts,expect", RULE_CASES)
def test_rule_case(code, facts, expect):
    fs = [f for f in check_archive(facts, select=[code])["a/2023决算.txt"] if f.severity in ("error", "warning")]
    assert (len(fs) == 1) if expect == "fail" else not fs, [f.message for f in fs]
    for f in fs:
        assert f.rule == code and {e.prov.path for e in f.evidence} >= {"a/2023决算.txt"}


def test_every_archive_rule_has_doc_and_cases():
    archive_rules = {c for c, r in RULES.items() if r.scope == "archive"}
    assert {"Y01", "Y02", "Y03"} <= archive_rules
    for code in archive_rules:
        r = RULES[code]
        assert len(r.doc) > 40 and "例" in r.doc and r.title and r.severity in ("error", "warning")
        assert {e for c, _, e in RULE_CASES if c == code} == {"fail", "pass"}, code


def test_inside_tolerance_is_info_and_one_unit_off_is_a_warning():
    # 585.49 + 65.45 = 650.94 ± 0.01 meets 650.95 ± 0.005: inside tolerance, information only
    fs = check_archive([final23(changes=[change(585.49, 65.45, None)]), prev_final(650.95)])["a/2023决算.txt"]
    assert [f.severity for f in fs] == ["info"] and "尾差" in fs[0].message
    # 585.49 ÷ (1 − 10.05%) = 650.91; 650.92 lies inside the interval the printed figures allow
    fs = check_archive([final23(changes=[change(585.49, None, "10.05")]), prev_final(650.92)])["a/2023决算.txt"]
    assert [f.severity for f in fs] == ["info"]
    # "682.7" (one decimal) vs 682.60: outside, off by one unit of the last printed digit -> warning; 682.50 -> error
    total = "一般公共预算财政拨款支出"
    for other, sev in ((682.60, "warning"), (682.50, "error")):
        fs = check_archive([final23(initial_budget={total: fig(total, 682.7, 410, "682.7")}),
                            budget23({total: other})])["a/2023决算.txt"]
        assert [f.severity for f in fs] == [sev], other


# ---------------------------------------------------------------- the API contract

def test_facts_round_trip(archive):
    for f in archive:
        d = json.loads(json.dumps(f.to_dict(), ensure_ascii=False))
        assert DocFacts.from_dict(d) == f
        assert pickle.loads(pickle.dumps(f)) == f


def test_check_archive_is_deterministic(archive, findings):
    again = check_archive(list(reversed(archive)))
    assert list(again) == list(findings) == sorted(findings)
    assert {f.path for f in archive} <= set(findings)
    flat = lambda res: [(p, f.rule, f.prov.line, f.message) for p, fs in res.items() for f in fs]  # noqa: E731
    assert flat(again) == flat(findings)


def test_duplicate_copies_are_compared_once(archive):
    copies = [replace(f, path=f.path + ".copy") for f in archive if "SYNTHETIC_000_2022_budget" in f.path]
    res = check_archive(archive + copies)
    n = lambda r: sum(len(fs) for fs in r.values())  # noqa: E731
    assert n(res) == n(check_archive(archive))


def test_a_crashing_rule_is_one_info_finding(archive, monkeypatch):
    from auditor.checks import registry

    def boom(facts):
        raise RuntimeError("boom")
    monkeypatch.setitem(registry.RULES, "Y01", replace(RULES["Y01"], fn=boom))
    res = check_archive(archive)
    crashed = res[ARCHIVE_KEY]
    assert len(crashed) == 1 and crashed[0].severity == "info" and "boom" in crashed[0].message
    assert any(f.rule == "Y02" for fs in res.values() for f in fs)   # the other rules still ran


def test_rules_command_lists_the_y_rules():
    r = subprocess.run([sys.executable, "-m", "auditor", "rule", "Y01"], capture_output=True, text=True)
    assert r.returncode == 0 and "跨文件" in r.stdout and "例" in r.stdout
    r = subprocess.run([sys.executable, "-m", "auditor", "rules"], capture_output=True, text=True)
    assert all(c in r.stdout for c in ("Y01", "Y02", "Y03"))


# every link the README says passes is really compared: moving the counterpart figure by 1.00 makes the rule fire
LINKS = [
    ("SYNTHETIC_000_2022_final", "figures", ["收支总计", "财政拨款收支总计", "一般公共预算财政拨款支出"], "000_", "Y01"),
    ("SYNTHETIC_000_2023_budget", "figures", ["一般公共预算财政拨款支出", "func:2010350", "func:2010399", "func:2080505",
                                            "func:2101102"], "000_", "Y02"),
    ("SYNTHETIC_000_2023_budget", "sangong_budget", ["合计", "因公出国（境）费", "公务用车购置费", "公务用车运行维护费",
                                                   "公务接待费"], "000_", "Y03"),
    ("SYNTHETIC_000_2022_budget", "figures", ["财政拨款收支总计", "三公经费"], "SYNTHETIC_000_2023_budget", "Y01"),
    ("SYNTHETIC_000_2022_budget", "figures", ["一般公共预算财政拨款支出", "func:2010399", "func:2080505", "func:2101102"],
     "SYNTHETIC_000_2022_final", "Y02"),
]


@pytest.mark.parametrize("source,field,subjects,target,code", LINKS)
def test_agreeing_links_are_compared(archive, source, field, subjects, target, code):
    def count(facts):
        res = check_archive(facts, select=[code])
        return sum(1 for p, fs in res.items() if Path(p).name.startswith(target) for f in fs
                   if f.severity in ("error", "warning"))
    moved = []
    for f in archive:
        if Path(f.path).name.startswith(source):
            figs = dict(getattr(f, field))
            for s in subjects:
                g = figs[s]
                figs[s] = replace(g, value=g.value + 1.0, raw=f"{g.value + 1.0:.2f}")
            f = replace(f, **{field: figs})
        moved.append(f)
    assert count(moved) - count(archive) == len(subjects)


def test_department_key_links_spellings_of_one_department():
    from auditor.structure.meta import normalise_department as key

    same = ["焦作市XX局", "焦作市XX局（本级）", "焦作市 XX局 (本级)", "焦作市XX局机关", "焦作市XX局部门"]
    assert {key(n) for n in same} == {"焦作市XX局"}
    assert key("中共上海市普陀区委社会工作部") != key("上海市普陀区民政局")
