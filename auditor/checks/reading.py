"""R: what reading left uncertain, said in the report instead of silently: bytes that could not be decoded, numbers
beyond any budget (never computed), a large body of table rows that no standard table took (never checked)."""
from __future__ import annotations

from .. import rx as re

from ..model import Document
from ..read.normalise import MAX_INT_DIGITS
from .registry import finding, rule

_HUGE = re.compile(r"(?<![\d.,])\d(?:,?\d){%d,}" % MAX_INT_DIGITS)
MANY_ROWS = 200   # rows outside every recognised table: a disclosure's own leftovers are far fewer
MAX_LISTED = 10   # implausible numbers listed one by one; the rest counted in one more finding


@rule("D01", "读取提示：无法解码的字节、超出合理范围的数字、未识别的大段表格", "info", """
读取阶段留下的不确定之处，如实写入报告而不是默默略过：文本中无法解码、已替换为 � 的字节（说明编码有误，相关文字可能
不完整）；整数部分超过 15 位、超出任何预算规模的数字（不参与任何计算，表格单元格按“无法确定”处理）；不属于任何
已识别标准表格的大段表格内容（200 行以上，未参与核对）。只作提示。
失败例：UTF-8 文本中夹有 3 个非法字节，报告“读取时有 3 处无法解码的字节已替换”；单元格“12345678901234567890”。
通过例：编码正确、数字在合理范围、表格均被识别的文件，不报此项。""")
def reading_notes(doc: Document):
    src = doc.source
    if src.replaced:
        yield finding("D01", "info", f"读取时有 {src.replaced} 处无法解码的字节已替换为 �（文件编码有误，相关文字可能不完整）"
                                     f" / {src.replaced} undecodable byte sequence(s) replaced while reading")
    huge = []
    for b in doc.blocks:
        for m in _HUGE.finditer(b.text):
            huge.append((m.group(0), b.prov))
    for raw, prov in huge[:MAX_LISTED]:
        yield finding("D01", "info", f"数字 {raw[:40]}{'…' if len(raw) > 40 else ''} 超出任何预算的合理范围，未参与计算"
                                     " / a number beyond any plausible budget range, not computed", prov=prov)
    if len(huge) > MAX_LISTED:
        yield finding("D01", "info", f"另有 {len(huge) - MAX_LISTED} 个数字超出合理范围，未参与计算 / "
                                     f"{len(huge) - MAX_LISTED} more numbers beyond any plausible range")
    inside = set()
    for start, end in doc.table_regions:
        inside.update(range(start, end))
    outside = [i for i, b in enumerate(doc.blocks) if i not in inside and b.kind in ("row", "grid")]
    rows = sum(len(doc.blocks[i].grid or ()) if doc.blocks[i].kind == "grid" else 1 for i in outside)
    if rows >= MANY_ROWS:
        yield finding("D01", "info", f"有 {rows} 行表格内容不属于任何已识别的标准表格，未参与核对 / {rows} table rows "
                                     "outside every recognised standard table, not checked",
                      prov=doc.blocks[outside[0]].prov)
