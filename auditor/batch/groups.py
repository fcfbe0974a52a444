"""A disclosure published as several files, in a batch: the workers send back every narrative-only and tables-only
file as a PART (auditor.batch.worker.load); the parent pairs them within each folder exactly as `auditor check`
does (auditor.pipeline.pair_parts), and each group becomes one task, audited as one document. The group's results
are stored under its lead file (the narrative); the other files get a row of status ``joined`` naming it."""
from __future__ import annotations

import json
import os
from dataclasses import replace

from .. import __version__
from .model import JOINED, PART, DocOutcome, DocTask


def regroup(parked: list[DocOutcome]) -> list[DocTask]:
    """One task per group of the PART outcomes (pair_parts within each folder); a part left alone is a task alone."""
    from ..pipeline import pair_parts, parts_read

    by_dir: dict[str, list[DocOutcome]] = {}
    for o in parked:
        if o.status == PART:
            by_dir.setdefault(os.path.dirname(o.task.path), []).append(o)
    tasks = []
    for outs in by_dir.values():
        task_of = {id(o.part): o.task for o in outs}
        for group in pair_parts([o.part for o in outs]):
            lead, *rest = [task_of[id(p)] for p in group]
            # a group is joined from the blocks the first pass read (as join_parts joins them); a part left alone is
            # read again (its blocks are those after the structure stage, not the reader's)
            read = parts_read(group) if rest else ()
            tasks.append(replace(lead, parts=tuple(rest), pairable=False, read=read))
    return tasks


def group_paths(t: DocTask) -> list[str]:
    return [t.key, *(m.key for m in t.parts)]


def group_note(t: DocTask) -> str:
    names = " + ".join([t.name, *(m.name for m in t.parts)])
    return f"合并审核（同一份公开文件的 {1 + len(t.parts)} 个文件）：{names} / audited as one disclosure"


def member_rows(o: DocOutcome, reports: dict) -> list[tuple]:
    """The documents rows of a group's other files: status joined, the reason naming the lead file."""
    t = o.task
    parts = json.dumps(group_paths(t), ensure_ascii=False)
    why = (f"与 {t.name} 合并为一份公开文件审核，结果见该文件 / audited with {t.name} as one disclosure"
           if o.ok else f"与 {t.name} 合并审核，未能完成：{o.error} / audited with {t.name}: failed")
    return [(m.key, m.name, m.sha256, m.size, __version__, None, None, None, o.department, o.dept_key, o.year, o.kind,
             o.unit, JOINED if o.ok else o.status, why, None, None, None, None, None, None, None, 0, 0, 0,
             json.dumps(reports, ensure_ascii=False), None, None, o.audited_at or None, parts) for m in t.parts]
