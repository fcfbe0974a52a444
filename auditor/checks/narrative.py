"""Narrative rules: N (claim vs its table cell), C (the narrative's own arithmetic), W02 (words vs numbers).

A claim whose subject has no counterpart cell is reported once as info (N02, unverifiable), never guessed.
"""
from __future__ import annotations

from ..align import resolve
from ..align.headline import headline_bindings
from ..lexicons import load
from ..model import Claim, Document
from ..claims import sentence_claims
from .budget import magnitude, read_iv, stated_change, whole_of_listed_parts
from .common import cell_ev, claim_ev, claim_iv, fmt, label, wan
from .hints import cell_hint, digit_hint, with_hint
from ..structure.units import is_money, to_wan
from .registry import finding, rule
from .tolerance import Interval, one_unit_off, ratio, round_half_up


def _amounts(doc: Document, scores: bool = False):
    kinds = ("amount", "score") if scores else ("amount",)
    return [c for c in doc.claims if c.kind in kinds and c.subject and c.value is not None
            and (c.kind == "amount" or c.subject == "绩效自评得分")]


@rule("N01", "说明金额与表格不符", "error", """
说明中的金额（按主语和期间对齐到表格单元格，见 lexicons/alignment.toml）与单元格不一致。容差：两数末位半个单位之和；
恰好相差 0.01 的转述报警告。
失败例：“基本支出 907.94 万元”，03表 合计行 基本支出 927.71。
通过例：“支出合计 927.71 万元”，03表 合计 本年支出合计 927.71。
标题注明所说明之表的一节（“（五）一般公共预算当年拨款情况说明（详见表5）”）：其首个按标题主语陈述的金额对该表合计
（见 auditor/align/headline.py）。失败例：“一般公共预算当年拨款432,564.30万元”，表5 合计 432,513.70。""")
def amount_vs_cell(doc: Document):
    for c in _amounts(doc, scores=True):
        if (c.subject_text or "").startswith(("<topic>", "<section>")):
            continue  # a subject guessed from the paragraph's first words is not firm enough to compare
        if (c.subject_text or "").startswith("<") and c.scope.get("sub_of"):
            continue  # "…（项）1153.00 万元，主要用于…652.00 万元": a part of the item, not the item's total
        ref = resolve(doc, c.subject, c.period, c.scope)
        if ref is None or not ref.cell.exact:
            continue
        f = _vs_cell(doc, c, ref, label(doc, c))
        if f is not None:
            yield f
    for b in headline_bindings(doc):
        # the section's headline total and the total of the table its heading names (auditor.align.headline)
        f = _vs_cell(doc, b.claim, b.ref, b.subject, f"（标题注明详见表{b.number}）")
        if f is not None:
            yield f


def _vs_cell(doc: Document, c: Claim, ref, what: str, where: str = ""):
    """N01 for a claim and the cell it restates, None when they agree (or the cell holds no amount)."""
    stated = wan(c)
    unit = ref.cell.unit or ref.table.unit
    if c.unit != "分" and not is_money(unit):
        return None  # a count column (人, 辆) holds no amount
    scale = to_wan(1.0, unit) if c.unit != "分" else 1.0   # the cell in 万元, the unit claims are compared in
    cell_v = (ref.value or 0.0) * scale
    civ = Interval.printed(ref.value or 0.0, ref.cell.decimals)
    civ = Interval(civ.lo * scale, civ.hi * scale)
    siv = Interval.printed(stated, c.decimals + (4 if c.unit == "元" else 0))
    tol = round((civ.width + siv.width) / 2, 4)
    if civ.meets(siv):
        return None
    diff = abs(stated - cell_v)
    sev = "warning" if abs(diff - 0.01) < 1e-9 else "error"
    unit_note = f"（说明写的单位是“{c.unit}”）" if c.unit not in ("万元", "分") else ""
    sdec = c.decimals + (4 if c.unit == "元" else 0)
    msg = with_hint(f"说明{where}称{what}{'（' + c.period + '）' if c.period not in ('本年', None) else ''}"
                    f"为 {c.raw}{c.unit}{unit_note}，但{ref.table.title}「{ref.row.name or ref.row.key}」{ref.column}为 "
                    f"{fmt(cell_v)}{' 分' if c.unit == '分' else ' 万元'}",
                    digit_hint(stated, sdec, cell_v, ref.cell.decimals),
                    cell_hint(doc, stated, sdec, skip=((ref.table.id, ref.row.key, ref.column),)))
    return finding("N01", sev, msg, prov=c.prov, stated=c.value, expected=cell_v, tolerance=tol,
                  evidence=[claim_ev(c), cell_ev(ref.table, ref.row, ref.column, ref.cell)], section=c.section)


@rule("N02", "无法核对的说明数字", "info", """
说明中的金额找不到对应的表格单元格（主语未识别或本文件无此表），列出以便人工核对，不作推测。
示例：“政府采购支出总额 0 万元”（预决算表中无政府采购表）。""")
def unverifiable(doc: Document):
    bound = headline_bindings(doc)   # a headline total bound to its section's table (N01) is verified
    for c in _amounts(doc):
        if c.subject and resolve(doc, c.subject, c.period, c.scope) is None and not c.subject.startswith(("三公.外", "三公.国")) \
                and not any(b.claim is c for b in bound):
            yield finding("N02", "info", f"无法在表格中找到「{label(doc, c)}」（{c.period}）"
                          f" {c.raw}{c.unit} 的对应单元格", prov=c.prov, stated=c.value, evidence=[claim_ev(c)],
                          section=c.section)


def _sentence_amount(doc: Document, claim: Claim, subject: str, before: bool = True):
    """The amount claim of ``subject`` in the same sentence (before the claim when ``before``)."""
    for c in sentence_claims(doc.claims, claim):
        if c.kind == "amount" and c.subject == subject and (not before or c.span[0] < claim.span[0]):
            return c
    return None


def _adjacent_amount(doc: Document, claim: Claim):
    """The amount just before ``claim`` in its sentence (only shares, changes, completion rates between), or None."""
    for c in reversed([x for x in sentence_claims(doc.claims, claim) if x.span[0] < claim.span[0]]):
        if c.kind == "amount":
            return c
        if c.kind not in ("share", "change_amount", "change_pct", "completion"):
            return None
    return None


def _preceding_amount(doc: Document, claim: Claim, lines: int = 3):
    """The nearest earlier amount of the claim's subject (this year) within a few lines: "收、支总计均为 X 万元。
    与上年度相比，收、支总计各减少 …" states the current figure in the sentence before."""
    idx = doc.claims.index(claim)
    for c in reversed(doc.claims[:idx]):
        if (claim.prov.line or 0) - (c.prov.line or 0) > lines:
            break
        if c.kind == "amount" and c.subject == claim.subject and c.period == "本年":
            return c
    return None


def _total_of_sentence(doc: Document, claim: Claim):
    """"支出合计 927.71 万元，其中：…" / "…2940.05万元，主要用于以下方面：…" -> the amount before the list marker
    (lexicons/quantities.toml list_markers) in the claim's sentence."""
    ks = [k for k in (claim.sentence.find(w) for w in load("quantities")["list_markers"]["words"]) if 0 <= k < claim.span[0]]
    k = min(ks) if ks else -1
    firsts = [c for c in sentence_claims(doc.claims, claim)
              if c.kind == "amount" and c.span[0] < (k if k >= 0 else 0)]
    return firsts[0] if firsts else None


def _said(c: Claim) -> str:
    """The words the sentence itself used for the claim's quantity ('' when its subject came from context)."""
    return c.subject_text if c.subject_text and not c.subject_text.startswith("<") else ""


def _pct_finding(code, claim: Claim, exact_iv: Interval, exact: float, what: str, evidence):
    d = claim.decimals
    stated_iv = Interval.printed(claim.value, d)
    tol = round(stated_iv.width / 2, 6)
    if stated_iv.meets(exact_iv):
        return None
    sev = "warning" if one_unit_off(claim.value, exact, d) else "error"
    n = max(d, 2)
    msg = f"说明称{what}为 {claim.raw}，按表列数计算应为 {round_half_up(exact, n):.{n}f}%"
    if sev == "warning":
        msg += "（末位差一，可能为凑整）"
    else:
        msg = with_hint(msg, digit_hint(claim.value, d, round_half_up(exact, d), d))
    return finding(code, sev, msg, prov=claim.prov, stated=claim.value,
                   expected=round(exact, 4), tolerance=tol, evidence=evidence, section=claim.section)


@rule("C01", "占比计算错误", "error", """
“占X%”= 部分 ÷ 整体。部分取同句中该主语的金额，整体取“占……的”所写的基数，或“其中”前的合计，或三公一节的三公经费合计
（表中读不出时，取同句所列出国、公务用车、接待三项之和）。容差：按印刷位数的区间比值（同句另一金额印两位小数时，“110 万元”
读作 110.00）；末位差一报警告，若同列各项占比恰好合计 100%（凑整调整）只作提示。
失败例：“公务用车购置及运行费支出决算 2.45 万元……占 63%”，2.45 ÷ 2.56 = 95.70%。
通过例：“财政拨款收入 907.94 万元，占 97.87%”，907.94 ÷ 927.71 = 97.87%。""")
def share(doc: Document):
    for c in doc.claims:
        if c.kind != "share" or c.value is None or not c.subject:
            continue
        part = _adjacent_amount(doc, c)
        if part is None or (part.subject and part.subject != c.subject):
            continue   # the share belongs to the figure just before it, not to an earlier one of its subject
        base = None
        if c.base and not c.base.startswith(("func:", "econ:")) and c.base in load("quantities")["subjects"]:
            b = _sentence_amount(doc, c, c.base, before=False)
            base_v = (wan(b), read_iv(doc, b), [claim_ev(b)]) if b else None
            if base_v is None:
                ref = resolve(doc, c.base, "本年")
                if ref is not None and ref.value:
                    base_v = (ref.value, Interval.printed(ref.value, ref.cell.decimals),
                              [cell_ev(ref.table, ref.row, ref.column, ref.cell)])
            base = base_v
        if base is None:
            tot = _total_of_sentence(doc, c)
            if tot is not None and tot is not part:
                base = (wan(tot), read_iv(doc, tot), [claim_ev(tot)])
        if base is None and c.subject.startswith("三公."):
            ref = resolve(doc, "三公经费", "本年")
            if ref is not None and ref.value and ref.cell.exact:
                base = (ref.value, Interval.printed(ref.value, ref.cell.decimals),
                        [cell_ev(ref.table, ref.row, ref.column, ref.cell)])
        if base is None:
            base = whole_of_listed_parts(doc, c)
        if base is None or not base[0]:
            continue
        iv = ratio(read_iv(doc, part), base[1])
        if iv is None:
            continue
        exact = wan(part) / base[0] * 100
        f = _pct_finding("C01", c, iv, exact, f"{label(doc, part)}所占比例", [claim_ev(c)] + base[2])
        if f and f.severity == "warning" and _shares_add_to_100(doc, c):
            f.severity = "info"
            f.message = f.message.replace("（末位差一，可能为凑整）", "（末位差一：为使各项占比合计为 100% 而凑整，属尾差调整）")
        if f:
            yield f


def _shares_add_to_100(doc: Document, claim: Claim) -> bool:
    """The run of shares listed with ``claim`` (same section, only amounts between them) adds up to exactly 100%:
    a one-unit-off share is then the usual largest-remainder adjustment, not an error."""
    i = doc.claims.index(claim)
    run = [claim]
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(doc.claims) and doc.claims[j].section == claim.section \
                and doc.claims[j].kind in ("share", "amount"):
            if doc.claims[j].kind == "share":
                run.append(doc.claims[j])
            j += step
    return len(run) > 1 and abs(sum(c.value or 0 for c in run) - 100) < 1e-6


@rule("C02", "增减幅度计算错误", "error", """
“增长/下降/降幅 Y%”= 变动额 ÷ 上年数，上年数 = 本年数 ∓ 变动额（同句同主语）。容差：区间比值（同句另一金额印两位小数时，
“减少 25 万元”读作 25.00：省略的是末尾的零）；末位差一报警告。
失败例：“财政拨款收、支总计均为 3881.84 万元……各减少 152.16 万元，下降 3.78%”，152.16 ÷ 4034.00 = 3.77%。
通过例：“收、支总计各减少 6.15 万元，下降 0.66%”（927.71 + 6.15 = 933.86，6.15 ÷ 933.86 = 0.66%）。""")
def change_pct(doc: Document):
    for c in doc.claims:
        if c.kind != "change_pct" or c.value is None:
            continue
        st = stated_change(doc, c)
        chg = st.change if st else None
        cur = st.current if st else None
        prior = st.prior if st else None
        if cur is None or (chg is None and prior is None):
            continue
        if prior is not None:
            chg_iv = magnitude(read_iv(doc, cur) - read_iv(doc, prior))
            prev_iv, prev, change = read_iv(doc, prior), wan(prior), abs(wan(cur) - wan(prior))
        else:
            sign = chg.polarity or c.polarity
            prev_iv = read_iv(doc, cur) - read_iv(doc, chg) if sign > 0 else read_iv(doc, cur) + read_iv(doc, chg)
            prev = wan(cur) - wan(chg) if sign > 0 else wan(cur) + wan(chg)
            chg_iv, change = read_iv(doc, chg), wan(chg)
        if prev <= 0 or chg_iv.lo < 0:
            continue
        iv = ratio(chg_iv, prev_iv)
        if iv is None:
            continue
        what = _said(c) or _said(cur) or label(doc, c) or "该项"   # an item whose quantity is not resolved
        f = _pct_finding("C02", c, iv, change / prev * 100, f"{what}的变动幅度",
                         [claim_ev(c), claim_ev(cur)] + [claim_ev(x) for x in (chg, prior) if x is not None])
        if f:
            yield f


@rule("C03", "完成预算比例计算错误", "error", """
“完成（年初/全年）预算的 Z%”= 决算数 ÷ 预算数，两数取自同段说明（预算数为 0 时不核对）。容差：区间比值；末位差一报警告。
失败例：“全年预算为 1.50 万元，支出决算为 2.45 万元，完成全年预算的 150%”（应为 163.33%）。
通过例：“全年预算为 0.30 万元，支出决算为 0.11 万元，完成全年预算的 36.67%”。""")
def completion(doc: Document):
    for c in doc.claims:
        if c.kind != "completion" or c.value is None or not c.subject:
            continue
        same = [x for x in sentence_claims(doc.claims, c)
                if x.kind == "amount" and x.subject == c.subject and x.span[0] < c.span[0]]
        budget = next((x for x in same if x.period in ("年初预算", "全年预算")), None)
        actual = next((x for x in reversed(same) if x.period == "本年"), None)
        if budget is None or actual is None or not budget.value:
            continue
        iv = ratio(claim_iv(actual), claim_iv(budget))
        if iv is None:
            continue
        f = _pct_finding("C03", c, iv, wan(actual) / wan(budget) * 100, f"{label(doc, c)}的预算完成率",
                         [claim_ev(c), claim_ev(budget), claim_ev(actual)])
        if f:
            yield f


_PARTS = {"三公.公务接待费": ["三公.外宾接待", "三公.国内接待"],
          "政府采购": ["政府采购.货物", "政府采购.工程", "政府采购.服务"]}


@rule("C04", "分项之和与总额不符", "error", """
说明列出的分项之和应等于所说的总额（公务接待费 = 外宾接待 + 国内接待；政府采购 = 货物 + 工程 + 服务）。容差：区间之和。
失败例：公务接待费 0.11 万元，其中外宾接待 0.00 万元、国内公务接待 0.00 万元。
通过例：政府采购 0 万元，其中货物 0、工程 0、服务 0。""")
def parts_vs_total(doc: Document):
    amounts = [c for c in _amounts(doc) if c.period == "本年"]
    for total_s, parts_s in _PARTS.items():
        totals = [c for c in amounts if c.subject == total_s]
        if not totals:
            continue
        # the total stated with its parts in one sentence ("…为 251.25 万元，其中：货物 4.79 万元、…"), else the last one
        total = next((t for t in totals if all(any(c.subject == ps and c.sentence == t.sentence for c in amounts)
                                                for ps in parts_s)), totals[-1])
        parts = []
        for ps in parts_s:
            after = [c for c in amounts if c.subject == ps and (c.prov.line or 0) >= (total.prov.line or 0)
                     and (c.prov.page or 0) >= (total.prov.page or 0)]
            same = [c for c in after if c.sentence == total.sentence]
            if same or after:
                parts.append((same or after)[0])
        if len(parts) != len(parts_s):
            continue
        s = sum(wan(p) for p in parts)
        siv = Interval(sum(claim_iv(p).lo for p in parts), sum(claim_iv(p).hi for p in parts))
        if siv.meets(claim_iv(total)):
            continue
        yield finding("C04", "error", f"说明所列{'、'.join(label(doc, p) for p in parts)}合计 {fmt(s)} 万元，"
                      f"与所说{label(doc, total)} {total.raw} 万元不符", prov=parts[-1].prov,
                      stated=round(s, 2), expected=total.value, tolerance=round((siv.width + claim_iv(total).width) / 2, 4),
                      evidence=[claim_ev(p) for p in parts] + [claim_ev(total)], section=parts[-1].section)


@rule("W02", "“无差异”与数字不符", "error", """
说明称“决算数与预算数无差异/不存在差异”，而同段所说（或表中）的预算数与决算数不相等。容差：两数末位半个单位。
失败例：“全年预算为 0.30 万元，支出决算为 0.11 万元……决算数与预算数无差异”。
通过例：“年初预算为 42.54 万元，支出决算为 42.54 万元……决算数与年初预算数不存在差异”。""")
def no_difference(doc: Document):
    for c in doc.claims:
        if c.kind != "comparison" or c.word not in ("无差异", "不存在差异", "没有差异") or not c.subject:
            continue
        near = [x for x in doc.claims if x.kind == "amount" and x.subject == c.subject
                and abs((x.prov.line or 0) - (c.prov.line or 0)) <= 2 and (x.prov.line or 0) <= (c.prov.line or 0)]
        budget = next((x for x in reversed(near) if x.period in ("年初预算", "全年预算")), None)
        actual = next((x for x in reversed(near) if x.period == "本年"), None)
        if budget is None or actual is None:
            continue
        if claim_iv(budget).meets(claim_iv(actual)):
            continue
        yield finding("W02", "error", f"说明称“{c.word}”，但预算数 {budget.raw} 万元与决算数 {actual.raw} 万元不同",
                      prov=c.prov, stated=actual.value, expected=budget.value,
                      evidence=[claim_ev(c), claim_ev(budget), claim_ev(actual)], section=c.section)
