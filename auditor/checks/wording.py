"""Words-vs-numbers (W) rules: template instructions and unfilled placeholders left in a published document (W03),
持平 said of a quantity whose change the document states elsewhere (W04), 没有/无 said of a quantity the tables hold
(W05), and 大于/小于 said against the stated 决算 and 预算 (W06)."""
from __future__ import annotations

from .. import rx as re

from ..align import resolve
from ..claims.text import section_chain
from ..lexicons import load, pattern
from ..model import Document, Evidence
from .common import cell_ev, claim_ev, fmt, label, wan
from .registry import finding, rule


@rule("W03", "残留模板说明或占位符", "error", """
公开文本中残留了模板的填写说明（如“无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：”）、
写给编制人的括注（“（按……填写）”“（注：……公开时请删除注释）”），或未填的占位符（XX、XXX 万元），见
lexicons/template_text.toml。跨行的说明按相连的行拼接后查找；说明每处报一次，占位符每页报一次。
失败例：表下注“无国有资本经营预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：”；
“比上年预算（注：上年3,468.18万元，公开时请删除注释）减少1271.66万元”。
通过例：表下注“说明：本单位本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。”""")
def template_residue(doc: Document):
    lex = load("template_text")
    placeholders = [re.compile(p) for p in lex.get("placeholders", [])]
    words = "|".join(re.escape(w) for w in lex["instructions"])
    instruction = re.compile("|".join([words] + lex.get("instruction_patterns", [])))
    pages_with_placeholder: set[int] = set()
    flats = [pattern(r"\s+").sub("", b.text) if b.kind in ("text", "heading") else None for b in doc.blocks]
    covered: dict[int, int] = {}   # block -> characters at its start inside an aside already reported
    for i, b in enumerate(doc.blocks):
        flat = flats[i]
        if not flat:
            continue
        # an instruction may wrap over the next lines: search the line with the (up to 3) text lines after it,
        # reporting only what starts on this line
        nxt = _following(flats, i, 3)
        window = flat + "".join(nxt)
        m = next((m for m in instruction.finditer(window) if covered.get(i, 0) <= m.start() < len(flat)), None)
        what, value = None, None
        if m:
            quote = _bracketed(window, m.start(), m.end())
            end, off = window.find(quote, max(0, m.start() - 60)) + len(quote), len(flat)
            for k, x in enumerate(nxt, i + 1):
                if end > off:
                    covered[k] = end - off
                off += len(x)
            what = f"模板填写说明“{quote}”"
            fig = _FIGURE.search(quote)
            value = float(fig.group(0).replace(",", "")) if fig else None
        else:
            m = next((m for p in placeholders for m in [p.search(flat)] if m), None)
            if m and b.prov.page is not None:
                if b.prov.page in pages_with_placeholder:
                    continue  # an unfilled template: one placeholder finding per page is enough
                pages_with_placeholder.add(b.prov.page)
            what = f"未填写的占位符“{m.group(0)}”" if m else None
        if what:
            chain = section_chain(doc, i)
            yield finding("W03", "error", f"公开文本残留{what}：{b.text.strip()[:60]}", prov=b.prov,
                          evidence=[Evidence(prov=b.prov, text=b.text.strip(), value=value)],
                          section=chain[-1].title if chain else None)


_FIGURE = re.compile(r"\d[\d,]*\.\d+")


def _following(flats: list, i: int, n: int) -> list[str]:
    out = []
    for x in flats[i + 1:i + 1 + n]:
        if not x:
            break
        out.append(x)
    return out


def _bracketed(text: str, s: int, e: int) -> str:
    """The matched words, or the whole bracket holding them (a note to the compiler is one bracketed aside)."""
    left = text.rfind("（", max(0, s - 60), s + 1)
    if left >= 0 and "）" not in text[left:s]:
        right = text.find("）", max(e - 1, left))
        if 0 <= right - left <= 120:
            return text[left:right + 1]
    return text[s:e]


_FLAT = ("持平", "无变化", "没有变化", "保持不变")


@rule("W04", "称“持平”但数字有增减", "warning", """
说明称某数与上年“持平/无变化”，而同一文件另处给出该数（或 lexicons/quantities.toml 的 moves_with 所列、在只有一般
公共预算财政拨款时随之变动的数）的增减额不为零。容差：增减额末位半个单位。
失败例：四 说“与2023年度相比，财政拨款收入支出总计持平”，五 说“一般公共预算财政拨款支出减少63.14万元”（财政拨款
只有一般公共预算一项）。
通过例：“公务接待费支出决算持平”，且文件未给出公务接待费的增减额。""")
def flat_vs_change(doc: Document):
    links = load("quantities").get("moves_with", {})
    only_general = _only_general_budget(doc)
    for c in doc.claims:
        if c.kind != "comparison" or c.word not in _FLAT or not c.subject:
            continue
        if "基本持平" in c.sentence[max(0, c.span[0] - 2):c.span[1]]:
            continue
        subjects = {c.subject} | (set(links.get(c.subject, [])) if only_general else set())
        chg = next((x for x in doc.claims if x.kind == "change_amount" and x.subject in subjects and x.value
                    and abs(wan(x)) > 0.5 * 10 ** (-x.decimals)), None)
        if chg is None:
            continue
        yield finding("W04", "warning", f"说明称{c.subject}与上年“{c.word}”，但另处称{label(doc, chg)}"
                      f"{'增加' if chg.polarity > 0 else '减少'} {chg.raw} 万元", prov=c.prov, stated=0.0,
                      expected=chg.value, evidence=[claim_ev(c), claim_ev(chg)], section=c.section)


def _only_general_budget(doc: Document) -> bool:
    """All 财政拨款 is 一般公共预算财政拨款: 04表's 政府性基金 and 国有资本经营 columns are empty."""
    t = doc.table("J04.expenditure")
    if t is None:
        return False
    cols = [c for c in t.columns if c.startswith(("政府性基金", "国有资本经营"))]
    return all((r.value(col) or 0) == 0 for r in t.rows for col in cols)


@rule("W05", "称“没有/无”但表中有数", "error", """
说明称本年度“没有/无”某项收支（政府性基金、国有资本经营、三公经费、机关运行经费……），而该数对应的表格单元格
（lexicons/alignment.toml）不为零。容差：单元格末位半个单位。
失败例：“我部门 2024 年度没有政府性基金收入”，07表 本年收入 12.00。
通过例：“上海市普陀区财政局2024年度无“三公”经费财政拨款支出”，09表 决算数 合计 0.00。""")
def none_but_figures(doc: Document):
    seen = set()
    for c in doc.claims:
        if c.kind != "no_data" or not c.subject or (c.subject, c.prov) in seen:
            continue
        seen.add((c.subject, c.prov))
        ref = resolve(doc, c.subject, "本年")
        if ref is None or not ref.cell.exact or ref.value is None:
            continue
        if abs(ref.value) <= 0.5 * 10 ** (-ref.cell.decimals):
            continue
        yield finding("W05", "error", f"说明称“{c.word}”{label(doc, c)}，但{ref.table.title}"
                      f"「{ref.row.name or ref.row.key}」{ref.column}为 {fmt(ref.value)}", prov=c.prov, stated=0.0,
                      expected=ref.value, tolerance=round(0.5 * 10 ** (-ref.cell.decimals), 4),
                      evidence=[claim_ev(c), cell_ev(ref.table, ref.row, ref.column, ref.cell)], section=c.section)


_ORDER = {"小于": -1, "少于": -1, "低于": -1, "大于": 1, "多于": 1, "高于": 1, "超过": 1}


@rule("W06", "“大于/小于”与数字不符", "error", """
说明称“决算数小于（大于）预算数”，而同一节所说该项的决算数与预算数（年初或全年）方向相反或相等。只要与所说任一预算数
方向一致即不报。比较的是印刷数字本身（2.22 小于 2.23）；相等时“大于/小于”不成立。
失败例：“年初预算为 1.50 万元，支出决算为 2.45 万元……决算数小于预算数的主要原因……”。
通过例：“年初预算为1560.05万元，支出决算为1511.89万元……决算数小于预算数的主要原因：人员进出及退休变化”。""")
def order_words(doc: Document):
    for i, c in enumerate(doc.claims):
        if c.kind != "comparison" or c.word not in _ORDER or not c.subject or "预算" not in c.sentence:
            continue
        before = [x for x in doc.claims[:i] if x.kind == "amount" and x.subject == c.subject
                  and x.section == c.section and x.value is not None]
        actual = next((x for x in reversed(before) if x.period == "本年"), None)
        budgets = [x for x in before if x.period in ("年初预算", "全年预算")]
        if actual is None or not budgets:
            continue
        sign = _ORDER[c.word]
        ok = any((wan(actual) - wan(b)) * sign > 1e-9 for b in budgets)   # printed figures, compared as printed
        if ok:
            continue
        b = budgets[-1]
        yield finding("W06", "error", f"说明称{label(doc, c)}决算数“{c.word}”预算数，但决算 {actual.raw} 万元、"
                      f"{b.period} {b.raw} 万元", prov=c.prov, stated=actual.value, expected=b.value, tolerance=0.0,
                      evidence=[claim_ev(c), claim_ev(actual)] + [claim_ev(x) for x in budgets], section=c.section)
