"""A synthetic 部门预算 as text: the narrative of seed 003 (a real Henan 预算) with the figures of a DeptYear, and
预算01–06、09–13表 as tab-separated rows (the layout of seed 000's tables)."""
from __future__ import annotations

from render_common import CLASSES, SYNTHETIC_MARK, Writer, change_words, cn_num, n, seed_section, t
from synth_model import DeptYear, pct, r2

INCOME = ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入", "事业收入",
          "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"]
Y03_COLS = "合计\t基本支出\t人员经费\t工资福利支出\t对个人和家庭的补助\t公用经费\t商品和服务支出\t资本性支出\t项目支出\t其他运转类\t特定目标类"
Y05_COLS = "合计\t基本支出\t工资福利支出\t对个人和家庭的补助\t商品和服务支出\t资本性支出\t项目支出\t其他运转类\t特定目标类"


def econ_split(y: DeptYear) -> dict[str, dict[str, float]]:
    """Basic expenditure of each 项 by economic group (301 工资福利, 303 对个人和家庭, 302 商品和服务, 310 资本性):
    the largest basic 项 carries every group but wages; the other basic 项 (pension and medical contributions, …)
    are wages only. Each group adds up to the 06表 figure, each 项 to its basic expenditure."""
    basic = sorted((i for i in y.items if i.basic), key=lambda i: (-i.basic, i.code))
    if not basic:
        return {}
    main, others = basic[0], basic[1:]
    g = {k: y.group(k) for k in ("301", "303", "302", "310")}
    g["302"] = r2(y.basic - g["301"] - g["303"] - g["310"])  # 307 / 399 (none in the seed) print with 商品和服务
    out = {i.code: {"301": i.basic, "303": 0.0, "302": 0.0, "310": 0.0} for i in others}
    rest301 = r2(g["301"] - sum(i.basic for i in others))
    if rest301 < 0:
        raise ValueError("the seed's wages do not cover the smaller basic items: econ_split needs another rule")
    out[main.code] = {"301": rest301, "303": g["303"], "302": g["302"], "310": g["310"]}
    return out


def _rows_by_code(y: DeptYear, split, fmt) -> list[list[str]]:
    out = []
    for c in y.func_codes():
        its = [i for i in y.items if i.code.startswith(c)]
        e = {k: r2(sum(split.get(i.code, {}).get(k, 0.0) for i in its)) for k in ("301", "303", "302", "310")}
        b, p = y.func_total(c)
        out.append([c, y.names.get(c, c)] + fmt(b + p, b, e, p))
    return out


def _y03(tot, b, e, p):
    return [t(tot), t(b), t(e["301"] + e["303"], True), t(e["301"], True), t(e["303"], True),
            t(e["302"] + e["310"], True), t(e["302"], True), t(e["310"], True), t(p, True), "", t(p, True)]


def _y05(tot, b, e, p):
    return [t(tot), t(b), t(e["301"], True), t(e["303"], True), t(e["302"], True), t(e["310"], True),
            t(p, True), "", t(p, True)]


def _head(w: Writer, label: str, title: str, y: DeptYear) -> None:
    w.add(f"预算{label}表", "", f"## {y.year}年{title}", "", f"部门名称：{y.dept}\t单位：万元", "")


def tables(w: Writer, y: DeptYear) -> None:
    split = econ_split(y)
    tot = y.total
    cls = {c: sum(y.func_total(c)) for c, _ in CLASSES if any(i.code.startswith(c) for i in y.items)}
    _head(w, "01", "部门收支预算表", y)
    w.add("收入\t\t支出\t", "项目\t预算数\t项目\t预算数")
    for k, (code, name) in enumerate(CLASSES):
        inc = f"{cn_num(k + 1)}、{INCOME[k]}" if k < len(INCOME) else ""
        w.row(inc, t(tot) if k == 0 else "", f"{cn_num(k + 1)}、{name}", t(cls.get(code)))
    w.row("本年收入合计", t(tot), "本年支出合计", t(tot))
    w.row("上年结转结余", "", "年终结转结余", "")
    w.row("收入总计", t(tot), "支出总计", t(tot), tag="Y01.总计")
    w.add("")
    _head(w, "02", "部门收入预算表", y)
    w.add("单位代码\t单位名称\t合计\t" + "\t".join(INCOME) + "\t上年结转结余")
    w.row("", "合计", t(tot), t(tot), *[""] * 9, tag="Y02.合计")
    w.row("001", y.dept, t(tot), t(tot), *[""] * 9)
    w.add("")
    _head(w, "03", "部门支出预算表", y)
    w.add("科目编码\t科目名称\t" + Y03_COLS)
    w.row("", "合计", *_y03(tot, y.basic, {k: y.group(k) if k != "302" else r2(y.public - y.group("310"))
                                            for k in ("301", "303", "302", "310")}, y.project))
    for r in _rows_by_code(y, split, _y03):
        w.row(*r)
    w.add("")
    _head(w, "04", "财政拨款收支预算表", y)
    w.add("收入\t\t支出\t\t\t\t", "项目\t预算数\t项目\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算")
    w.row("一、本年收入", t(tot), "一、本年支出", t(tot), t(tot), "", "")
    inc = ["（一）一般公共预算拨款", "（二）政府性基金预算拨款", "（三）国有资本经营预算拨款"]
    for k, (code, name) in enumerate(CLASSES):
        v = cls.get(code)
        w.row(inc[k] if k < 3 else "", t(tot) if k == 0 else "", f"（{cn_num(k + 1)}）{name}", t(v), t(v), "", "")
    w.row("二、上年结转", "", "二、年终结转结余", "", "", "", "")
    w.row("收入总计", t(tot), "支出总计", t(tot), t(tot), "", "")
    w.add("")
    _head(w, "05", "一般公共预算支出预算表", y)
    w.add("科目编码\t科目名称\t" + Y05_COLS)
    w.row("", "合计", *_y05(tot, y.basic, {k: y.group(k) if k != "302" else r2(y.public - y.group("310"))
                                            for k in ("301", "303", "302", "310")}, y.project), tag="Y05.合计")
    for r in _rows_by_code(y, split, _y05):
        w.row(*r, tag=f"Y05.{r[0]}")
    w.add("")
    _head(w, "06", "一般公共预算基本支出预算表", y)
    w.add("科目编码\t科目名称\t合计\t人员经费\t公用经费")
    w.row("", "合计", t(y.basic), t(y.personnel), t(y.public))
    for c in sorted(y.econ_names):
        v = y.group(c) if len(c) == 3 else y.econ.get(c, 0.0)
        if v:
            personnel = c[:3] in ("301", "303")
            w.row(c, y.econ_names[c], t(v), t(v) if personnel else "", "" if personnel else t(v))
    w.add("")
    s = y.sangong
    _head(w, "09", "一般公共预算“三公”经费预算表", y)
    w.add("“三公”经费合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费", "\t\t小计\t公务用车购置费\t公务用车运行费\t")
    w.row(*[t(v) for v in (s.total, s.abroad, s.car, s.purchase, s.running, s.reception)], tag="Y09.预算数")
    w.add("")
    for label, title in (("10", "政府性基金支出预算表"), ("11", "国有资本经营支出预算表")):
        _head(w, label, title, y)
        w.add("科目编码\t科目名称\t" + Y05_COLS, "\t合计" + "\t" * 9, "", "注：我部门没有该项预算收支，故本表无数据。", "")
    _head(w, "12", "项目支出预算表", y)
    w.add("项目名称\t合计")
    w.row("合计", t(y.project))
    for i in sorted((i for i in y.items if i.project), key=lambda i: i.code):
        w.row(i.name, t(i.project))
    w.add("")
    _head(w, "13", "机关运行经费预算表", y)
    w.add("科目编码\t科目名称\t合计", "\t合计\t", "", "注：我单位不是行政机关，也不是参照公务员法管理的事业单位，没有机关运行经费，故本表无数据。", "")


def _change(y: DeptYear, subject: str, cur: float, what: str) -> str:
    up, grow, d, p = change_words(cur, y.prev[subject], pct)
    return f"与上年相比，{what}{up}{n(d)}万元，{grow}{n(p)}%。主要原因：根据工作任务调整项目支出预算，相关费用相应变化。"


def narrative(w: Writer, y: DeptYear) -> None:
    Y, tot, s = y.year, y.total, y.sangong
    w.add(f"# 第二部分 {y.dept}{Y}年度部门预算情况说明", "", "## 一、收入支出预算总体情况说明", "")
    w.para(f"{Y}年收入总计{n(tot)}万元，支出总计{n(tot)}万元，" + _change(y, "收支总计", tot, "收、支总计各"),
           tag="change:收支总计")
    w.add("## 二、收入预算总体情况说明", "")
    w.para(f"{Y}年收入合计{n(tot)}万元，其中：一般公共预算收入{n(tot)}万元；政府性基金预算收入0.00万元；国有资本经营预算收入"
           "0.00万元；财政专户管理资金收入0.00万元。")
    w.add("## 三、支出预算总体情况说明", "")
    w.para(f"{Y}年支出合计{n(tot)}万元，其中：基本支出{n(y.basic)}万元，占{n(pct(y.basic, tot))}%；项目支出"
           f"{n(y.project)}万元，占{n(pct(y.project, tot))}%。")
    w.add("## 四、财政拨款收入支出预算总体情况说明", "")
    w.para(f"{Y}年一般公共预算收支预算{n(tot)}万元，政府性基金收支预算0.00万元，国有资本经营收支预算0.00万元。"
           + _change(y, "财政拨款收支总计", tot, "一般公共预算收支预算"), tag="change:财政拨款收支总计")
    w.add("## 五、一般公共预算支出预算情况说明", "")
    parts = [f"{name}{n(sum(y.func_total(code)))}万元，占{n(pct(sum(y.func_total(code)), tot))}%"
             for code, name in CLASSES if any(i.code.startswith(code) for i in y.items)]
    w.para(f"{Y}年一般公共预算支出年初预算为{n(tot)}万元。其中支出主要用于以下方面：" + "；".join(parts) + "。")
    w.add("## 六、一般公共预算基本支出预算情况说明", "")
    w.para(f"{Y}年本年一般公共预算基本支出{n(y.basic)}万元，其中：人员经费{n(y.personnel)}万元，主要包括：基本工资、津贴补贴、"
           f"奖金、绩效工资、社会保障缴费、住房公积金；公用经费{n(y.public)}万元，主要包括：办公费、印刷费、水费、差旅费、"
           "劳务费、委托业务费、工会经费、福利费、公务用车运行维护费、其他商品和服务支出。")
    w.add("## 七、政府性基金预算支出预算情况说明", "")
    w.para(f"我部门{Y}年没有使用政府性基金预算拨款安排的支出。")
    w.add("## 八、国有资本经营预算支出预算情况说明", "")
    w.para(f"我部门{Y}年没有使用国有资本经营预算拨款安排的支出。")
    w.add("## 九、一般公共预算“三公”经费支出预算情况说明", "")
    up, grow, d, p = change_words(s.total, y.prev["三公经费"], pct)
    w.para(f"{Y}年一般公共预算“三公”经费支出预算为{n(s.total)}万元，比上年预算数{up}{n(d)}万元，{grow}{n(p)}%，"
           "主要原因：按规定控制相关业务支出。", tag="change:三公经费")
    w.para(f"具体支出情况如下：（一）因公出国（境）费{n(s.abroad)}万元。（二）公务用车购置及运行费{n(s.car)}万元，其中：公务用车"
           f"购置费{n(s.purchase)}万元，公务用车运行维护费{n(s.running)}万元。（三）公务接待费{n(s.reception)}万元，主要用于"
           "按规定开支的各类公务接待支出。")
    w.add("## 十、其他重要事项的情况说明", "", "### （一）机关（机构）运行经费支出情况", "")
    w.para("我单位不是行政机关，也不是参照公务员法管理的事业单位，没有机关运行经费预算。")
    w.add("### （二）政府采购支出情况", "")
    w.para(f"我部门{Y}年没有安排政府采购支出预算。")
    w.add("### （三）预算绩效管理工作开展情况", "")
    w.para(f"{Y}年，我部门纳入预算绩效管理的支出总额为{n(tot)}万元，其中：基本支出{n(y.basic)}万元；项目支出"
           f"{n(y.project)}万元。")
    w.add("### （四）国有资产占用情况", "")
    w.para(f"上年期末，我部门共有车辆{y.vehicles}辆；单位价值50万元以上通用设备0台（套），单位价值100万元以上专用设备0台（套）。")


def render_budget(y: DeptYear, seed_lines: list[str], seed_name: str) -> Writer:
    w = Writer()
    w.add(SYNTHETIC_MARK.format(seed=seed_name), "", f"{y.dept}{y.year}年度部门预算", "")
    w.add(f"# 第一部分 {y.dept}部门概况", "", "## 一、部门职责")
    w.add(*seed_section(seed_lines, "一、部门职责", "二、机构设置"), "")
    w.add("## 二、预算部门构成", "", f"本预算为{y.dept}部门预算，无所属单位预算在内汇总预算。", "")
    narrative(w, y)
    w.add("# 第三部分 名词解释", "")
    w.add(*seed_section(seed_lines, "第四部分 名词解释", "第五部分"), "")
    w.add(f"# 附件：{y.dept}{y.year}年度部门预算表", "")
    tables(w, y)
    return w

