"""Command line: `auditor <command>`; every bad input is one clear line and exit 2, never a traceback."""
from __future__ import annotations

import argparse
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


def cmd_tables(a) -> int:
    from .pipeline import load_document
    from .report.tables import render_tables

    rc = 0
    docs = []
    for path in a.paths:
        try:
            doc = load_document(path)
            if not doc.tables:
                raise InputError(path, "未识别到任何标准表格（不是预决算公开文件？）",
                                 "no standard table recognised (not a budget/final-accounts disclosure?)")
            docs.append(doc)
        except InputError as e:
            print(f"错误 error: {e}", file=sys.stderr)
            rc = 2
    if docs:
        if a.format == "xlsx" and not a.output:
            print("错误 error: xlsx 输出需要 -o 文件名 / xlsx output needs -o FILE", file=sys.stderr)
            return 2
        _out(render_tables(docs, a.format), a.output)
    return rc


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="auditor", description="部门预算/决算公开审核工具 — audits budget and final-accounts disclosures")
    p.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("tables", help="识别并输出标准表格 / print the recognised standard tables")
    t.add_argument("paths", nargs="+", metavar="PATH")
    t.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default="text")
    t.add_argument("-o", "--output", metavar="OUT")
    t.set_defaults(func=cmd_tables)
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
