"""Command line: `auditor <command>`; every bad input is one clear line and exit 2, never a traceback."""
from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .errors import InputError


def _out(text: str | bytes, out: str | None) -> None:
    if out:
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(out, mode, **({} if isinstance(text, bytes) else {"encoding": "utf-8"})) as fh:
            fh.write(text)
    else:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _each(paths, load):
    """load() every path; a bad one is one clear line on stderr and never stops the others. -> (results, rc)"""
    out, rc = [], 0
    for path in paths:
        try:
            out.append(load(path))
        except InputError as e:
            print(f"错误 error: {e}", file=sys.stderr)
            rc = 2
    return out, rc


def _xlsx_needs_output(fmt: str, output: str | None) -> bool:
    if fmt == "xlsx" and not output:
        print("错误 error: xlsx 输出需要 -o 文件名 / xlsx output needs -o FILE", file=sys.stderr)
        return True
    return False


def cmd_tables(a) -> int:
    from .pipeline import load_disclosure
    from .report.tables import render_tables

    fmt = a.format or format_from_name(a.output, ("text", "json", "csv", "xlsx")) or "text"
    if _xlsx_needs_output(fmt, a.output):
        return 2
    docs, rc = _each(a.paths, load_disclosure)
    if docs:
        _out(render_tables(docs, fmt), a.output)
        if a.output:
            print(f"已写入 wrote {a.output}（{fmt}，表格 {sum(len(d.tables) for d in docs)} 张）")
    return rc


def format_from_name(output: str | None, formats) -> str | None:
    """The report format an output file's extension names (report.html -> html, .txt -> text), if any."""
    from .report import EXTENSIONS

    if not output or output.endswith(("/", "\\")):
        return None
    ext = os.path.splitext(output)[1].lower()
    return next((f for f, e in EXTENSIONS.items() if e == ext and f in formats), None)


def cmd_check(a) -> int:
    from .pipeline import audit
    from .read import find_documents
    from .report.findings import FINDING_RENDERERS as FORMATS, render_findings

    fmt = a.format or format_from_name(a.output, FORMATS) or "text"
    formats = [f.strip() for f in fmt.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        print(f"错误 error: 未知格式 {','.join(bad) or fmt} / unknown format; 可用 available: {', '.join(sorted(FORMATS))}",
              file=sys.stderr)
        return 2
    if unknown_rule_codes(a.select, a.ignore):
        return 2
    to_dir = bool(a.output) and (a.output.endswith(("/", "\\")) or os.path.isdir(a.output) or len(formats) > 1)
    if not to_dir and len(formats) > 1:
        print("错误 error: 多种格式需要 -o 目录 / several formats need -o DIR", file=sys.stderr)
        return 2
    if not to_dir and _xlsx_needs_output(formats[0], a.output):
        return 2
    docs = [(p, _report_name(p, a.paths)) for p in find_documents(a.paths)]
    if not docs:
        from .read import DOCUMENT_SUFFIXES

        exts = " ".join(sorted(DOCUMENT_SUFFIXES))
        print(f"错误 error: {' '.join(a.paths)}: 没有找到可审核的文件（支持 {exts}） / no document found "
              f"(accepted: {exts})", file=sys.stderr)
        return 2
    from .budget import Budget
    from .pipeline import load_disclosures
    from .report.findings import NOT_UNDERSTOOD_EN, NOT_UNDERSTOOD_ZH, narrative_not_understood

    budget = Budget(seconds=a.timeout or None)
    loaded, errors = load_disclosures([p for p, _ in docs], group=a.group, budget=budget)
    for e in errors:
        print(f"错误 error: {e}", file=sys.stderr)
    results, rc = _each(loaded, lambda d: audit(d, _codes(a.select), _codes(a.ignore), budget))
    rc = rc or (2 if errors else 0)
    for r in results:
        if narrative_not_understood(r):
            print(f"警告 warning: {r.doc.source.path}: {NOT_UNDERSTOOD_ZH} / {NOT_UNDERSTOOD_EN}", file=sys.stderr)
    if to_dir:
        from .names import text_name
        from .report.outdir import write_report_dir

        names = {text_name(str(p)): text_name(name) for p, name in docs}  # as the reports name them
        written = write_report_dir(results, [names[r.doc.source.path] for r in results], a.output, formats)
        print(f"已写入 wrote {len(written) - 1} 份报告 reports（{', '.join(formats)}）到 to {a.output}，"
              f"索引 index {written[-1]}；{_totals(results)}")
    elif results:
        opts = {"color": sys.stdout.isatty() and not a.output} if formats[0] == "text" else {}
        _out(render_findings(results, formats[0], **opts), a.output)
        if a.output:
            print(f"已写入 wrote {a.output}（{formats[0]}）；{_totals(results)}")
    if rc:
        return rc
    return 1 if any(r.count("error") for r in results) else 0


def _totals(results) -> str:
    n = lambda sev: sum(r.count(sev) for r in results)  # noqa: E731
    return f"文件 {len(results)} 个，错误 {n('error')} 项，警告 {n('warning')} 项，提示 {n('info')} 项"


def unknown_rule_codes(*lists: str | None) -> bool:
    """An unknown code (or prefix) in --select/--ignore is a usage error (exit 2), not a silent clean report."""
    from .checks import RULES

    bad = [c for s in lists for c in (_codes(s) or []) if not any(code.startswith(c.strip().upper()) for code in RULES)]
    if bad:
        print(f"错误 error: 没有规则 unknown rule code: {', '.join(bad)}（auditor rules 列出全部规则 / lists the rules）",
              file=sys.stderr)
    return bool(bad)


def _report_name(path, given) -> str:
    """The report's name: the document's path below the folder it was found in (or its file name), no suffix."""
    from pathlib import Path

    p = Path(path)
    for g in given:
        g = Path(g)
        if g.is_dir():
            try:
                return str(p.relative_to(g).with_suffix(""))
            except ValueError:
                continue
    return p.stem


def _codes(s):
    return [c for c in (s or "").split(",") if c.strip()] or None


def cmd_rules(a) -> int:
    from .checks import RULES
    from .report.findings import SEVERITY_ZH
    from .store.query import text_table

    rows = [(code, r.family, f"{SEVERITY_ZH.get(r.severity, r.severity)} {r.severity}", r.scope, r.title)
            for code, r in sorted(RULES.items())]
    print(text_table(["规则 rule", "类别 family", "级别 severity", "范围 scope", "标题 title"], rows))
    return 0


def cmd_rule(a) -> int:
    from .checks import RULES

    r = RULES.get(a.code.upper())
    if r is None:
        print(f"错误 error: 没有规则 {a.code} / no rule {a.code}（auditor rules 列出全部规则）", file=sys.stderr)
        return 2
    print(f"{r.code} {r.title}\n类别 family: {r.family}   默认级别 severity: {r.severity}\n\n{r.doc}")
    return 0


def cmd_claims(a) -> int:
    import json

    from .claims import extract_claims
    from .pipeline import load_document

    doc = load_document(a.path)
    claims, cov = extract_claims(doc)
    if a.format == "json":
        from .report.findings import claim_dict

        print(json.dumps({"source": doc.source.path, "claims": [claim_dict(c) for c in claims],
                          "coverage": cov.as_dict()}, ensure_ascii=False, indent=1))
    else:
        for c in claims:
            where = c.prov.where() if c.prov else "?"
            print(f"{where:10} {c.kind:13} {c.raw:>10} {c.unit or '':4} 主语={c.subject or '-'} 期间={c.period or '-'} "
                  f"{('基数=' + c.base) if c.base else ''}")
        print(f"# 数字 {cov.numbers}，属于陈述 {cov.in_claims}，非陈述 {cov.not_claims}，未解释 {cov.unexplained}")
    return 0


CHECK_EPILOG = """PATH: 一个或多个文件（.txt .md .pdf .docx .xlsx）或文件夹（其下全部此类文件，递归）/ files or folders.
-o OUT: 一个文件（未给 --format 时按扩展名 .html .json .md .csv .xlsx .txt 选择格式）；或目录（以 / 结尾、已存在或多种格式时），
每个文件一份报告并写索引 README.md / a file (its extension picks the format) or a folder.
退出码 exit status: 0 没有错误级问题 / no error finding; 1 有错误级问题 / error findings;
2 用法或输入错误（文件不存在、不支持的格式、未知规则……）/ usage or input error; 130 中断 / interrupted."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="auditor", description="部门预算/决算公开审核工具 — audits budget and final-accounts disclosures")
    p.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    raw = argparse.RawDescriptionHelpFormatter

    t = sub.add_parser("tables", help="识别并输出标准表格 / print the recognised standard tables",
                       description="识别文件中的标准表格（决算公开01–09表、预算01–14表、附件自评表）并输出每行每列的数值 / "
                                   "print the standard tables recognised in each document, row by row and column by column")
    t.add_argument("paths", nargs="+", metavar="PATH", help="文件 / document files")
    t.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default=None,
                   help="默认按 -o 的扩展名，否则 text / default: from the -o extension, else text")
    t.add_argument("-o", "--output", metavar="OUT", help="输出文件（xlsx 必需）/ output file (needed for xlsx)")
    t.set_defaults(func=cmd_tables)

    c = sub.add_parser("check", help="审核并输出问题清单 / audit and report discrepancies", epilog=CHECK_EPILOG,
                       description="审核文件：说明与表格、表内与表间勾稽、说明内计算、文字与数字 / audit documents",
                       formatter_class=raw)
    c.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹 / files or folders")
    c.add_argument("--format", default=None, metavar="FMT[,FMT...]",
                   help="text | json | html | md | xlsx | csv；默认按 -o 的扩展名，否则 text；多种格式逗号分隔（需 -o 目录）")
    c.add_argument("-o", "--output", metavar="OUT", help="输出文件；或目录（以 / 结尾、已存在或多种格式时）：每个文件一份报告")
    c.add_argument("--select", metavar="CODES", help="只运行这些规则（逗号分隔，可用前缀如 T,N01；未知代码报错）")
    c.add_argument("--ignore", metavar="CODES", help="不运行这些规则（同上）")
    c.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="单个文件的审核时限（秒，默认 60，0 不限）/ per-document time budget")
    c.add_argument("--group", action="store_true",
                   help="给出的全部文件是同一份公开（如说明与表格分两个文件）/ all files given are one disclosure")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("rules", help="列出全部规则 / list the rules",
                       description="列出全部规则：代码、类别、默认级别、范围（document 单个文件 / archive 仅 batch）、标题")
    r.set_defaults(func=cmd_rules)
    r1 = sub.add_parser("rule", help="规则说明 / document one rule",
                        description="一条规则的说明，含失败与通过的示例 / one rule's documentation with a failing and a "
                                    "passing example")
    r1.add_argument("code", help="规则代码，如 N01 / a rule code (auditor rules lists them)")
    r1.set_defaults(func=cmd_rule)

    cl = sub.add_parser("claims", help="抽取说明中的数字陈述 / extract the narrative's claims",
                        description="说明中的每个数字陈述（类型、主语、期间、基数）及覆盖率 / every figure stated in the "
                                    "narrative (kind, subject, period, base) and the coverage counts")
    cl.add_argument("path", metavar="PATH", help="一个文件 / one document")
    cl.add_argument("--format", choices=["text", "json"], default="text")
    cl.set_defaults(func=cmd_claims)

    from .batch.cli import add_batch_parser
    from .store.query import add_query_parser

    add_batch_parser(sub)
    add_query_parser(sub)
    from .web.cli import add_serve_parser  # `auditor serve` (docs/WEB.md)

    add_serve_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        a = parser.parse_args(argv)
    except SystemExit as e:  # argparse already printed a usage line
        return 2 if e.code else 0
    try:
        return a.func(a)
    except InputError as e:
        print(f"错误 error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `auditor rule N01 | head -1`: the reader left; no message, no traceback at exit
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        return 0
    except Exception as e:  # a bug must still not show a traceback to a reviewer
        print(f"内部错误 internal error: {type(e).__name__}: {e} (AUDITOR_DEBUG=1 显示详情 / for details)", file=sys.stderr)
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        return 2
