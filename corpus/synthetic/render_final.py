"""A synthetic 部门决算 as text, in the layout of seed 000 (markdown-like headings, tab-separated table rows):
公开01–09表 and the thirteen sections of the 情况说明, every figure taken from a DeptYear."""
from __future__ import annotations

from render_common import CLASSES, SYNTHETIC_MARK, Writer, change_words, cn_num, n, seed_section, t
from synth_model import DeptYear, Sangong, pct

INCOME = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
          "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]


def _table_head(w: Writer, title: str, dept: str, year: int, label: str) -> None:
    w.add(f"## {title}", "", f"部门：{dept}", "", f"{year} 年度", "", f"公开 {label} 表  ", "金额单位：万元", "")


def _note(w: Writer, what: str) -> None:
    w.add("", f"注：本表反映部门本年度{what}。本表金额转换为万元时，因四舍五入可能存在尾差。", "")


def _class_values(y: DeptYear) -> dict[str, float]:
    return {c: y.func_total(c)[0] + y.func_total(c)[1] for c, _ in CLASSES if any(i.code.startswith(c) for i in y.items)}


def table01(w: Writer, y: DeptYear) -> None:
    _table_head(w, "收入支出决算总表", y.dept, y.year, "01")
    w.add("收入\t\t\t支出\t\t", "项目\t行次\t金额\t项目\t行次\t金额", "栏次\t\t1\t栏次\t\t2")
    cls = _class_values(y)
    for k in range(26):
        inc = (f"{cn_num(k + 1)}、{INCOME[k]}" if k < len(INCOME) else "")
        val = t(y.total) if k == 0 else ""
        code, name = CLASSES[k]
        w.row(inc, str(k + 1), val, f"{cn_num(k + 1)}、{name}", str(k + 32), t(cls.get(code)))
    w.row("<b>本年收入合计</b>", "<b>27</b>", f"<b>{t(y.total)}</b>", "<b>本年支出合计</b>", "<b>58</b>", f"<b>{t(y.total)}</b>")
    w.row("使用非财政拨款结余", "28", "", "结余分配", "59", "")
    w.row("年初结转和结余", "29", "", "年末结转和结余", "60", "")
    w.row("", "30", "", "", "61", "")
    w.row("<b>总计</b>", "<b>31</b>", f"<b>{t(y.total)}</b>", "<b>总计</b>", "<b>62</b>", f"<b>{t(y.total)}</b>",
          tag="J01.总计")
    _note(w, "的总收支和年末结转结余情况")


def _code_rows(w: Writer, y: DeptYear, cols) -> None:
    for c in y.func_codes():
        b, p = y.func_total(c)
        w.row(c, y.names.get(c, c), *[t(v) for v in cols(b, p)])


def table02_03(w: Writer, y: DeptYear) -> None:
    _table_head(w, "收入决算表", y.dept, y.year, "02")
    w.add("项 目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
          "功能分类 科目编码\t科目名称" + "\t" * 7, "栏次\t\t1\t2\t3\t4\t5\t6\t7")
    z = [0.0] * 5
    w.row("<b>合计</b>", "", *[f"<b>{t(v)}</b>" for v in [y.total, y.total] + z])
    _code_rows(w, y, lambda b, p: [b + p, b + p] + z)
    _note(w, "取得的各项收入情况")
    _table_head(w, "支出决算表", y.dept, y.year, "03")
    w.add("项目\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出",
          "功能分类 科目编码\t科目名称" + "\t" * 6, "栏次\t\t1\t2\t3\t4\t5\t6")
    z = [0.0] * 3
    w.row("<b>合计</b>", "", *[f"<b>{t(v)}</b>" for v in [y.total, y.basic, y.project] + z])
    _code_rows(w, y, lambda b, p: [b + p, b, p] + z)
    _note(w, "各项支出情况")


def table04_05(w: Writer, y: DeptYear) -> None:
    _table_head(w, "财政拨款收入支出决算总表", y.dept, y.year, "04")
    w.add("收 入\t\t\t支 出\t\t\t\t\t",
          "项 目\t行次\t金 额\t项 目\t行次\t合 计\t一般公共预算 财政拨款\t政府性基金预算 财政拨款\t国有资本经营 预算财政拨款",
          "栏 次\t\t1\t栏 次\t\t2\t3\t4\t5")
    cls = _class_values(y)
    inc = ["一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营财政拨款"]
    for k in range(26):
        code, name = CLASSES[k]
        v = cls.get(code)
        w.row(inc[k] if k < 3 else "", str(k + 1), t(y.total) if k == 0 else "", f"{cn_num(k + 1)}、{name}",
              str(k + 33), t(v), t(v), "", "")
    w.row("<b>本年收入合计</b>", "27", f"<b>{t(y.total)}</b>", "<b>本年支出合计</b>", "59", f"<b>{t(y.total)}</b>",
          f"<b>{t(y.total)}</b>", "", "")
    w.row("年初财政拨款结转和结余", "28", t(0.0), "年末财政拨款结转和结余", "60", t(0.0), t(0.0), "", "")
    w.row("一般公共预算财政拨款", "29", t(0.0), "", "61", "", "", "", "")
    w.row("政府性基金预算财政拨款", "30", "", "", "62", "", "", "", "")
    w.row("国有资本经营预算财政拨款", "31", "", "", "63", "", "", "", "")
    w.row("<b>总 计</b>", "32", f"<b>{t(y.total)}</b>", "<b>总 计</b>", "64", f"<b>{t(y.total)}</b>",
          f"<b>{t(y.total)}</b>", "", "")
    _note(w, "一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况")
    _table_head(w, "一般公共预算财政拨款支出决算表", y.dept, y.year, "05")
    w.add("项 目\t\t本年支出\t\t", "功能分类 科目编码\t科目名称\t小计\t基本支出\t项目支出", "栏次\t\t1\t2\t3")
    w.row("<b>合计</b>", "", *[f"<b>{t(v)}</b>" for v in (y.total, y.basic, y.project)])
    _code_rows(w, y, lambda b, p: [b + p, b, p])
    _note(w, "一般公共预算财政拨款支出情况")


def table06(w: Writer, y: DeptYear) -> None:
    _table_head(w, "一般公共预算财政拨款基本支出决算表", y.dept, y.year, "06")
    w.add("人员经费\t\t\t公用经费\t\t\t\t\t", "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数")
    codes = sorted(y.econ_names)
    groups = [[c for c in codes if c[:3] in ("301", "303")], [c for c in codes if c[:3] == "302"],
              [c for c in codes if c[:3] not in ("301", "302", "303")]]

    def cell(c: str) -> list[str]:
        v = y.group(c) if len(c) == 3 else y.econ.get(c, 0.0)
        return [c, y.econ_names[c], t(v, blank_zero=True)]
    for k in range(max(len(g) for g in groups)):
        w.row(*[x for g in groups for x in (cell(g[k]) if k < len(g) else ["", "", ""])])
    w.row("<b>人员经费合计</b>", "", f"<b>{t(y.personnel)}</b>", "<b>公用经费合计</b>", "", "", "", f"<b>{t(y.public)}</b>", "")
    _note(w, "一般公共预算财政拨款基本支出明细情况")


def table07_09(w: Writer, y: DeptYear, sb: Sangong) -> None:
    for label, title, what in (("07", "政府性基金预算财政拨款收入支出决算表", "政府性基金"),
                               ("08", "国有资本经营预算财政拨款收入支出决算表", "国有资本经营")):
        _table_head(w, title, y.dept, y.year, label)
        w.add("项 目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余",
              "功能分类 科目编码\t科目名称\t\t\t小计\t基本支出\t项目支出\t", "栏次\t\t1\t2\t3\t4\t5\t6", "合计\t\t\t\t\t\t\t", "",
              f"注：本表反映部门本年度{what}预算财政拨款收入、支出及结转和结余情况。", "",
              f"说明：我部门没有{what}收入，也没有使用{what}安排的支出，故本表无数据。", "")
    _table_head(w, "财政拨款“三公”经费支出决算表", y.dept, y.year, "09")
    w.add("预算数\t\t\t\t\t\t决算数\t\t\t\t\t",
          "合计\t因公出国 (境) 费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国 (境) 费\t公务用车购置及运行费\t\t\t公务接待费",
          "\t\t小计\t公务用车 购置费\t公务用车 运行费\t\t\t\t小计\t公务用车 购置费\t公务用车 运行费\t",
          "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12")
    s = y.sangong
    w.row(*[t(v) for v in (sb.total, sb.abroad, sb.car, sb.purchase, sb.running, sb.reception,
                           s.total, s.abroad, s.car, s.purchase, s.running, s.reception)], tag="J09.预算数")
    w.add("", "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；"
          "决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。本表金额转换为万元时，因四舍五入可能存在尾差。", "")


def _change(y: DeptYear, subject: str, what: str) -> str:
    up, grow, d, p = change_words(y.total, y.prev[subject], pct)
    return f"与上年度相比，{what}{up} {n(d)} 万元，{grow} {n(p)}%。主要原因是项目支出随工作任务相应调整。"


def narrative(w: Writer, y: DeptYear, sb: Sangong) -> None:
    Y, tot = y.year, y.total
    w.add(f"## 第三部分 {Y} 年度部门决算情况说明", "", "## 一、收入支出决算总体情况说明", "")
    w.para(f"{Y} 年度收、支总计均为 {n(tot)} 万元。" + _change(y, "收支总计", "收、支总计各"), tag="change:收支总计")
    w.add("## 二、收入决算情况说明", "")
    w.para(f"{Y} 年度收入合计 {n(tot)} 万元，其中：财政拨款收入 {n(tot)} 万元，占 100.00%。")
    w.add("## 三、支出决算情况说明", "")
    pb = pct(y.basic, tot)
    w.para(f"{Y} 年度支出合计 {n(tot)} 万元，其中：基本支出 {n(y.basic)} 万元，占 {n(pb)}%；项目支出 {n(y.project)} 万元，"
           f"占 {n(pct(y.project, tot))}%。")
    w.add("## 四、财政拨款收入支出决算总体情况说明", "")
    w.para(f"{Y} 年度财政拨款收、支总计均为 {n(tot)} 万元。" + _change(y, "财政拨款收支总计", "财政拨款收、支总计各"),
           tag="change:财政拨款收支总计")
    w.add("## 五、一般公共预算财政拨款支出决算情况说明", "", "### （一）总体情况。", "")
    w.para(f"{Y} 年度一般公共预算财政拨款支出 {n(tot)} 万元，占支出合计的 100.00%。"
           + _change(y, "一般公共预算财政拨款支出", "一般公共预算财政拨款支出"), tag="change:一般公共预算财政拨款支出")
    w.add("### （二）结构情况。", "")
    parts = [f"**{y.names[c].removesuffix('支出')}(类)**支出 {n(v)} 万元，占 {n(pct(v, tot))}%"
             for c, v in _class_values(y).items()]
    w.para(f"{Y} 年度一般公共预算财政拨款支出 {n(tot)} 万元，主要用于以下方面：" + "；".join(parts) + "。")
    w.add("### （三）具体情况。", "")
    it = y.initial_total()
    w.para(f"{Y} 年度一般公共预算财政拨款支出年初预算为 {n(it)} 万元，支出决算为 {n(tot)} 万元，完成年初预算的 "
           f"{n(pct(tot, it))}%。其中：", tag="initial:total")
    for k, i in enumerate(sorted(y.items, key=lambda i: i.code)):
        b = y.stated_initial.get(i.code, y.initial[i.code])
        path = f"{y.names[i.code[:3]]}(类){y.names[i.code[:5]]}(款){i.name}(项)"
        w.para(f"{k + 1}. **{path}**。年初预算为 {n(b)} 万元，支出决算为 {n(i.total)} 万元，完成年初预算的 "
               f"{n(pct(i.total, b))}%。决算数与年初预算数存在差异的主要原因是支出较年初预计有所调整。", tag=f"initial:{i.code}")
    w.add("## 六、一般公共预算财政拨款基本支出决算情况说明", "")
    w.para(f"{Y} 年度一般公共预算财政拨款基本支出 {n(y.basic)} 万元。其中：人员经费 {n(y.personnel)} 万元，主要包括：基本工资、"
           f"津贴补贴、奖金、绩效工资、社会保障缴费、住房公积金；公用经费 {n(y.public)} 万元，主要包括：办公费、印刷费、水费、"
           "差旅费、维修（护）费、培训费、劳务费、委托业务费、工会经费、福利费、公务用车运行维护费、其他商品和服务支出。")
    w.add("## 七、政府性基金预算财政拨款支出决算情况说明", "")
    w.para(f"我部门 {Y} 年度没有政府性基金收入，也没有使用政府性基金安排的支出。")
    w.add("## 八、国有资本经营预算财政拨款支出决算情况说明", "")
    w.para(f"我部门 {Y} 年度没有国有资本经营收入，也没有使用国有资本经营安排的支出。")
    _sangong_section(w, y, sb)
    w.add("## 十、机关运行经费支出情况说明", "")
    w.para("我单位不是行政机关，也不是参照公务员管理事业单位，没有机关运行经费支出。")
    w.add("## 十一、政府采购支出情况说明", "")
    w.para(f"{Y} 年度政府采购支出总额 0.00 万元，其中：政府采购货物支出 0.00 万元、政府采购工程支出 0.00 万元、"
           "政府采购服务支出 0.00 万元。")
    w.add("## 十二、国有资产占用情况说明", "")
    w.para(f"{Y} 年期末，我部门共有车辆 {y.vehicles} 辆；单位价值 50 万元以上通用设备 0 台（套），单位价值 100 万元以上"
           "专用设备 0 台（套）。")
    w.add("## 十三、预算绩效情况说明", "")
    w.para(f"我部门纳入预算绩效管理的支出总额为 {n(tot)} 万元，其中基本支出 {n(y.basic)} 万元；项目支出 {n(y.project)} 万元，"
           "并按照“谁用款、谁评价”的原则开展了绩效自评。")


def _sangong_section(w: Writer, y: DeptYear, sb: Sangong) -> None:
    s, Y = y.sangong, y.year
    w.add("## 九、财政拨款“三公”经费支出决算情况说明", "", "### （一）“三公”经费财政拨款支出决算总体情况说明。", "")
    w.para(f"{Y} 年度“三公”经费财政拨款支出全年预算为 {n(sb.total)} 万元，支出决算为 {n(s.total)} 万元，完成全年预算的 "
           f"{n(pct(s.total, sb.total))}%。决算数与预算数存在差异的主要原因是厉行节约，压缩“三公”经费开支。")
    w.add("### （二）“三公”经费财政拨款支出决算具体情况说明。", "")
    w.para(f"1. **因公出国(境)费**全年预算为 {n(sb.abroad)} 万元，支出决算为 {n(s.abroad)} 万元。全年因公出国(境)团组 0 个，累计 0 人次。")
    car = f"2. **公务用车购置及运行费**全年预算为 {n(sb.car)} 万元，支出决算为 {n(s.car)} 万元"
    car += f"，完成全年预算的 {n(pct(s.car, sb.car))}%。" if sb.car else "。"
    w.para(car + f"其中：公务用车购置支出 {n(s.purchase)} 万元；公务用车运行维护支出 {n(s.running)} 万元，主要用于车辆维修维护"
           f"及加油。{Y} 年期末，部门开支财政拨款的公务用车保有量为 {y.vehicles} 辆。")
    w.para(f"3. **公务接待费**全年预算为 {n(sb.reception)} 万元，支出决算为 {n(s.reception)} 万元。", tag="sangong:reception")


def render_final(y: DeptYear, seed_lines: list[str], seed_name: str) -> Writer:
    w = Writer()
    w.add(SYNTHETIC_MARK.format(seed=seed_name), "", f"{y.year} 年度{y.dept}部门决算", "")
    w.add(f"# 第一部分 {y.dept}概况", "", "## 一、部门职责")
    w.add(*seed_section(seed_lines, "一、部门职责", "二、机构设置"), "")
    w.add("## 二、机构设置")
    w.add(*seed_section(seed_lines, "二、机构设置", "第二部分"), "")
    w.add(f"## 第二部分 {y.year} 年度部门决算表", "")
    sb = y.sangong_budget or Sangong()
    table01(w, y)
    table02_03(w, y)
    table04_05(w, y)
    table06(w, y)
    table07_09(w, y, sb)
    narrative(w, y, sb)
    w.add("## 第四部分 名词解释", "")
    w.add(*seed_section(seed_lines, "第四部分 名词解释", "第五部分"))
    return w
