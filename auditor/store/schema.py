"""The store's schema (DuckDB): one DDL statement per table and the column order rows are built in.

Workers build rows as plain tuples in these column orders (no DuckDB import in a worker); only the parent process
writes them (single writer). docs/STORE.md documents every table and column.
"""
from __future__ import annotations

SCHEMA_VERSION = "1"

# name -> [(column, DuckDB type)]; the tuple order of every row a worker builds
TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("path", "VARCHAR"), ("rel", "VARCHAR"), ("sha256", "VARCHAR"), ("size_bytes", "BIGINT"),
        ("auditor_version", "VARCHAR"), ("format", "VARCHAR"), ("encoding", "VARCHAR"), ("pages", "INTEGER"),
        ("department", "VARCHAR"), ("dept_key", "VARCHAR"), ("year", "INTEGER"), ("kind", "VARCHAR"),
        ("unit", "VARCHAR"), ("status", "VARCHAR"), ("error", "VARCHAR"),
        ("tables", "INTEGER"), ("cells", "INTEGER"), ("claims", "INTEGER"), ("claims_checked", "INTEGER"),
        ("errors", "INTEGER"), ("warnings", "INTEGER"), ("infos", "INTEGER"),
        ("cross_errors", "INTEGER"), ("cross_warnings", "INTEGER"), ("cross_infos", "INTEGER"),
        ("reports", "JSON"), ("seconds", "DOUBLE"), ("worker_rss_mb", "DOUBLE"), ("audited_at", "TIMESTAMP"),
        ("parts", "JSON"),
    ],
    "tables_cells": [
        ("doc", "VARCHAR"), ("table_id", "VARCHAR"), ("title", "VARCHAR"), ("unit", "VARCHAR"),
        ("row_key", "VARCHAR"), ("code", "VARCHAR"), ("name", "VARCHAR"), ("column_name", "VARCHAR"),
        ("value", "DOUBLE"), ("raw", "VARCHAR"), ("exact", "BOOLEAN"), ("line", "INTEGER"), ("page", "INTEGER"),
    ],
    "claims": [
        ("doc", "VARCHAR"), ("claim_id", "VARCHAR"), ("kind", "VARCHAR"), ("value", "DOUBLE"), ("unit", "VARCHAR"),
        ("raw", "VARCHAR"), ("subject", "VARCHAR"), ("subject_text", "VARCHAR"), ("period", "VARCHAR"),
        ("polarity", "INTEGER"), ("base", "VARCHAR"), ("word", "VARCHAR"), ("section", "VARCHAR"),
        ("sentence", "VARCHAR"), ("line", "INTEGER"), ("page", "INTEGER"),
    ],
    "findings": [
        ("doc", "VARCHAR"), ("finding_id", "VARCHAR"), ("scope", "VARCHAR"), ("rule", "VARCHAR"),
        ("title", "VARCHAR"), ("severity", "VARCHAR"), ("message", "VARCHAR"), ("line", "INTEGER"),
        ("page", "INTEGER"), ("section", "VARCHAR"), ("stated", "DOUBLE"), ("expected", "DOUBLE"),
        ("tolerance", "DOUBLE"),
    ],
    "findings_evidence": [
        ("doc", "VARCHAR"), ("finding_id", "VARCHAR"), ("seq", "INTEGER"), ("path", "VARCHAR"), ("line", "INTEGER"),
        ("page", "INTEGER"), ("table_id", "VARCHAR"), ("row_key", "VARCHAR"), ("column_name", "VARCHAR"),
        ("value", "DOUBLE"), ("text", "VARCHAR"),
    ],
    "facts": [
        ("doc", "VARCHAR"), ("dept_key", "VARCHAR"), ("year", "INTEGER"), ("kind", "VARCHAR"), ("data", "JSON"),
    ],
    "meta": [("key", "VARCHAR"), ("value", "VARCHAR")],
    # a reviewer's verdict on a finding (`auditor serve`), keyed by the file's content and the finding's identity
    # (auditor.store.verdicts.finding_key), so it survives a re-audit; never deleted with a document's rows
    "verdicts": [
        ("sha256", "VARCHAR"), ("finding_key", "VARCHAR"), ("rule", "VARCHAR"), ("page", "INTEGER"),
        ("line", "INTEGER"), ("stated", "DOUBLE"), ("expected", "DOUBLE"), ("verdict", "VARCHAR"),
        ("note", "VARCHAR"), ("doc", "VARCHAR"), ("finding_id", "VARCHAR"), ("updated_at", "TIMESTAMP"),
    ],
}

# the tables holding one document's rows (deleted and rewritten together when the document is audited again)
PER_DOCUMENT = ("tables_cells", "claims", "findings", "findings_evidence", "facts")


def columns(table: str) -> list[str]:
    return [c for c, _ in TABLES[table]]


# columns added after a store of this schema version may have been written: added to it when it is opened
ADDED = {"documents": ["parts"]}


def ddl() -> list[str]:
    types = {(name, c): t for name, cols in TABLES.items() for c, t in cols}
    return [f"CREATE TABLE IF NOT EXISTS {name} ({', '.join(f'{c} {t}' for c, t in cols)})"
            for name, cols in TABLES.items()] + [
        f"ALTER TABLE {name} ADD COLUMN IF NOT EXISTS {c} {types[name, c]}" for name, cs in ADDED.items() for c in cs]
