"""The pipeline, stage by stage: read -> structure (-> claims -> align -> checks -> report), each document within
its time and size budget (auditor.budget: over it, an OverBudget error naming the limit and what was done)."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import rx as re

from .budget import Budget, note, within
from .errors import InputError
from .model import Block, Document, SourceInfo
from .names import text_name
from .read import read_blocks


class NotDisclosure(InputError):
    """The file was read but is not a 预算/决算 disclosure (a 通知, an index page, a policy file)."""


@contextmanager
def gc_paused():
    """The cyclic garbage collector paused while one document is processed: the stages build hundreds of thousands
    of small objects (characters, edges, cells) and free them by reference counting, and the collections their
    allocations trigger, each walking the whole heap (spaCy, jieba), took a quarter of the CPU time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_document(path: str | Path, budget: Budget | None = None) -> Document:
    from .structure import build_document

    with gc_paused(), within(budget, text_name(str(path))):
        info, blocks = read_blocks(path)
        note("表格识别")
        return build_document(info, blocks)


def load_disclosure(path: str | Path, budget: Budget | None = None) -> Document:
    """load_document, and a clear error (NotDisclosure) when the file is not a disclosure or a part of one."""
    from .structure.disclosure import not_disclosure_reason

    doc = load_document(path, budget)
    reason = not_disclosure_reason(doc)
    if reason is not None:
        raise _not_disclosure(path, reason, doc)
    return doc


def _not_disclosure(path, reason: str, doc: Document) -> NotDisclosure:
    e = NotDisclosure(text_name(str(path)), f"不是预决算公开文件：{reason}",
                      "not a budget/final-accounts disclosure" + ("" if doc.tables else " (no standard table)"))
    e.reason = reason  # the why alone (auditor batch shows it in its own sentence)
    return e


def audit(path, select=None, ignore=None, budget: Budget | None = None):
    """The whole pipeline for one document (a path, or a Document already loaded, e.g. one joined from several
    files by load_disclosures): read, structure, claims, checks -> AuditResult."""
    from .checks import run_checks
    from .claims import extract_claims
    from .model import AuditResult

    name = path.source.path if isinstance(path, Document) else text_name(str(path))
    with gc_paused(), within(budget, name):
        doc = path if isinstance(path, Document) else load_disclosure(path)
        note("说明表述提取")
        extract_claims(doc)
        note("规则核对")
        findings = run_checks(doc, select, ignore)
    checked = sum(1 for c in doc.claims if c.kind in ("amount", "share", "change_pct", "completion"))
    return AuditResult(doc, findings, checked)


# ---------------------------------------------------------------- a disclosure published as several files

_FIGURE = re.compile(r"\d[\d,]*\.\d{2}")
MIN_SHARED = 3   # two-decimal figures the narrative must share with a tables file to be paired with it


@dataclass
class Part:
    path: str
    blocks: list[Block]
    doc: Document

    @property
    def narrative_figures(self) -> set[str]:
        return {m.replace(",", "") for i in self.doc.narrative for m in _FIGURE.findall(self.doc.blocks[i].text)}

    @property
    def role(self) -> str:
        """narrative (no table), tables (tables and no narrative figure) or full."""
        if not self.doc.tables:
            return "narrative"
        return "tables" if len(self.narrative_figures) < MIN_SHARED else "full"


def _cell_figures(doc: Document) -> set[str]:
    return {c.raw.replace(",", "").strip() for t in doc.tables for _, _, c in t.cells()}


def _compatible(a: Document, b: Document) -> bool:
    return all(x is None or y is None or x == y for x, y in ((a.year, b.year), (a.kind, b.kind)))


def join_parts(parts: list[Part]) -> Document:
    """One Document from the files of one disclosure, narrative first; every block keeps its own file's
    provenance, so findings name the file each figure comes from."""
    return join_read(parts_read(parts))


def parts_read(parts: list[Part]) -> tuple[tuple[SourceInfo, list[Block]], ...]:
    """The files of one disclosure as read, (source, blocks) each, narrative first: what join_read joins (a batch
    sends them to the worker that audits the group)."""
    return tuple((p.doc.source, p.blocks) for p in sorted(parts, key=lambda p: p.role != "narrative"))


def join_read(read) -> Document:
    from .structure import build_document

    return build_document(read[0][0], [b for _, blocks in read for b in blocks])


def pair_parts(parts: list[Part]) -> list[list[Part]]:
    """Group a narrative-only file with the tables-only file whose cells print the most of its figures (at least
    MIN_SHARED, strictly more than any other candidate, year and kind not contradicting); others stay alone."""
    narr = [p for p in parts if p.role == "narrative"]
    tabs = [p for p in parts if p.role == "tables"]
    cells = {id(t): _cell_figures(t.doc) for t in tabs}
    scores = []
    for n in narr:
        figs = n.narrative_figures
        ranked = sorted(((len(figs & cells[id(t)]), i) for i, t in enumerate(tabs) if _compatible(n.doc, t.doc)),
                        reverse=True)
        if ranked and ranked[0][0] >= MIN_SHARED and (len(ranked) == 1 or ranked[1][0] < ranked[0][0]):
            scores.append((ranked[0][0], n, tabs[ranked[0][1]]))
    used: set[int] = set()
    groups: dict[int, list[Part]] = {}
    for _, n, t in sorted(scores, key=lambda x: -x[0]):
        if id(t) not in used:
            used |= {id(t), id(n)}
            groups[id(n)] = [n, t]
    out = []
    for p in parts:
        if id(p) in groups:
            out.append(groups[id(p)])
        elif id(p) not in used:
            out.append([p])
    return out


def load_disclosures(paths, group: bool = False,
                     budget: Budget | None = None) -> tuple[list[Document], list[InputError]]:
    """Load every file; the files of one disclosure (a narrative file and its tables file, recognised by the
    figures they share) become one Document. ``group``: all the files given are one disclosure. A file that cannot
    be read or is not a disclosure is one InputError, and the others go on."""
    from .structure import build_document
    from .structure.disclosure import not_disclosure_reason

    parts, errors = [], []
    for path in paths:
        try:
            with within(budget, text_name(str(path))):
                info, blocks = read_blocks(path)
                doc = build_document(info, blocks)
            reason = not_disclosure_reason(doc)
            if reason is not None and not group:
                raise _not_disclosure(path, reason, doc)
            parts.append(Part(str(path), doc.blocks, doc))
        except InputError as e:
            errors.append(e)
    groups = [parts] if group and parts else pair_parts(parts)
    return [g[0].doc if len(g) == 1 else join_parts(g) for g in groups], errors
