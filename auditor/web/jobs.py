"""Background auditing: uploads wait in a queue (排队) and are handed to the batch runner's engine — the local
process pool (auditor.batch.engines.LocalEngine) or a Dask cluster — at most one per worker at a time, so a
document shown as 审核中 is really being audited; each result is written to the store as it arrives (完成 / 失败
with the reason). The page never waits: it polls the state."""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..batch.discover import sha256_file
from ..batch.model import DocTask
from .data import WebData, doc_id

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATE_ZH = {QUEUED: "排队", RUNNING: "审核中", DONE: "完成", FAILED: "失败"}


@dataclass
class Job:
    id: str
    path: str
    name: str
    size: int
    parts: tuple[str, ...] = ()  # the other files of its disclosure, audited with it as one document
    state: str = QUEUED
    error: Optional[str] = None
    submitted: float = field(default_factory=time.time)
    started: Optional[float] = None
    finished: Optional[float] = None

    def as_dict(self, estimate: Optional[float] = None) -> dict:
        now = time.time()
        elapsed = (self.finished or now) - self.started if self.started else 0.0
        progress = 1.0 if self.state in (DONE, FAILED) else 0.0
        if self.state == RUNNING and estimate:
            progress = min(0.95, elapsed / estimate)
        return {"id": self.id, "name": self.name, "status": self.state, "status_zh": STATE_ZH[self.state],
                "error": self.error, "elapsed": round(elapsed, 1), "progress": round(progress, 2)}


class Runner:
    """One thread that feeds the engine; ``make_engine()`` returns a fresh engine (LocalEngine / DaskEngine, or
    any object with ``run(tasks) -> iterator of DocOutcome``) and ``workers`` is how many documents run at once."""

    def __init__(self, data: WebData, make_engine: Callable[[], object], workers: int, max_bytes: int,
                 warm: bool = False):
        self.data, self.make_engine, self.workers, self.max_bytes = data, make_engine, max(1, workers), max_bytes
        self.warm = warm  # start the pool once at start-up, so the first upload does not pay for loading the NLP
        self.jobs: dict[str, Job] = {}
        self.queue: deque[Job] = deque()
        self.cv = threading.Condition()
        self.stopping = False
        self.seconds_per_byte: Optional[float] = None  # running estimate for the progress bar
        self.thread = threading.Thread(target=self._loop, name="auditor-web-runner", daemon=True)

    def start(self) -> "Runner":
        self.thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        with self.cv:
            self.stopping = True
            self.cv.notify_all()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def submit(self, path: str, name: str, size: int, parts: tuple[str, ...] = ()) -> Job:
        job = Job(doc_id(path), path, name, size, tuple(parts))
        with self.cv:
            self.jobs[job.id] = job
            self.queue.append(job)
            self.cv.notify_all()
        return job

    def state(self, id_: str) -> Optional[dict]:
        job = self.jobs.get(id_)
        if job is None:
            return None
        est = self.seconds_per_byte * job.size if self.seconds_per_byte else None
        return job.as_dict(est)

    def wait(self, ids: list[str], timeout: float = 120) -> bool:
        """Block until every job of ``ids`` is done or failed (for scripts and tests)."""
        end = time.monotonic() + timeout
        with self.cv:
            while any(self.jobs[i].state in (QUEUED, RUNNING) for i in ids if i in self.jobs):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.cv.wait(left)
        return True

    def _warm_up(self) -> None:
        """Run the engine once on a file that does not exist: the pool's start-up (the forkserver loading the
        pipeline and the NLP, auditor.batch.preload) happens now rather than on the first upload."""
        missing = os.path.join(self.data.data, "warm-up-no-such-file.txt")
        try:
            for _ in self.make_engine().run([DocTask(missing, "warm-up", "", 0, (), self.max_bytes)]):
                pass
        except Exception:  # the first real upload reports whatever is wrong
            pass

    def _loop(self) -> None:
        if self.warm:
            self._warm_up()
        while True:
            with self.cv:
                while not self.queue and not self.stopping:
                    self.cv.wait()
                if self.stopping:
                    return
                batch = [self.queue.popleft() for _ in range(min(self.workers, len(self.queue)))]
                for j in batch:
                    j.state, j.started = RUNNING, time.time()
            self._run(batch)

    def _run(self, batch: list[Job]) -> None:
        by_path = {j.path: j for j in batch}
        tasks = []
        for j in batch:
            sha = _sha(j.path)
            parts = tuple(DocTask(p, p, _sha(p), os.path.getsize(p), ("web",), self.max_bytes) for p in j.parts)
            tasks.append(DocTask(j.path, j.name, sha, j.size, ("web",), self.max_bytes, parts=parts))
        try:
            for o in self.make_engine().run(tasks):
                job = by_path.pop(o.task.path)
                try:
                    self.data.write_outcome(o, job.name)
                    self._finish(job, DONE if o.ok else FAILED, None if o.ok else o.error)
                    if o.ok and job.size:
                        spb = o.seconds / job.size
                        self.seconds_per_byte = spb if self.seconds_per_byte is None else \
                            0.7 * self.seconds_per_byte + 0.3 * spb
                except Exception as e:  # the store refused it: the reason is shown, the server goes on
                    self._finish(job, FAILED, f"无法写入数据库 / cannot write the store: {type(e).__name__}: {e}")
        except Exception as e:
            for job in by_path.values():
                self._finish(job, FAILED, f"审核进程出错 / the engine failed: {type(e).__name__}: {e}")
            by_path.clear()
        for job in by_path.values():  # the engine ended without a result for it
            self._finish(job, FAILED, "没有得到审核结果 / no result came back")

    def _finish(self, job: Job, state: str, error: Optional[str]) -> None:
        with self.cv:
            job.state, job.error, job.finished = state, error, time.time()
            self.cv.notify_all()


def requeue_unfinished(runner: Runner, uploads: list, known: set[str]) -> int:
    """After a restart: uploads that have no store row yet (the server stopped before their result) go back in
    the queue, a disclosure's files together (auditor.web.grouping). -> how many documents."""
    from .grouping import group_name

    n = 0
    by_path = {s.path: s for s in uploads}
    for s in uploads:
        group = [s] + [by_path[p] for p in s.parts if p in by_path]
        if s.part_of is None and s.path not in known and all(os.path.exists(g.path) for g in group) and \
                len(group) == len(s.parts) + 1:
            runner.submit(s.path, group_name(group), sum(g.size for g in group), s.parts)
            n += 1
    return n


def _sha(path: str) -> str:
    try:
        return sha256_file(path)
    except OSError:
        return ""
