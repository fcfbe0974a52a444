"""`auditor batch DIR... -o OUTDIR`: the argument parser and what the command prints."""
from __future__ import annotations

import argparse
import sys

from .model import REPORT_SUFFIX, STATUS_ZH

EPILOG = """退出码 exit status: 0 全部审核且无错误 / every document audited, no error finding;
1 有错误级问题（含跨文件规则）或有无法审核的文件 / an error finding (document or cross-document rules) or a
document that could not be audited; 2 用法或输入错误 / usage or input error; 130 中断 / interrupted
(重新运行同一命令即可继续 / run the same command again to continue)."""


def add_batch_parser(sub) -> None:
    b = sub.add_parser("batch", help="批量审核文件夹并建立数据库 / audit whole folders into reports and a store",
                       epilog=EPILOG)
    b.add_argument("dirs", nargs="+", metavar="DIR", help="文件夹（或文件）/ folders (or files)")
    b.add_argument("-o", "--output", metavar="OUTDIR", required=True, help="输出文件夹 / output folder")
    b.add_argument("--jobs", type=_positive_int, metavar="N", help="并行进程数（默认：全部核心）/ worker processes")
    b.add_argument("--db", metavar="FILE", help="DuckDB 数据库（默认 OUTDIR/auditor.duckdb）")
    b.add_argument("--format", default="json,html", metavar="FMTS",
                   help=f"每个文件的报告格式，逗号分隔（{','.join(REPORT_SUFFIX)}；默认 json,html）")
    b.add_argument("--force", action="store_true", help="重新审核未改变的文件 / redo unchanged documents")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local 本机进程池（默认）；dask 在 Dask 集群上运行 / a local process pool or a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask 调度器地址（--engine dask）/ Dask scheduler address")
    b.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="单个文件的审核时限（秒，默认 60，0 不限；超过即报告“超出时间/大小限制”）/ per-document time budget")
    b.add_argument("--max-mb", type=float, default=100.0, metavar="MB",
                   help="PDF/DOCX/XLSX 文件大小上限（文本文件为其十分之一）/ size limit")
    b.set_defaults(func=cmd_batch)


def _positive_int(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"需要正整数 / a positive integer is needed: {s}")
    return n


def cmd_batch(a) -> int:
    from .runner import BatchOptions, run_batch

    formats = tuple(dict.fromkeys(f.strip() for f in a.format.split(",") if f.strip()))
    bad = [f for f in formats if f not in REPORT_SUFFIX]
    if bad or not formats:
        print(f"错误 error: 未知的报告格式 unknown report format: {','.join(bad) or a.format} "
              f"(可选 {', '.join(REPORT_SUFFIX)})", file=sys.stderr)
        return 2
    if a.scheduler and a.engine != "dask":
        print("错误 error: --scheduler 需要 --engine dask / --scheduler needs --engine dask", file=sys.stderr)
        return 2
    opts = BatchOptions(list(a.dirs), a.output, jobs=a.jobs, db=a.db, formats=formats, force=a.force,
                        engine=a.engine, scheduler=a.scheduler, timeout=a.timeout or None, max_mb=a.max_mb)
    s = run_batch(opts)
    print_summary(s)
    return s.exit_code


def print_summary(s, out=None, err=None) -> None:
    out, err = out or sys.stdout, err or sys.stderr
    for rel, reason in s.not_disclosures:
        print(f"{rel}: {reason}", file=out)
    for rel, status, reason in s.failures:
        print(f"无法审核 failed [{STATUS_ZH.get(status, status)}] {rel}: {reason}", file=err)
    if s.interrupted:
        print(f"已中断 interrupted：本次已完成的 {s.audited} 个文件已保存在 {s.db}；重新运行同一命令将从中断处继续 / "
              f"results so far are saved; run the same command again to continue", file=err)
        return
    print(f"完成 done：文件 {s.documents} 个（本次审核 {s.audited}，未改变而跳过 {s.skipped}，无法审核 {s.failed}"
          f"{f'，不是预决算公开文件而跳过 {len(s.not_disclosures)}' if s.not_disclosures else ''}）；"
          f"错误 {s.errors} 项，跨文件错误 {s.cross_errors} 项；用时 {s.seconds:.1f} 秒", file=out)
    if s.cross_note:
        print(f"注意 note: {s.cross_note}", file=out)
    print(f"总览 overview: {s.outdir}/index.html · 数据库 store: {s.db}", file=out)
