"""N03: the narrative names the economic items an amount "主要包括" (人员经费: 基本工资、津贴补贴…; 公用经费: 办公费…),
and each named item must hold money in the basic-expenditure table."""
from __future__ import annotations

from .. import rx as re

from ..claims.text import paragraphs, section_chain
from ..model import Document, Evidence
from ..structure.tokens import norm_name
from .common import cell_ev
from .registry import finding, rule

_LIST = re.compile(r"(?:主要)?包括[：:]?([^；。]+)")
_OWNER = re.compile(r"人员经费|公用经费")
_SPLIT = re.compile(r"[、，,]")
_TABLES = (("J06", "决算数"), ("Y06", "合计"))


@rule("N03", "说明列举的经济科目在表中无数", "warning", """
基本支出说明列举人员经费、公用经费“主要包括”的经济科目，所列科目在基本支出明细表（06表）中应有金额；列了表中为空或
为 0 的科目（而漏掉有金额的科目）多为照抄模板。只核对与表中科目名称完全一致的项；每个列举报一次。
失败例：“人员经费 2152.26 万元，主要包括：……个人农业生产补贴”，06表 30310 个人农业生产补贴 为空。
通过例：“公用经费 30.99 万元，主要包括：办公费、……”，06表 30201 办公费 2.10。""")
def listed_items(doc: Document):
    t, col = next(((doc.table(tid), c) for tid, c in _TABLES if doc.table(tid) is not None), (None, None))
    if t is None or t.empty:
        return
    rows = {norm_name(r.name): r for r in t.rows if r.name and r.code}
    for para in paragraphs(doc):
        for m in _LIST.finditer(para.text):
            owners = [o for o in _OWNER.finditer(para.text, 0, m.start())]
            if not owners or m.start() - owners[-1].end() > 160:
                continue
            empty = []
            for item in _SPLIT.split(m.group(1)):
                name = norm_name(item).removesuffix("等")
                r = rows.get(name)
                if r is not None and (r.cells.get(col) is None or not r.cells[col].value):
                    empty.append((name, r, r.cells.get(col)))
            if not empty:
                continue
            prov = para.prov_at(m.start(1))
            start = max(para.text.rfind(ch, 0, owners[-1].start()) for ch in "。；;\n") + 1  # its sentence
            chain = section_chain(doc, para.block)
            names = "、".join(f"{r.code} {n}" for n, r, _ in empty)
            yield finding("N03", "warning", f"说明称{owners[-1].group(0)}主要包括的科目中，{names} 在{t.title}中为空或为 0"
                          f"（共 {len(empty)} 项）", prov=prov, stated=None, expected=0.0,
                          evidence=[Evidence(prov=prov, text=para.text[start:m.end()])]
                          + [cell_ev(t, r, col, c) for _, r, c in empty],
                          section=chain[-1].title if chain else None)
