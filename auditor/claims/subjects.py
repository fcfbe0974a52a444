"""Subject resolution: which quantity a figure is about, from the words before it, the same sentence, the enumerated
item header (…（类）…（款）…（项）), and the section (a bare 完成预算的41.63% in 九 "三公" is about 三公经费).

Terms come from lexicons/quantities.toml and from the document's own tables (类/款/项 and economic names).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex as re

from ..lexicons import load
from ..model import Document
from ..structure.tokens import norm_name


@dataclass
class Term:
    start: int
    end: int
    subject: str
    text: str


class TermIndex:
    def __init__(self, doc: Document):
        terms: dict[str, str] = {}
        for subject, words in load("quantities")["subjects"].items():
            for w in words:
                terms.setdefault(w, subject)
        self.func_names: dict[str, list[str]] = {}
        for tid in ("J05", "J03", "Y05", "Y03", "J02"):
            t = doc.table(tid)
            if t is None:
                continue
            for r in t.rows:
                if r.code and r.name:
                    self.func_names.setdefault(r.name, [])
                    if r.code not in self.func_names[r.name]:
                        self.func_names[r.name].append(r.code)
        for name, codes in self.func_names.items():
            classes = [c for c in codes if len(c) == 3]
            if classes and len(name) >= 4:
                # a 类 name in the narrative ("一般公共服务（类）支出", "科学技术支出") is the 类
                terms.setdefault(name, f"func:{classes[0]}")
                if name.endswith("支出"):
                    terms.setdefault(name[:-2] + "（类）", f"func:{classes[0]}")
                    terms.setdefault(name[:-2] + "(类)", f"func:{classes[0]}")
        econ = doc.table("J06") or doc.table("Y06")
        if econ is not None:
            for r in econ.rows:
                if r.code and r.name and len(r.code) == 3 and len(r.name) >= 4:
                    terms.setdefault(r.name, f"econ:{r.code}")
        terms.setdefault("商品服务支出", "econ:302")
        terms.setdefault("对个人和家庭补助支出", "econ:303")
        terms.setdefault("对个人和家庭的补助支出", "econ:303")
        self.terms = terms
        words = sorted(terms, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
        self.sections = [(re.compile(k), v) for k, v in load("quantities")["section_subjects"].items()]

    def find(self, text: str) -> list[Term]:
        if self.pattern is None:
            return []
        return [Term(m.start(), m.end(), self.terms[m.group(0)], m.group(0)) for m in self.pattern.finditer(text)]

    def section_subject(self, titles: list[str]) -> Optional[str]:
        for title in reversed(titles):
            for pat, subject in self.sections:
                if pat.search(title):
                    return subject
        return None

    def item_code(self, text: str) -> Optional[str]:
        """'社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）' -> func:2080505."""
        m = _ITEM.search(text)
        if not m or not (m.group(2) or m.group(3)):
            return None
        lei, kuan, xiang = (norm_name(g) if g else None for g in m.groups())
        lei_codes = [c for c in self.func_names.get(lei, []) if len(c) == 3] if lei else []
        if not lei_codes and lei:
            lei_codes = [c for c in self.func_names.get(lei + "支出", []) if len(c) == 3]
        cands = [c for c in self.func_names.get(xiang, []) if len(c) == 7] if xiang else []
        if lei_codes:
            cands = [c for c in cands if c.startswith(lei_codes[0])] or cands
        if kuan:
            kuan_codes = [c for c in self.func_names.get(kuan, []) if len(c) == 5]
            narrowed = [c for c in cands if any(c.startswith(k) for k in kuan_codes)]
            cands = narrowed or cands
            if not xiang:
                return f"func:{kuan_codes[0]}" if kuan_codes else None
        if xiang:
            # the 项 must be found by its name; a wrong guess would compare the figure with another row
            return f"func:{cands[0]}" if len(cands) == 1 else None
        return f"func:{lei_codes[0]}" if lei_codes else None


_ITEM = re.compile(r"([^\d。；，、.．]{2,30}?)[（(]类[)）]\s*(?:(.{2,40}?)[（(]款[)）])?\s*(?:(.{2,40}?)[（(]项[)）])?")
