"""The budget of one document: at most so many seconds and so many bytes, whatever the file holds.

``within(budget, path)`` runs a document's audit under a deadline (SIGALRM on the main thread of a Unix process: the
CLI, a batch worker, the fuzz harness) and makes the readers refuse what is too large before they read it (file size,
the expanded size of a DOCX/XLSX archive, rows and columns of a sheet, lines of a text). Over the budget the document
is an ``OverBudget`` error -- an ``InputError`` that says "超出时间/大小限制", which limit, and what had been done
(the stages finished, how much was read) -- and the caller goes on with the next document.

The deadline interrupts Python code; a C routine that never returns to the interpreter is stopped by the batch
engine's hard limit (the worker is killed a grace period after the budget) -- ``auditor check`` has no such second
line, which is why every reader also bounds its input before it reads it.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

from .errors import InputError

MB = 2**20


@dataclass(frozen=True)
class Budget:
    seconds: Optional[float] = 60.0   # per document, all stages; None: no deadline
    max_mb: float = 100.0             # size of a PDF/DOCX/XLSX file
    text_mb: float = 10.0             # size of a text file (a text disclosure is well under 1 MB)
    expanded_mb: float = 64.0         # uncompressed size of a DOCX/XLSX archive (a zip bomb expands far beyond)
    max_rows: int = 50_000            # rows of one XLSX sheet (a disclosure's table has hundreds)
    max_cols: int = 1_000             # columns of one XLSX sheet
    max_lines: int = 500_000          # lines of a text file
    clock: str = "wall"               # "wall": seconds of real time; "cpu": of this process's CPU time (a loaded,
                                      # shared machine: the document's own cost, as bench/fuzz.py --clock cpu)


DEFAULT = Budget()


class OverBudget(InputError):
    """The document is over its time or size budget: reported, never audited further."""

    def __init__(self, path: str, zh: str, en: str):
        done = progress_note()
        super().__init__(path, f"超出时间/大小限制：{zh}{done[0]}", f"over the time/size budget: {en}{done[1]}")


class _Deadline(BaseException):
    """Raised by the alarm; a BaseException so that no reader's ``except Exception`` turns it into another error.
    ``within`` turns it into OverBudget at its boundary."""


_state = threading.local()


def current() -> Budget:
    """The budget in force (the innermost ``within``), or the default."""
    return getattr(_state, "budget", None) or DEFAULT


def note(stage: Optional[str] = None, **read) -> None:
    """Record progress, for the message of a document stopped over budget: the stage now running, what was read."""
    prog = getattr(_state, "progress", None)
    if prog is None:
        return
    if stage:
        if prog["stage"]:
            prog["done"].append(prog["stage"])
        prog["stage"] = stage
    prog["read"].update(read)


def progress_note() -> tuple[str, str]:
    prog = getattr(_state, "progress", None)
    if not prog:
        return "", ""
    read = "、".join(f"{v} {k}" for k, v in prog["read"].items())
    zh = []
    if prog["done"]:
        zh.append("已完成：" + "、".join(prog["done"]))
    if read:
        zh.append("已读取：" + read)
    if prog["stage"]:
        zh.append("中止于：" + prog["stage"])
    en_read = ", ".join(f"{v} {k}" for k, v in prog["read"].items())
    en = f" (stages done {len(prog['done'])}{', read ' + en_read if en_read else ''})" if zh else ""
    return (f"（{'；'.join(zh)}）" if zh else ""), en


def _alarm(signum, frame):
    if getattr(_state, "armed", False):  # a late alarm, after the block ended, is ignored
        raise _Deadline


@contextmanager
def within(budget: Optional[Budget], path: str) -> Iterator[Budget]:
    """Run the block under ``budget`` (the default when None). Nested calls keep the outer deadline. The deadline
    needs SIGALRM and the main thread; elsewhere (a Dask thread, Windows) only the size limits hold."""
    budget = budget or DEFAULT
    if getattr(_state, "budget", None) is not None:  # nested: the outermost budget rules
        yield current()
        return
    timed = (budget.seconds and hasattr(signal, "setitimer")
             and threading.current_thread() is threading.main_thread())
    _state.budget, _state.progress = budget, {"stage": None, "done": [], "read": {}}
    old = None
    sig, timer = ((signal.SIGPROF, signal.ITIMER_PROF) if budget.clock == "cpu" and timed
                  else (getattr(signal, "SIGALRM", None), getattr(signal, "ITIMER_REAL", None)))
    try:
        if timed:
            old = signal.signal(sig, _alarm)
            # re-armed every second: code that swallows the first alarm still meets the next
            _state.armed = True
            signal.setitimer(timer, budget.seconds, 1.0)
        try:
            yield budget
        except _Deadline:
            cpu = "（CPU 时间）" if budget.clock == "cpu" else ""
            raise OverBudget(path, f"审核超过 {budget.seconds:g} 秒{cpu}",
                             f"took longer than {budget.seconds:g} s{' of CPU time' if cpu else ''}") from None
        finally:
            _state.armed = False
            if timed:
                signal.setitimer(timer, 0)
                signal.signal(sig, old)
    finally:
        _state.budget = _state.progress = None


def check_size(path: str, size: int, limit_mb: float, what_zh: str, what_en: str) -> None:
    if size > limit_mb * MB:
        raise OverBudget(path, f"{what_zh}（{size / MB:.1f} MB，上限 {limit_mb:g} MB）",
                         f"{what_en} ({size / MB:.1f} MB > {limit_mb:g} MB)")


MAX_MEMBERS = 10_000  # parts of a DOCX/XLSX archive (a real one has tens)


def check_archive(path, name: str) -> None:
    """A DOCX/XLSX (a zip archive) within the budget once expanded: the sizes its directory declares are summed
    before anything is decompressed (zipfile never reads past a member's declared size, so they bound the work).
    A file that is not a zip archive is left to the reader to refuse."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):  # NotImplementedError: a
        return                                                                        # damaged version field
    limit = current().expanded_mb
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS:
        raise OverBudget(name, f"压缩包内有 {len(infos)} 个部件（上限 {MAX_MEMBERS}）",
                         f"{len(infos)} parts in the archive (limit {MAX_MEMBERS})")
    if total > limit * MB:
        raise OverBudget(name, f"解压后 {total / MB:.1f} MB（上限 {limit:g} MB，疑似压缩炸弹）",
                         f"expands to {total / MB:.1f} MB (limit {limit:g} MB: a zip bomb?)")
