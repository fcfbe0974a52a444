"""The batch's progress bar (rich): documents done / total, skipped, failed, error findings, elapsed and ETA.
Shown only on a terminal; quiet when stdout is a file or a pipe."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Optional


@dataclass
class Tally:
    audited: int = 0
    skipped: int = 0
    failed: int = 0
    errors: int = 0       # error findings of the documents audited or skipped in this batch

    @property
    def done(self) -> int:
        return self.audited + self.skipped + self.failed


class BatchProgress:
    def __init__(self, total: int, enabled: Optional[bool] = None):
        self.total = total
        self.tally = Tally()
        self.enabled = sys.stdout.isatty() if enabled is None else enabled
        self._bar = None
        self._task = None

    def __enter__(self) -> "BatchProgress":
        if self.enabled and self.total:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._bar = Progress(TextColumn("审核 auditing"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("跳过 {task.fields[skipped]} · 失败 {task.fields[failed]} · "
                                            "错误 {task.fields[errors]}"),
                                 TimeElapsedColumn(), TextColumn("剩余 ETA"), TimeRemainingColumn(),
                                 transient=False)
            self._bar.start()
            self._task = self._bar.add_task("batch", total=self.total, **self._fields())
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def _fields(self) -> dict:
        t = self.tally
        return {"skipped": t.skipped, "failed": t.failed, "errors": t.errors}

    def add(self, *, audited: int = 0, skipped: int = 0, failed: int = 0, errors: int = 0) -> None:
        t = self.tally
        t.audited += audited
        t.skipped += skipped
        t.failed += failed
        t.errors += errors
        if self._bar is not None:
            self._bar.update(self._task, completed=t.done, **self._fields())
