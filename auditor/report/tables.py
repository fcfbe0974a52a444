"""`auditor tables`: the recognised tables of one or more documents as text, JSON, CSV or XLSX."""
from __future__ import annotations

import csv
import io
import json
from typing import Callable

from ..model import Document, Table

RENDERERS: dict[str, Callable[[list[Document]], str | bytes]] = {}


def register(fmt: str):
    def deco(fn):
        RENDERERS[fmt] = fn
        return fn
    return deco


def source_dict(doc: Document) -> dict:
    s = doc.source
    return {"path": s.path, "format": s.format, "encoding": s.encoding, "sha256": s.sha256, "pages": s.pages,
            "department": doc.department, "year": doc.year, "kind": doc.kind}


def table_dict(t: Table) -> dict:
    return {
        "id": t.id, "title": t.title, "printed_title": t.printed_title, "label": t.label, "family": t.family,
        "line": t.prov.line, "page": t.prov.page, "unit": t.unit, "column_units": dict(t.column_units),
        "empty": t.empty, "no_data_note": t.no_data_note is not None, "columns": list(t.columns),
        "rows": [
            {"key": r.key, "code": r.code, "name": r.name, "line": r.prov.line, "page": r.prov.page,
             "line_no": r.line_no, "values": {c: r.value(c) for c in t.columns},
             "cells": {c: {"raw": x.raw, "unit": x.unit or t.unit} for c, x in r.cells.items()}}
            for r in t.rows
        ],
    }


def doc_tables_dict(doc: Document) -> dict:
    return {"source": source_dict(doc), "tables": [table_dict(t) for t in doc.tables]}


@register("json")
def render_json(docs: list[Document]) -> str:
    data = [doc_tables_dict(d) for d in docs]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=1)


def _fmt(v) -> str:
    return "" if v is None else f"{v:,.2f}"


@register("text")
def render_text(docs: list[Document]) -> str:
    out: list[str] = []
    for d in docs:
        s = d.source
        out.append(f"# {s.path}  [{s.format}{', ' + s.encoding if s.encoding else ''}]  "
                   f"{d.department or '?'} {d.year or ''} {d.kind or ''}  识别表格 {len(d.tables)} 张")
        for t in d.tables:
            where = t.prov.where()
            flags = ("（通用表格：未对应标准表）" if t.family == "generic" else "") + ("（本表无数据）" if t.empty else "")
            units = "".join(f"；{c}：{u}" for c, u in t.column_units.items())
            out.append(f"\n## {t.id} {t.title}{flags}  — 原标题「{t.printed_title}」 {where} 单位：{t.unit}{units}")
            df = t.frame.copy()
            df.insert(0, "名称", [r.name or "" for r in t.rows])
            df.insert(0, "编码", [r.code or "" for r in t.rows])
            if t.rows:
                out.append(df.to_string(na_rep="", float_format=lambda v: f"{v:,.2f}"))
        out.append("")
    return "\n".join(out)


@register("csv")
def render_csv(docs: list[Document]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["source", "table", "title", "row", "code", "name", "column", "value", "raw", "unit", "line", "page"])
    for d in docs:
        for t in d.tables:
            for r, col, c in t.cells():
                w.writerow([d.source.path, t.id, t.title, r.key, r.code or "", r.name or "", col,
                            "" if c.value is None else c.value, c.raw, c.unit or t.unit, c.prov.line or "",
                            c.prov.page or ""])
    return buf.getvalue()


@register("xlsx")
def render_xlsx(docs: list[Document]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for di, d in enumerate(docs):
        for t in d.tables:
            name = (t.id if len(docs) == 1 else f"{di + 1}-{t.id}")[:31]
            while name in used:
                name = name[:28] + f"~{len(used)}"
            used.add(name)
            ws = wb.create_sheet(name)
            ws.append([t.title, t.printed_title, d.source.path])
            ws.append(["key", "code", "name", *t.columns, "line", "page"])
            for r in t.rows:
                ws.append([r.key, r.code, r.name, *[r.value(c) for c in t.columns], r.prov.line, r.prov.page])
            ws.freeze_panes = "D3"
    if not used:
        wb.create_sheet("empty")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_tables(docs: list[Document], fmt: str) -> str | bytes:
    return RENDERERS[fmt](docs)
