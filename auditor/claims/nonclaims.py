"""Numbers of a narrative sentence that are not claims, classified (never silently dropped): years and dates, section
and item numbers, labels and references ("目标 1", "附件 1"), document numbers (三办文〔2019〕63号), hotlines (12345),
thresholds (≥95%, 单位价值 100 万元（含）以上) and template placeholders ("主要用于 0。")."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import rx as re

from ..lexicons import pattern

FIG = re.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|%|％|辆|个|人次|批次|台（套）|台|套|项|人|次|批|分|家|天|条|份|篇|场|所|户|年|月|日|号|名|栋|平方米|㎡)?")

_DOCNO = re.compile(r"[〔\[（(【]\s*\d{4}\s*[〕\]）)】]\s*\d+\s*号")
_HOTLINE = re.compile(r"(热线|电话|便民|服务平台|投诉|专线)")
_HOTLINES = ("110", "119", "120", "12345", "12315", "12388", "12328")
_THRESHOLD_LEFT = re.compile(r"[≥≤><=＞＜]\s*$")
_THRESHOLD_RIGHT = re.compile(r"^\s*(?:[（(]含[)）])?\s*以[上下]")
_FORMULA_LEFT = re.compile(r"[×*÷/]\s*$")
_LIST_NUMBER = re.compile(r"^[、.．](?!\d)")
_LABEL_LEFT = re.compile(r"(?:目标|附件|附表|任务|图|表)\s*$")
_PLACEHOLDER_LEFT = re.compile(r"(?:用于|包括|主要是)\s*$")


@dataclass
class NonClaim:
    value: str
    reason: str   # year | date | doc_number | threshold | formula | ordinal | item_number | label | hotline |
                 # placeholder | unitless | implausible (beyond any budget: flagged by D01, never computed)


def non_claim(sentence: str, m) -> Optional[str]:
    """Why the figure ``m`` (a FIG match) is not a claim, or None when it may be one."""
    raw, unit = m.group(1), m.group(2)
    start = m.start(1)
    left = sentence[max(0, start - 24):start]
    right = sentence[m.end():m.end() + 8]
    if unit == "年" or (len(raw) == 4 and raw.startswith(("19", "20")) and "." not in raw and unit is None):
        return "year"
    if unit in ("月", "日"):
        return "date"
    if unit == "号" or _DOCNO.search(sentence[max(0, start - 8):start + len(raw) + 4]):
        return "doc_number"
    if _THRESHOLD_LEFT.search(left) or _THRESHOLD_RIGHT.match(right):
        return "threshold"
    if _FORMULA_LEFT.search(left):
        return "formula"       # "完成率=已填报项目数量/项目总数×100%"
    if left.endswith("第"):
        return "ordinal"
    if unit is not None:
        return None
    opens = not left.strip() or left.rstrip()[-1] in "：:；;。"
    if "." not in raw and opens and _LIST_NUMBER.match(sentence[m.end(1):]):
        return "item_number"   # "1.以党建…", "工作有：1、…"
    if left.endswith(("（", "(")) and right.startswith(("）", ")")):
        return "item_number"   # "（1）"
    if raw in _HOTLINES or _HOTLINE.search(left):
        return "hotline"
    if pattern(r"^\s*[+＋]").match(right):
        return "label"         # "1+4+N" style names
    if _LABEL_LEFT.search(left):
        return "label"         # "目标 1：…", "详见附件 1"
    if _PLACEHOLDER_LEFT.search(left) and (not right or right[0] in "。；;，,"):
        return "placeholder"   # a template field left as "0": "主要用于 0。"
    return None
