"""Reviewers' verdicts on findings (`auditor serve`): 确认 (confirmed) / 误报 (false_alarm) / 待定 (open), with a note.

A verdict is keyed by the document's content (``sha256``) and the finding's identity (``finding_key``: rule, page,
line, stated and expected value), not by the finding's position in a report, so it is found again after a restart,
after the same file is audited again (uploaded again, or re-run by ``auditor batch --force``) and when other findings
come or go. Two findings with the same rule, place and values share a verdict. See docs/STORE.md.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

VERDICTS = ("confirmed", "false_alarm", "open")
VERDICT_ZH = {"confirmed": "确认", "false_alarm": "误报", "open": "待定"}
MAX_NOTE = 4000  # characters


def _num(v: Optional[float]) -> str:
    return "" if v is None else f"{float(v):.6g}"


def finding_key(rule: str, page: Optional[int], line: Optional[int], stated: Optional[float],
                expected: Optional[float]) -> str:
    """``rule|page|line|stated|expected`` with the figures to 6 significant digits (``N01|21||0.3|2961.68``)."""
    return "|".join([rule or "", "" if page is None else str(page), "" if line is None else str(line),
                     _num(stated), _num(expected)])


def key_of(finding: dict) -> str:
    """finding_key of a finding as the JSON report (auditor.report/1) or the store's findings table holds it."""
    return finding_key(finding.get("rule"), finding.get("page"), finding.get("line"), finding.get("stated"),
                       finding.get("expected"))


def set_verdict(con, sha256: str, finding: dict, verdict: str, note: str, doc: str, finding_id: str) -> dict:
    """Record (or replace) the verdict on ``finding`` of the document with content ``sha256``; -> the stored row."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}")
    note = (note or "")[:MAX_NOTE]
    key = key_of(finding)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM verdicts WHERE sha256 = ? AND finding_key = ?", [sha256, key])
        con.execute("INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [sha256, key, finding.get("rule"), finding.get("page"), finding.get("line"),
                     finding.get("stated"), finding.get("expected"), verdict, note, doc, finding_id, now])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"verdict": verdict, "note": note, "updated_at": now.strftime("%Y-%m-%d %H:%M:%S")}


def verdicts_of(con, sha256: str) -> dict[str, dict]:
    """finding_key -> {verdict, note, updated_at} for one document's content."""
    rows = con.execute("SELECT finding_key, verdict, note, strftime(updated_at, '%Y-%m-%d %H:%M:%S') FROM verdicts "
                       "WHERE sha256 = ?", [sha256]).fetchall()
    return {k: {"verdict": v, "note": n or "", "updated_at": t} for k, v, n, t in rows}
