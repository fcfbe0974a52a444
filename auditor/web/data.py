"""The workbench's data: the DuckDB store (documents written by the workbench or by ``auditor batch``), each
document's view (auditor.web.view, or for a batch document its JSON report and the store's rows), the verdicts and
the archive overview. One connection, used under a lock by the server's threads (the server is the store's single
writer while it runs)."""
from __future__ import annotations

import hashlib
import json
import os
import threading
from typing import Optional

from .. import __version__
from ..batch.model import DocOutcome
from ..store import Store
from ..store.verdicts import key_of, set_verdict, verdicts_of

DOC_COLS = ("path, rel, sha256, size_bytes, format, encoding, pages, department, dept_key, year, kind, unit, status, "
            "error, tables, cells, claims, claims_checked, errors, warnings, infos, cross_errors, cross_warnings, "
            "cross_infos, reports, seconds, strftime(audited_at, '%Y-%m-%d %H:%M:%S') AS audited_at")
SECTION_NONE = "(表格)"


def doc_id(path: str) -> str:
    """A document's id in URLs: the first 16 hex digits of the MD5 of its store key (its absolute path)."""
    return hashlib.md5(path.encode("utf-8")).hexdigest()[:16]


def inside(base: str, rel: str) -> Optional[str]:
    """``base/rel`` when it stays inside ``base`` (no ``..``, no absolute path, no symlink out), else None."""
    base = os.path.realpath(base)
    p = os.path.realpath(os.path.join(base, rel))
    return p if os.path.commonpath([base, p]) == base and p != base else None


class WebData:
    def __init__(self, db: str, data_dir: str):
        self.db, self.data = os.path.abspath(db), os.path.abspath(data_dir)
        os.makedirs(os.path.join(self.data, "reports"), exist_ok=True)
        self.store = Store(self.db)
        self.lock = threading.RLock()
        self.batch_dir = os.path.dirname(self.db)  # a batch's reports are OUTDIR/reports/… beside OUTDIR/auditor.duckdb

    def close(self) -> None:
        with self.lock:
            self.store.close()

    def rows(self, sql: str, params=()) -> list[dict]:
        with self.lock:
            cur = self.store.con.execute(sql, list(params))
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

    # ------------------------------------------------------------------ documents
    def documents(self) -> list[dict]:
        return [self._doc(r) for r in self.rows(f"SELECT {DOC_COLS} FROM documents ORDER BY audited_at DESC, rel")]

    def document(self, id_: str) -> Optional[dict]:
        rows = self.rows(f"SELECT {DOC_COLS} FROM documents WHERE substr(md5(path), 1, 16) = ?", [id_])
        return self._doc(rows[0]) if rows else None

    @staticmethod
    def _doc(r: dict) -> dict:
        r["id"] = doc_id(r["path"])
        r["reports"] = json.loads(r["reports"]) if r.get("reports") else {}
        return r

    def paths(self) -> set[str]:
        return {r["path"] for r in self.rows("SELECT path FROM documents")}

    def write_outcome(self, o: DocOutcome, name: str) -> None:
        """One audited upload: its view file, then its store rows in one transaction (as auditor batch writes them)."""
        t, c = o.task, o.counts
        reports = {}
        view = o.reports.get("web")
        if view is not None and o.ok:
            rel = f"reports/{doc_id(t.path)}.json"
            tmp = os.path.join(self.data, rel + ".part")
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(view)
            os.replace(tmp, os.path.join(self.data, rel))
            reports["web"] = rel
        row = (t.path, name, t.sha256, t.size, __version__, o.format, o.encoding, o.pages, o.department, o.dept_key,
               o.year, o.kind, o.unit, o.status, o.error, c.get("tables"), c.get("cells"), c.get("claims"),
               c.get("claims_checked"), c.get("errors"), c.get("warnings"), c.get("infos"), 0, 0, 0,
               json.dumps(reports), round(o.seconds, 4), round(o.rss_mb, 1), o.audited_at or None)
        facts = [(t.path, o.dept_key, o.year, o.kind, None if o.facts is None else json.dumps(o.facts))] if o.ok else []
        with self.lock:
            self.store.write_document(row, {"tables_cells": o.cells, "claims": o.claims, "findings": o.findings,
                                            "findings_evidence": o.evidence, "facts": facts})

    # ------------------------------------------------------------------ one document's view
    def view(self, doc: dict) -> dict:
        """{report, findings, tables, lines}: ``findings`` in report order, each the report's finding plus its
        ``id`` (D1…, Y1…), ``fid`` (the API's finding id), ``boxes`` and ``verdict`` (or None)."""
        v = self._web_view(doc) or self._batch_view(doc)
        ids = [f"D{i}" for i in range(1, len(v["report"]["findings"]) + 1)]
        findings = [dict(f, id=i, boxes=b) for f, i, b in zip(v["report"]["findings"], ids, v["boxes"])]
        findings += self.store_findings(doc["path"], "archive")
        with self.lock:
            verdicts = verdicts_of(self.store.con, doc["sha256"]) if doc.get("sha256") else {}
        for f in findings:
            f["fid"] = f"{doc['id']}-{f['id']}"
            f["verdict"] = verdicts.get(key_of(f))
            f["section"] = f.get("section") or SECTION_NONE
        files = v.get("files") or [{"path": doc["path"], "sha256": doc["sha256"]}]
        return {"report": v["report"], "findings": findings, "tables": v["tables"], "lines": v["lines"],
                "files": files}

    def _web_view(self, doc: dict) -> Optional[dict]:
        rel = doc["reports"].get("web")
        p = inside(self.data, rel) if rel else None
        if not p or not os.path.isfile(p):
            return None
        with open(p, encoding="utf-8") as fh:
            return json.load(fh)

    def _batch_view(self, doc: dict) -> dict:
        """A document audited by ``auditor batch``: its JSON report when it is on disk (else the store's findings),
        its tables from the store, its lines from the source file; no boxes (the batch does not keep them)."""
        report = None
        rel = doc["reports"].get("json")
        p = inside(self.batch_dir, rel) if rel else None
        if p and os.path.isfile(p):
            with open(p, encoding="utf-8") as fh:
                report = json.load(fh)
        if report is None:
            fs = self.store_findings(doc["path"], "document")
            report = {"schema": "auditor.report/1",
                      "source": {"path": doc["path"], "sha256": doc["sha256"], "format": doc["format"],
                                 "pages": doc["pages"]},
                      "document": {k: doc[k] for k in ("department", "year", "kind", "unit")},
                      "tables": [], "claims": [], "findings": [{k: v for k, v in f.items() if k != "id"} for f in fs],
                      "summary": {"errors": doc["errors"], "warnings": doc["warnings"], "infos": doc["infos"],
                                  "claims": doc["claims"], "claims_checked": doc["claims_checked"]}}
        return {"report": report, "boxes": [[] for _ in report["findings"]], "tables": self.store_tables(doc["path"]),
                "lines": _file_lines(doc)}

    def store_findings(self, path: str, scope: str) -> list[dict]:
        fs = self.rows("SELECT finding_id AS id, rule, title, severity, message, line, page, section, stated, "
                       "expected, tolerance FROM findings WHERE doc = ? AND scope = ? "
                       "ORDER BY len(finding_id), finding_id", [path, scope])
        ev = self.rows("SELECT finding_id, line, page, table_id AS \"table\", row_key AS row, column_name AS \"column\", "
                       "value, text, path FROM findings_evidence WHERE doc = ? ORDER BY seq", [path])
        by: dict[str, list] = {}
        for e in ev:
            by.setdefault(e.pop("finding_id"), []).append(e)
        for f in fs:
            f["evidence"], f["boxes"] = by.get(f["id"], []), []
        return fs

    def store_tables(self, path: str) -> dict[str, dict]:
        grids: dict[str, dict] = {}
        for r in self.rows("SELECT table_id, title, unit, row_key, code, name, column_name, raw, page, line "
                           "FROM tables_cells WHERE doc = ? ORDER BY rowid", [path]):
            g = grids.setdefault(r["table_id"], {"title": r["title"], "unit": r["unit"], "page": r["page"],
                                                 "line": r["line"], "columns": [], "rows": [], "_rows": {}})
            if r["column_name"] not in g["columns"]:
                g["columns"].append(r["column_name"])
            row = g["_rows"].get(r["row_key"])
            if row is None:
                row = g["_rows"][r["row_key"]] = {"key": r["row_key"], "code": r["code"], "name": r["name"], "cells": {}}
                g["rows"].append(row)
            row["cells"][r["column_name"]] = r["raw"]
        for g in grids.values():
            del g["_rows"]
        return grids

    # ------------------------------------------------------------------ verdicts
    def set_verdict(self, doc: dict, finding: dict, verdict: str, note: str) -> dict:
        with self.lock:
            return set_verdict(self.store.con, doc["sha256"], finding, verdict, note, doc["path"], finding["id"])

    # ------------------------------------------------------------------ archive
    def archive(self) -> dict:
        """Documents by department and year (预算 and 决算 side by side) and the cross-document findings."""
        groups: dict[tuple, dict] = {}
        for d in self.documents():
            dept = d["department"] or d["dept_key"] or "（未识别部门）"
            key = (d["dept_key"] or dept, d["year"] or 0)
            g = groups.setdefault(key, {"department": dept, "year": d["year"], "预算": [], "决算": [], "其他": []})
            g[d["kind"] if d["kind"] in ("预算", "决算") else "其他"].append(d)
        cross = self.rows("SELECT substr(md5(f.doc), 1, 16) AS doc_id, f.finding_id, f.rule, f.title, f.severity, "
                          "f.message, d.rel, d.department, d.year, d.kind FROM findings f "
                          "JOIN documents d ON d.path = f.doc WHERE f.scope = 'archive' "
                          "ORDER BY d.department, d.year, f.finding_id")
        rows = [groups[k] for k in sorted(groups, key=lambda k: (str(k[0]), k[1]))]
        return {"groups": rows, "cross": cross}


def _file_lines(doc: dict) -> dict[str, str]:
    if doc.get("format") != "text" or not os.path.isfile(doc["path"]):
        return {}
    try:
        with open(doc["path"], encoding=doc.get("encoding") or "utf-8", errors="replace") as fh:
            return {str(i): line.rstrip("\n") for i, line in enumerate(fh, 1)}
    except (OSError, LookupError):
        return {}
