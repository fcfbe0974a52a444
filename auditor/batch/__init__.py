"""Batch mode (`auditor batch`): audit whole folders in parallel into per-document reports, an overview
(index.html, summary.csv/xlsx), the DuckDB store (auditor.store) and the cross-document (Y) findings.

    discover.py  files, names, hashes          worker.py   one document -> DocOutcome (plain data), in a worker
    engines.py   process pool / Dask           runner.py   plan, skip, commit per document, exit status
    cross.py     Y rules over stored facts     overview.py index.html, summary.csv, summary.xlsx
    progress.py  the progress bar              cli.py      `auditor batch` arguments and output
"""
from __future__ import annotations

from .runner import BatchOptions, BatchSummary, run_batch

__all__ = ["BatchOptions", "BatchSummary", "run_batch"]
