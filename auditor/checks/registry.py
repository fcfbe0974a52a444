"""The rule registry, linter style: metadata (code, Chinese title, family, severity, doc with a failing and a
passing example) apart from the detection function; one registry; `auditor rules` prints it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..model import Document, Finding

FAMILIES = {"T": "表内", "X": "表间", "N": "说明与表", "C": "说明内计算", "W": "文字与数字", "S": "三公",
            "Y": "跨文件", "R": "规范性", "D": "读取"}


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str                 # default severity of a violation outside tolerance
    doc: str                      # one paragraph: what it checks, the tolerance, a failing and a passing example
    fn: Callable[..., Iterable[Finding]]
    scope: str = "document"       # "document": fn(Document); "archive": fn(list of DocFacts), run by auditor.archive

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[0], "?")


RULES: dict[str, Rule] = {}


def rule(code: str, title: str, severity: str, doc: str, scope: str = "document"):
    def deco(fn):
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, title, severity, doc.strip(), fn, scope)
        return fn
    return deco


def _distinct(evidence: list) -> list:
    seen, out = set(), []
    for e in evidence:
        key = (e.prov, e.table, e.row, e.column, e.value, e.text, e.unit)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def finding(r_code: str, severity: str, message: str, **kw) -> Finding:
    r = RULES[r_code]
    ev = kw.get("evidence")
    if ev:   # the same statement or cell cited twice (a sentence giving both figures compared) is shown once
        kw["evidence"] = _distinct(ev)
    return Finding(rule=r.code, title=r.title, severity=severity, message=message, **kw)


def selected(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
             scope: str = "document") -> list[Rule]:
    sel = [s.strip().upper() for s in (select or []) if s.strip()]
    ign = [s.strip().upper() for s in (ignore or []) if s.strip()]
    out = []
    for code, r in sorted(RULES.items()):
        if r.scope != scope:
            continue
        if sel and not any(code.startswith(s) for s in sel):
            continue
        if any(code.startswith(s) for s in ign):
            continue
        out.append(r)
    return out
