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

    if _xlsx_needs_output(a.format, a.output):
        return 2
    docs, rc = _each(a.paths, load_disclosure)
    if docs:
        _out(render_tables(docs, a.format), a.output)
    return rc


def cmd_check(a) -> int:
    from .pipeline import audit
    from .read import find_documents
    from .report.findings import FINDING_RENDERERS as FORMATS, render_findings

    formats = [f.strip() for f in a.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        print(f"错误 error: 未知格式 {','.join(bad) or a.format} / unknown format; 可用 available: {', '.join(sorted(FORMATS))}",
              file=sys.stderr)
        return 2
    to_dir = bool(a.output) and (a.output.endswith(("/", "\\")) or os.path.isdir(a.output) or len(formats) > 1)
    if not to_dir and len(formats) > 1:
        print("错误 error: 多种格式需要 -o 目录 / several formats need -o DIR", file=sys.stderr)
        return 2
    if not to_dir and _xlsx_needs_output(formats[0], a.output):
        return 2
    docs = [(p, _report_name(p, a.paths)) for p in find_documents(a.paths)]
    if not docs:
        print("错误 error: 没有找到可审核的文件 / no document found", file=sys.stderr)
        return 2
    from .pipeline import load_disclosures

    loaded, errors = load_disclosures([p for p, _ in docs], group=a.group)
    for e in errors:
        print(f"错误 error: {e}", file=sys.stderr)
    results, rc = _each(loaded, lambda d: audit(d, _codes(a.select), _codes(a.ignore)))
    rc = rc or (2 if errors else 0)
    if to_dir:
        from .report.outdir import write_report_dir

        names = {str(p): name for p, name in docs}
        write_report_dir(results, [names[r.doc.source.path] for r in results], a.output, formats)
    elif results:
        opts = {"color": sys.stdout.isatty() and not a.output} if formats[0] == "text" else {}
        _out(render_findings(results, formats[0], **opts), a.output)
    if rc:
        return rc
    return 1 if any(r.count("error") for r in results) else 0


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

    for code, r in sorted(RULES.items()):
        print(f"{code}  {r.family:5}  {r.severity:7}  {r.title}")
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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="auditor", description="部门预算/决算公开审核工具 — audits budget and final-accounts disclosures")
    p.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("tables", help="识别并输出标准表格 / print the recognised standard tables")
    t.add_argument("paths", nargs="+", metavar="PATH")
    t.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default="text")
    t.add_argument("-o", "--output", metavar="OUT")
    t.set_defaults(func=cmd_tables)

    c = sub.add_parser("check", help="审核并输出问题清单 / audit and report discrepancies")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--format", default="text", metavar="FMT[,FMT...]",
                   help="text | json | html | md | xlsx | csv；多种格式逗号分隔（需 -o 目录）")
    c.add_argument("-o", "--output", metavar="OUT", help="输出文件；或目录（以 / 结尾、已存在或多种格式时）：每个文件一份报告")
    c.add_argument("--select", metavar="CODES", help="只运行这些规则（逗号分隔，可用前缀如 T,N01）")
    c.add_argument("--ignore", metavar="CODES", help="不运行这些规则")
    c.add_argument("--group", action="store_true",
                   help="给出的全部文件是同一份公开（如说明与表格分两个文件）/ all files given are one disclosure")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("rules", help="列出全部规则 / list the rules")
    r.set_defaults(func=cmd_rules)
    r1 = sub.add_parser("rule", help="规则说明 / document one rule")
    r1.add_argument("code")
    r1.set_defaults(func=cmd_rule)

    cl = sub.add_parser("claims", help="抽取说明中的数字陈述 / extract the narrative's claims")
    cl.add_argument("path", metavar="PATH")
    cl.add_argument("--format", choices=["text", "json"], default="text")
    cl.set_defaults(func=cmd_claims)

    from .batch.cli import add_batch_parser
    from .store.query import add_query_parser

    add_batch_parser(sub)
    add_query_parser(sub)
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
    except Exception as e:  # a bug must still not show a traceback to a reviewer
        print(f"内部错误 internal error: {type(e).__name__}: {e} (AUDITOR_DEBUG=1 显示详情 / for details)", file=sys.stderr)
        import os

        if os.environ.get("AUDITOR_DEBUG"):
            raise
        return 2
