"""The batch's progress bar (rich): documents done / total, skipped, failed, error findings, elapsed time and the
file at work (the first one sent to the workers and not yet back; "starting workers" before the first result).
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
        self._pending: dict[str, None] = {}  # files sent to the workers, in order, not yet back
        self._started = False

    def __enter__(self) -> "BatchProgress":
        if self.enabled and self.total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("审核 auditing"), BarColumn(bar_width=20), MofNCompleteColumn(),
                                 TextColumn("跳过 {task.fields[skipped]} · 失败 {task.fields[failed]} · "
                                            "错误 {task.fields[errors]}"), TimeElapsedColumn(),
                                 TextColumn("{task.fields[current]}"), transient=False)
            self._bar.start()
            self._task = self._bar.add_task("batch", total=self.total, **self._fields())
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def _fields(self) -> dict:
        t = self.tally
        return {"skipped": t.skipped, "failed": t.failed, "errors": t.errors, "current": self.current}

    @property
    def current(self) -> str:
        """What the bar names as the work in hand."""
        name = next(iter(self._pending), None)
        if name is None:
            return ""
        return f"{'正在审核 auditing' if self._started else '启动工作进程 starting workers…'} {name}"

    def sent(self, names: list[str]) -> None:
        """The files handed to the engine, in the order it works on them."""
        self._pending.update(dict.fromkeys(names))
        if self._bar is not None:
            self._bar.update(self._task, **self._fields())

    def add(self, *, audited: int = 0, skipped: int = 0, failed: int = 0, errors: int = 0,
            name: Optional[str] = None) -> None:
        if name is not None:
            self._pending.pop(name, None)
            self._started = True
        t = self.tally
        t.audited += audited
        t.skipped += skipped
        t.failed += failed
        t.errors += errors
        if self._bar is not None:
            self._bar.update(self._task, completed=t.done, **self._fields())
