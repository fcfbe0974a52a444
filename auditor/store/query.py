"""`auditor query "SQL"`: read-only SQL over the store, printed as an aligned text table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
import unicodedata

from ..errors import InputError
from . import connect

MAX_TEXT_CELL = 60  # characters of one cell in the text table (csv and json print everything)


def run_query(db: str, sql: str) -> tuple[list[str], list[tuple]]:
    """Columns and rows of ``sql`` on the store ``db`` opened read-only (so no statement can change it)."""
    import duckdb

    con = connect(db, read_only=True)
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as e:
        msg = " ".join(str(e).split())
        if "read-only" in msg.lower() or "read only" in msg.lower():
            raise InputError(db, "数据库以只读方式打开，查询不能修改数据", f"the store is opened read-only ({msg})")
        raise InputError(db, "SQL 出错", f"SQL error: {msg}")
    finally:
        con.close()


def render(cols: list[str], rows: list[tuple], fmt: str) -> str | bytes:
    if fmt == "json":
        return json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, indent=1, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        w.writerows(["" if v is None else v for v in r] for r in rows)
        return buf.getvalue()
    return text_table(cols, rows)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cell(v) -> str:
    s = "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
    s = " ".join(s.split())
    return s if len(s) <= MAX_TEXT_CELL else s[: MAX_TEXT_CELL - 1] + "…"


def text_table(cols: list[str], rows: list[tuple]) -> str:
    """Columns aligned by display width (a CJK character is two columns wide), numbers right-aligned."""
    cells = [[_cell(v) for v in r] for r in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(cols)]
    numeric = [bool(rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in rows)
               for i in range(len(cols))]

    def line(vals: list[str]) -> str:
        out = []
        for v, w, num in zip(vals, widths, numeric):
            pad = " " * (w - _width(v))
            out.append(pad + v if num else v + pad)
        return "  ".join(out).rstrip()

    lines = [line(cols), "  ".join("-" * w for w in widths)] + [line(r) for r in cells]
    lines.append(f"（{len(rows)} 行 / rows）")
    return "\n".join(lines)


def add_query_parser(sub) -> None:
    q = sub.add_parser("query", help="用 SQL 查询批量审核数据库（只读）/ read-only SQL on the batch store",
                       epilog="表 tables: documents, tables_cells, claims, findings, findings_evidence, facts, meta "
                              "(docs/STORE.md)")
    q.add_argument("sql", metavar="SQL")
    q.add_argument("--db", default="auditor.duckdb", metavar="FILE|OUTDIR",
                   help="数据库文件，或 auditor batch 的输出文件夹 OUTDIR（即 OUTDIR/auditor.duckdb，与 batch 的默认相同）；"
                        "默认 ./auditor.duckdb / the store file, or the batch's output folder")
    q.add_argument("--format", choices=["text", "csv", "json"], default="text")
    q.set_defaults(func=cmd_query)


def store_path(db: str) -> str:
    """--db names the store file or the batch's output folder (which holds auditor.duckdb, as batch writes it)."""
    from pathlib import Path

    from ..errors import InputError

    p = Path(db)
    if p.is_dir():
        p = p / "auditor.duckdb"
    if not p.is_file():
        raise InputError(str(p), "数据库文件不存在（auditor batch DIR -o OUTDIR 写在 OUTDIR/auditor.duckdb，用 --db OUTDIR）",
                         "no such store (auditor batch -o OUTDIR writes OUTDIR/auditor.duckdb; pass --db OUTDIR)")
    return str(p)


def cmd_query(a) -> int:
    import sys

    cols, rows = run_query(store_path(a.db), a.sql)
    out = render(cols, rows, a.format)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
