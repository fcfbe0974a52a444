"""Engines run ``audit_task`` over many documents and yield each DocOutcome as it arrives.

local: a process pool started by a forkserver that loads the NLP once for all its workers (a worker that cannot
load it reports why on each document); the largest files go first. At most one document per worker, plus one
queued, is in flight, so a worker that dies (killed, out of memory) takes only those with it; they are run again one
at a time, which names the one that kills its worker (status ``died``) and saves the others. A document that a worker
has been on longer than the timeout (counted from when the worker began it, not from when it was queued: a worker
still starting, or busy with the document before, spends none of its time) is stopped the same way (status
``timeout``). Outcomes come back through files (see ``spooled``).

dask: the same tasks on a Dask distributed cluster (``--scheduler ADDRESS``, or a local cluster of ``--jobs``
workers); workers must see the documents under the same paths. A document that kills workers repeatedly ends as
``died`` (Dask's KilledWorker).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator, Optional

from ..errors import InputError
from .model import CRASHED, DIED, TIMEOUT, DocOutcome, DocTask
from .worker import audit_task, crash_reason, init_worker

Work = Callable[[DocTask], DocOutcome]
POLL = 0.25  # seconds between looks for the start marks of tasks in flight (with a timeout)


def died(task: DocTask) -> DocOutcome:
    return DocOutcome(task, DIED, error="审核此文件时工作进程意外退出（被终止或内存不足），已跳过 / "
                                        "the worker process died while auditing this file (killed or out of memory)")


def timed_out(task: DocTask, seconds: float) -> DocOutcome:
    return DocOutcome(task, TIMEOUT, error=f"超出时间/大小限制：审核超过 {seconds:g} 秒，工作进程已终止 / "
                                           f"over the time budget: took longer than {seconds:g} s, worker stopped")


def failed_to_run(task: DocTask, e: BaseException) -> DocOutcome:
    return DocOutcome(task, CRASHED, error=crash_reason(e))


def spooled(work: Work, spool: str, task: DocTask, mark: Optional[str] = None) -> str:
    """Runs in the worker: the outcome goes to a file and the result pipe carries only its name. A message that short
    is written to the pipe at once, so a worker killed at any moment never leaves half a message there (which would
    hang the pool's reader for good). ``mark``: a file created as the worker begins the task (its time budget starts
    then: see LocalEngine._started)."""
    if mark:
        open(mark, "wb").close()
    out = work(task)
    fd, path = tempfile.mkstemp(dir=spool, suffix=".pickle")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def unspool(path: str) -> DocOutcome:
    with open(path, "rb") as fh:
        out = pickle.load(fh)
    os.unlink(path)
    return out


def _context():
    """forkserver (never fork: the parent runs a progress thread, and forking a threaded process can deadlock); the
    server preloads the NLP once for all workers (auditor.batch.preload). spawn where there is no forkserver."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    # The forkserver is started with `python -c`, so its sys.path begins with the current folder, and Python 3.11
    # does not replace it with the parent's: run from a folder holding an `auditor/` directory (e.g. the clone's
    # parent) the workers would import that instead of the package the parent runs. So it starts without that
    # entry (PYTHONSAFEPATH) and with the parent's own import path in front (PYTHONPATH).
    os.environ["PYTHONSAFEPATH"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(os.path.abspath(p) if p else os.getcwd() for p in sys.path))
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["auditor.batch.preload"])
    return ctx


class LocalEngine:
    def __init__(self, jobs: int, timeout: Optional[float] = None, work: Work = audit_task,
                 initializer: Callable[[], None] = init_worker):
        self.jobs, self.timeout, self.work, self.initializer = max(1, jobs), timeout, work, initializer
        self.restarts = 0  # pools started again after a worker died or a document timed out
        self.submitted = 0  # tasks handed to a pool (names their start marks)

    def run(self, tasks: list[DocTask]) -> Iterator[DocOutcome]:
        if not tasks:
            return
        self.spool = tempfile.mkdtemp(prefix="auditor-batch-")
        try:
            yield from self._run(tasks)
        finally:
            shutil.rmtree(self.spool, ignore_errors=True)

    def _run(self, tasks: list[DocTask]) -> Iterator[DocOutcome]:
        # the largest files first: the run does not end with one worker on a big document and the others idle
        queue: deque[DocTask] = deque(sorted(tasks, key=lambda t: t.size, reverse=True))
        suspects: deque[DocTask] = deque()
        while queue or suspects:
            if suspects:  # one at a time: a pool that breaks now was broken by this very document
                lost = yield from self._pool_run(suspects, 1, ahead=0)
            else:
                lost = yield from self._pool_run(queue, self.jobs)
                if len(lost) > 1:
                    suspects.extend(lost)
                    continue
            for t in lost:
                yield died(t)

    def _pool_run(self, queue: deque, workers: int, ahead: int = 1):
        """Run ``queue`` on a fresh pool until it is empty or the pool breaks; -> the tasks lost with a dead worker.
        ``ahead``: tasks queued beyond one per worker (none for the suspects: a task queued behind the one that kills
        the worker would be lost with it)."""
        pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=start_worker,
                                   initargs=(os.getpid(), self.initializer))
        inflight: dict[Future, list] = {}  # future -> [task, start mark, start time (None until the worker begins it)]
        clean = False
        try:
            while queue or inflight:
                lost: list[DocTask] = []
                self._fill(pool, queue, inflight, workers, ahead)
                done, _ = wait(list(inflight), timeout=self._wait(inflight), return_when=FIRST_COMPLETED)
                results = []
                for f in [f for f in inflight if f in done]:  # in the order submitted (``done`` is a set)
                    t = inflight.pop(f)[0]
                    try:
                        results.append(unspool(f.result()))
                    except BrokenProcessPool:
                        lost.append(t)
                    except Exception as e:  # the outcome could not come back (e.g. not picklable)
                        results.append(failed_to_run(t, e))
                if not lost:
                    self._fill(pool, queue, inflight, workers, ahead)  # before the parent spends time on the results
                yield from results
                if lost:
                    self.restarts += 1
                    return lost + [e[0] for e in inflight.values()]
                self._started(inflight)
                now = time.monotonic()
                expired = [f for f, (_, _, t0) in inflight.items() if self.timeout and t0 and now - t0 > self.timeout]
                if expired:
                    self.restarts += 1
                    _kill(pool)
                    for f in expired:
                        yield timed_out(inflight.pop(f)[0], self.timeout)
                    queue.extendleft(reversed([e[0] for e in inflight.values()]))
                    return []
            clean = True
            return []
        finally:
            if not clean:
                _kill(pool)
            pool.shutdown(wait=clean, cancel_futures=True)

    def _fill(self, pool: ProcessPoolExecutor, queue: deque, inflight: dict, workers: int, ahead: int = 1) -> None:
        """One task per worker and ``ahead`` queued (so a worker never waits for the parent to take its result)."""
        while queue and len(inflight) < workers + ahead:
            t = queue.popleft()
            self.submitted += 1
            mark = os.path.join(self.spool, f"{self.submitted}.start") if self.timeout else None
            inflight[pool.submit(spooled, self.work, self.spool, t, mark)] = [t, mark, None]

    @staticmethod
    def _started(inflight: dict) -> None:
        """Start the clock of each task whose worker has begun it (its start mark exists): the time budget counts from
        then, seen at most POLL seconds late."""
        for entry in inflight.values():
            if entry[2] is None and entry[1] and os.path.exists(entry[1]):
                entry[2] = time.monotonic()
                os.unlink(entry[1])

    def _wait(self, inflight: dict) -> Optional[float]:
        if not self.timeout or not inflight:
            return None
        started = [t0 for _, _, t0 in inflight.values() if t0]
        until = min(started) + self.timeout - time.monotonic() if started else POLL
        if len(started) < len(inflight):  # a task not begun yet: look again for its start mark soon
            until = min(until, POLL)
        return max(0.05, until)


def start_worker(parent: int, initializer: Callable[[], None]) -> None:
    """A pool worker's start: watch the batch process (a worker outlives it by a second at most, even after a
    ``kill -9`` that gives the pool no chance to stop it), then the engine's initializer."""
    watch_parent(parent)
    initializer()


def watch_parent(pid: int, every: float = 0.5) -> None:
    """A daemon thread that ends this process as soon as process ``pid`` is gone (or a zombie)."""
    import threading

    def loop() -> None:
        while True:
            time.sleep(every)
            if not alive(pid):
                os._exit(1)

    threading.Thread(target=loop, name="auditor-watch-parent", daemon=True).start()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover (another user's process took the number)
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def _kill(pool: ProcessPoolExecutor) -> None:
    for p in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            p.kill()
        except Exception:
            pass


class DaskEngine:
    def __init__(self, scheduler: Optional[str], jobs: int, work: Work = audit_task):
        self.scheduler, self.jobs, self.work = scheduler, max(1, jobs), work

    def run(self, tasks: list[DocTask]) -> Iterator[DocOutcome]:
        if not tasks:
            return
        try:
            from distributed import Client, LocalCluster, as_completed
            from distributed.scheduler import KilledWorker
        except ImportError:
            raise InputError("--engine dask", "未安装 dask：请运行 pip install 'auditor[dask]'",
                             "dask is not installed: pip install 'auditor[dask]'")
        cluster = None
        try:
            if self.scheduler:
                client = Client(self.scheduler, timeout="20s")
            else:
                cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, dashboard_address=None)
                client = Client(cluster)
        except (OSError, TimeoutError) as e:
            if cluster is not None:
                cluster.close()
            raise InputError(self.scheduler or "LocalCluster", f"无法连接 Dask 调度器（{e}）",
                             f"cannot connect to the Dask scheduler ({e})")
        futures = {}
        try:
            futures = dict(zip(client.map(self.work, tasks, pure=False), tasks))
            for f in as_completed(list(futures)):
                t = futures.pop(f)
                try:
                    yield f.result()
                except KilledWorker:
                    yield died(t)
                except Exception as e:
                    yield failed_to_run(t, e)
                finally:
                    f.release()
        finally:
            if futures:
                client.cancel(list(futures))
            client.close()
            if cluster is not None:
                cluster.close()
