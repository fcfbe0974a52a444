"""Read an Excel (.xlsx) workbook into ordered blocks: one sheet is one table.

Per sheet: the sheet name as a heading (unless blank), the leading one-cell rows (a title such as "收入支出决算总表",
"单位：万元") as text lines, then the rest of the sheet as one grid.  Cached values are read (``data_only``), floats
printed with two decimals, ints as they are.  Each grid cell carries its 1-based Excel row number as ``line``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path

from .. import budget
from ..budget import OverBudget
from ..errors import InputError
from ..model import Block, GridCell, Provenance, SourceInfo


def fmt(v) -> str:
    """A cell value as printed text: float with 2 decimals, int as is, None empty."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    return " ".join(str(v).replace("\u3000", " ").replace("\xa0", " ").split())


def _sheet_blocks(ws, path: str) -> list[Block]:
    blocks: list[Block] = []
    name = (ws.title or "").strip()
    if name:
        blocks.append(Block("heading", name, Provenance(path), level=1))
    rows: list[tuple[int, list[str]]] = []
    b = budget.current()
    if (getattr(ws, "max_column", None) or 0) > b.max_cols and hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # a declared size beyond the budget: rows as they are stored, checked one by one
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if r > b.max_rows or len(values) > b.max_cols:
            over = f"超过 {b.max_rows} 行" if r > b.max_rows else f"超过 {b.max_cols} 列"
            raise OverBudget(path, f"工作表“{name}”{over}", f"sheet {name!r} has more than "
                             + (f"{b.max_rows} rows" if r > b.max_rows else f"{b.max_cols} columns"))
        cells = [fmt(v) for v in values]
        if any(cells):
            rows.append((r, cells))
    if not rows:
        return blocks
    i = 0
    while i < len(rows) and sum(1 for c in rows[i][1] if c) == 1:
        r, cells = rows[i]
        blocks.append(Block("text", next(c for c in cells if c), Provenance(path, line=r)))
        i += 1
    body = rows[i:]
    if not body:
        return blocks
    ncol = max(max((j + 1 for j, c in enumerate(cells) if c), default=0) for _, cells in body)
    grid = [[GridCell(c, Provenance(path, line=r)) for c in (cells + [""] * ncol)[:ncol]] for r, cells in body]
    text = "\n".join(" ".join(c.text for c in row if c.text) for row in grid)
    blocks.append(Block("grid", text, Provenance(path, line=body[0][0]), grid=grid))
    return blocks


def read_xlsx(path: str | Path) -> tuple[SourceInfo, list[Block]]:
    p = Path(path)
    sp = str(p)
    data = p.read_bytes()
    info = SourceInfo(path=sp, format="xlsx", encoding=None, sha256=hashlib.sha256(data).hexdigest())
    wb = None
    budget.check_archive(p, sp)
    try:
        import openpyxl

        wb = openpyxl.load_workbook(sp, read_only=True, data_only=True)
        blocks: list[Block] = []
        for n, ws in enumerate(wb.worksheets, 1):
            blocks.extend(_sheet_blocks(ws, sp))
            budget.note(**{"个工作表": n})
    except OverBudget:
        raise
    except Exception:
        raise InputError(sp, "XLSX 文件已损坏或不是 Excel 文件", "broken XLSX or not an Excel file") from None
    finally:
        if wb is not None:
            try:
                wb.close()
            except Exception:
                pass
    return info, blocks
