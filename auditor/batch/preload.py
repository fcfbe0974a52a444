"""Imported once by the forkserver before it forks the pool's workers (local engine): the pipeline and the NLP
(spaCy + jieba) are loaded there, so every worker, and every pool started again after a worker died, begins with
them in memory shared copy-on-write instead of paying the start-up again. A failure here is not fatal: each
worker's initializer tries again and reports the reason on every document."""
from __future__ import annotations

try:
    from .worker import warm

    warm()
except Exception:  # noqa: BLE001  (reported by the workers themselves, see worker.init_worker)
    pass
