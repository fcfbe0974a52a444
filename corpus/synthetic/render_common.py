"""Shared pieces of the synthetic renderers: a line writer that remembers where tagged statements land, number
formatting as the Henan disclosures print it, the national functional 类 list and the seed's boilerplate text."""
from __future__ import annotations

from typing import Optional

# the functional 类 of a 收支总表, in printed order (national classification: code, name)
CLASSES = [("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
           ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
           ("210", "卫生健康支出"), ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"),
           ("214", "交通运输支出"), ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"), ("217", "金融支出"),
           ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
           ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"), ("224", "灾害防治及应急管理支出"),
           ("229", "其他支出"), ("231", "债务还本支出"), ("232", "债务付息支出"), ("234", "抗疫特别国债安排的支出")]
NUMERALS = "一二三四五六七八九十"

SYNTHETIC_MARK = ("【合成测试数据 SYNTHETIC TEST DATA】本文件由 corpus/synthetic/make_synthetic.py 从真实种子 {seed} 推算生成，"
                  "仅供 auditor 跨文件规则测试使用，不是任何部门的真实公开文件。")


def cn_num(n: int) -> str:
    """1..39 in Chinese numerals (一, 十, 十一, 二十六)."""
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else NUMERALS[tens - 1]) + ("十" if tens else "") + (NUMERALS[ones - 1] if ones else "")) \
        if n >= 10 else NUMERALS[n - 1]


def t(v: Optional[float], blank_zero: bool = False) -> str:
    """A table figure: thousands separators, two decimals; None (and 0 when ``blank_zero``) prints empty."""
    if v is None or (blank_zero and abs(v) < 1e-9):
        return ""
    return f"{v:,.2f}"


def n(v: float) -> str:
    """A narrative figure: two decimals, no separators."""
    return f"{v:.2f}"


def change_words(cur: float, prev: float, pct_of) -> tuple[str, str, float, float]:
    """(增加|减少, 增长|下降, |change|, |change| ÷ prev in %) for a 与上年相比 statement."""
    d = round(cur - prev, 2)
    return ("增加" if d >= 0 else "减少"), ("增长" if d >= 0 else "下降"), abs(d), pct_of(abs(d), prev)


class Writer:
    """Lines of a text disclosure; ``tag`` records the 1-based line of a statement (for expected.json)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.marks: dict[str, int] = {}

    def add(self, *lines: str, tag: Optional[str] = None) -> None:
        for ln in lines:
            self.lines.append(ln)
            if tag is not None:
                self.marks[tag] = len(self.lines)

    def para(self, text: str, tag: Optional[str] = None) -> None:
        self.add(text, tag=tag)
        self.add("")

    def row(self, *cells: str, tag: Optional[str] = None) -> None:
        self.add("\t".join(cells), tag=tag)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def seed_section(lines: list[str], start: str, stop: str, occurrence: int = -1) -> list[str]:
    """The seed's lines after the heading line ``start`` (its last occurrence: the body, not the table of contents)
    up to the line starting with ``stop`` (figure-free boilerplate: duties, definitions)."""
    idx = [i for i, ln in enumerate(lines) if ln.strip().lstrip("#* ").startswith(start)]
    if not idx:
        return []
    i = idx[occurrence] + 1
    out = []
    while i < len(lines) and not lines[i].strip().lstrip("#* ").startswith(stop):
        out.append(lines[i])
        i += 1
    while out and not out[-1].strip():
        out.pop()
    return out
