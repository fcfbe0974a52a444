"""The archive store: one DuckDB file holding documents, table cells (long format, with provenance), claims,
findings (+ evidence), and each document's facts for the cross-document rules. Schema: docs/STORE.md.

Single writer: only the batch parent process opens the store for writing; workers return plain rows
(auditor.store.rows). ``auditor query`` opens it read-only. DuckDB is imported only when a store is opened.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

from ..errors import InputError
from .schema import PER_DOCUMENT, SCHEMA_VERSION, TABLES, columns, ddl

SMALL = 4  # rows inserted as parameters rather than as numpy columns


@dataclass(frozen=True)
class Known:
    """What the store remembers of a document: enough to decide whether a re-run may skip it."""

    sha256: str
    auditor_version: str
    status: str
    errors: int
    has_facts: bool
    parts: Optional[str] = None  # JSON list of the paths of its group (a disclosure of several files)


_deferring: list[int] = []  # set while a (possibly nested) interrupts_deferred block runs


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C waits until the block is done, then raises KeyboardInterrupt: a transaction is never cut (DuckDB would
    turn an interrupt inside a statement into an error of its own). Nested blocks defer to the outermost."""
    if _deferring or threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    old = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    _deferring.append(1)
    try:
        yield
    finally:
        _deferring.pop()
        signal.signal(signal.SIGINT, old)
    if pending:
        raise KeyboardInterrupt


def connect(path: str, read_only: bool = False):
    """A DuckDB connection, or an InputError with a clear reason (missing file, locked by another process).
    Read-only connections also have no access to other files (no COPY TO, read_csv or ATTACH): SQL reads the store."""
    import os

    import duckdb

    if read_only and not os.path.exists(path):
        raise InputError(path, "数据库文件不存在（先运行 auditor batch，或用 --db 指定）",
                         "database not found (run auditor batch first, or give --db)")
    try:
        if read_only:
            return duckdb.connect(path, read_only=True, config={"enable_external_access": False})
        return duckdb.connect(path)
    except duckdb.Error as e:
        msg = str(e).splitlines()[0]
        if "lock" in msg.lower():
            raise InputError(path, "数据库正被另一个进程使用（另一个 auditor batch 正在运行？）",
                             f"database is in use by another process ({msg})")
        raise InputError(path, f"无法打开数据库（{msg}）", f"cannot open the database ({msg})")


class Store:
    def __init__(self, path: str):
        self.path = path
        self.con = connect(path)
        self.con.execute("SET threads TO 1")  # the workers have the cores; the writer's statements are small
        for stmt in ddl():
            self.con.execute(stmt)
        have = self.meta("schema_version")
        if have is None:
            self.set_meta("schema_version", SCHEMA_VERSION)
        elif have != SCHEMA_VERSION:
            self.close()
            raise InputError(path, f"数据库结构版本 {have} 与本程序的 {SCHEMA_VERSION} 不同，请换一个 --db 文件",
                             f"store schema version {have}, this auditor writes {SCHEMA_VERSION}: use a new --db file")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    # ------------------------------------------------------------------ meta
    def meta(self, key: str) -> Optional[str]:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("DELETE FROM meta WHERE key = ?", [key])
        self.con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])

    # ------------------------------------------------------------------ documents
    def known(self) -> dict[str, Known]:
        rows = self.con.execute("SELECT d.path, d.sha256, d.auditor_version, d.status, coalesce(d.errors, 0), "
                                "f.doc IS NOT NULL, d.parts FROM documents d LEFT JOIN facts f ON f.doc = d.path").fetchall()
        return {r[0]: Known(*r[1:]) for r in rows}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing, and never cut by Ctrl-C (it takes effect when the transaction is over)."""
        with interrupts_deferred():
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise

    def write_document(self, doc_row: tuple, rows: dict[str, list[tuple]], replace: bool = True) -> None:
        """One document in one transaction: its documents row and its rows of the per-document tables. With
        ``replace`` whatever the store held for the document before is deleted first."""
        self.write_documents([(doc_row, rows, replace)])

    def write_documents(self, docs: list[tuple[tuple, dict[str, list[tuple]], bool]]) -> None:
        """Several documents (doc_row, rows, replace) in one transaction: all of them or none. One insert per table
        for the whole group, which is what keeps the single writer ahead of the workers."""
        if not docs:
            return
        old = [row[0] for row, _, replace in docs if replace]
        merged: dict[str, list[tuple]] = {}
        for _, rows, _ in docs:
            for t, rs in rows.items():
                merged.setdefault(t, []).extend(rs)
        with self.transaction():
            if old:
                self.con.execute("DELETE FROM documents WHERE list_contains(?, path)", [old])
                for t in PER_DOCUMENT:
                    self.con.execute(f"DELETE FROM {t} WHERE list_contains(?, doc)", [old])
            n = len(TABLES["documents"])  # a row built before a column was added (ADDED) leaves it NULL
            self._insert("documents", [row + (None,) * (n - len(row)) for row, _, _ in docs])
            for t, rs in merged.items():
                self._insert(t, rs)

    def replace_archive_findings(self, docs: list[str], findings: list[tuple], evidence: list[tuple],
                                 counts: dict[str, tuple[int, int, int]]) -> None:
        """The cross-document findings of ``docs`` replaced by new ones, and their counts set (one transaction)."""
        with self.transaction():
            self.con.execute("CREATE OR REPLACE TEMP TABLE batch_docs (doc VARCHAR)")
            self._insert("batch_docs", [(d,) for d in docs], ["doc"])
            self.con.execute("DELETE FROM findings_evidence WHERE finding_id LIKE 'Y%' "
                             "AND doc IN (SELECT doc FROM batch_docs)")
            self.con.execute("DELETE FROM findings WHERE scope = 'archive' AND doc IN (SELECT doc FROM batch_docs)")
            self._insert("findings", findings)
            self._insert("findings_evidence", evidence)
            self.con.execute("UPDATE documents SET cross_errors = 0, cross_warnings = 0, cross_infos = 0 "
                             "WHERE path IN (SELECT doc FROM batch_docs)")
            if counts:
                self._insert("archive_counts", [(d, *c) for d, c in counts.items()],
                             ["doc", "e", "w", "i"], create=True)
                self.con.execute("UPDATE documents SET cross_errors = c.e, cross_warnings = c.w, cross_infos = c.i "
                                 "FROM archive_counts c WHERE documents.path = c.doc")

    def facts(self, docs: list[str]) -> list[dict]:
        import json

        wanted = set(docs)
        rows = self.con.execute("SELECT doc, data FROM facts ORDER BY doc").fetchall()
        return [json.loads(d) for doc, d in rows if doc in wanted and d]

    def _insert(self, table: str, rows: list[tuple], cols: list[str] | None = None, create: bool = False) -> None:
        """Insert rows (tuples in ``cols`` order). A few rows go as parameters; more as a dict of numpy columns that
        the SQL names (a DuckDB replacement scan: no catalog change, unlike register, and several times cheaper than
        a pandas DataFrame per insert)."""
        if not rows:
            return
        cols = cols or columns(table)
        if not create and len(rows) <= SMALL:
            ph = "(" + ", ".join("?" * len(cols)) + ")"
            self.con.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES {', '.join([ph] * len(rows))}",
                             [v for r in rows for v in r])
            return
        import numpy as np

        types = dict(TABLES.get(table, []))
        _rows = {c: np.array(vals, dtype=float if types.get(c) == "DOUBLE" else object)  # noqa: F841 (read by SQL)
                 for c, vals in zip(cols, zip(*rows))}
        if create:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _rows")
        else:
            self.con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _rows")


__all__ = ["Store", "Known", "connect", "interrupts_deferred", "TABLES", "SCHEMA_VERSION"]
