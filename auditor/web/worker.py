"""The unit of work the workbench hands to the batch runner's pool (auditor.batch.engines): the batch's own
``audit_task`` (store rows, facts; never raises) with one output, ``web``: the view data (auditor.web.view) as JSON.
Importing this module registers that output; a worker process imports it when it unpickles ``web_task``."""
from __future__ import annotations

import json

from ..batch.model import DocOutcome, DocTask
from ..batch.worker import EXTRA_RENDERERS, audit_task

FORMAT = "web"


def _view_json(result) -> str:
    from .view import view_data

    return json.dumps(view_data(result), ensure_ascii=False)


EXTRA_RENDERERS[FORMAT] = _view_json


def web_task(task: DocTask) -> DocOutcome:
    """Audit one upload (``task.formats`` is ``("web",)``)."""
    return audit_task(task)
