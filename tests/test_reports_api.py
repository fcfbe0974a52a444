"""The committed reports/ are what the code produces now (regenerate with the command in README.md), and the
notebook API (auditor.audit) exposes findings, claims and tables as pandas DataFrames."""
from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pandas as pd

import auditor

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = ["check", "corpus", "--format", "md,json,html", "-o", "reports/"]   # README: 重新生成报告


def test_committed_reports_match_the_code(tmp_path):
    out = tmp_path / "reports"
    args = REGENERATE[:-1] + [str(out) + "/"]
    r = subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    committed = ROOT / "reports"
    made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    have = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert made == have, "reports/ lists other files than the code makes: run `auditor " + " ".join(REGENERATE) + "`"
    stale = [str(p) for p in made if not filecmp.cmp(out / p, committed / p, shallow=False)]
    assert not stale, f"stale reports (run `auditor {' '.join(REGENERATE)}`): {stale}"


def test_findings_are_deterministic():
    seed = next((ROOT / "corpus" / "seeds").glob("001_*.txt"))
    a, b = auditor.audit(seed).to_dict(), auditor.audit(seed).to_dict()
    assert a == b and a["findings"]


def test_audit_api_dataframes():
    seed = next((ROOT / "corpus" / "seeds").glob("001_*.txt"))
    r = auditor.audit(seed)
    f = r.findings_frame
    assert isinstance(f, pd.DataFrame) and len(f) == len(r.findings)
    assert {"rule", "severity", "stated", "expected", "line", "evidence"} <= set(f.columns)
    assert list(f["severity"]) == sorted(f["severity"], key={"error": 0, "warning": 1, "info": 2}.get)
    c = r.claims_frame
    assert len(c) == len(r.doc.claims) and {"kind", "value", "subject", "period", "line"} <= set(c.columns)
    t = r.tables_frame
    assert {"table", "row", "column", "value", "line", "page"} <= set(t.columns)
    assert t[(t.table == "J06") & (t.row == "30231")]["value"].iloc[0] == 2.45
    assert r.tables["J03"].loc["合计", "本年支出合计"] == 927.71
    assert r.to_dict()["schema"] == "auditor.report/1"
    assert "规则" in r.render("text")


def test_check_folder_and_formats_need_a_directory(tmp_path):
    seed = next((ROOT / "corpus" / "seeds").glob("000_*.txt"))
    r = subprocess.run([sys.executable, "-m", "auditor", "check", str(seed), "--format", "md,json"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "-o" in r.stderr
    r = subprocess.run([sys.executable, "-m", "auditor", "check", str(seed), "--format", "pdfx"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "pdfx" in r.stderr
    r = subprocess.run([sys.executable, "-m", "auditor", "check", str(seed.parent), "--format", "json",
                        "-o", str(tmp_path) + "/"], capture_output=True, text=True)
    assert r.returncode == 1
    assert (tmp_path / f"{seed.stem}.json").exists() and (tmp_path / "README.md").exists()
