"""Files uploaded together that are one disclosure — a narrative-only file and the tables-only file whose cells
print its figures (the Jiangsu ``_wenben``/``_biaoge`` pairs) — become one document, grouped exactly as
``auditor check`` groups them: by auditor.pipeline.load_disclosures (pair_parts). Other files stay alone."""
from __future__ import annotations

from typing import Optional

from .uploads import Stored


def group_uploads(stored: list[Stored], max_bytes: int, seconds: Optional[float]) -> list[list[Stored]]:
    """The uploads in groups, each group narrative first, in upload order. A file that cannot be read or is not a
    disclosure stays alone (its own audit reports why)."""
    if len(stored) < 2:
        return [[s] for s in stored]
    from ..budget import MB, Budget
    from ..pipeline import load_disclosures

    by_path = {s.path: s for s in stored}
    budget = Budget(seconds=seconds, max_mb=max_bytes / MB, text_mb=max_bytes / MB / 10)
    docs, _ = load_disclosures([s.path for s in stored], budget=budget)
    grouped: dict[str, list[Stored]] = {}
    for d in docs:
        others = {b.prov.path for b in d.blocks} - {d.source.path}
        if others and d.source.path in by_path and others <= by_path.keys():
            members = [by_path[d.source.path]] + [s for s in stored if s.path in others]
            for m in members:
                grouped[m.path] = members
    out, seen = [], set()
    for s in stored:
        g = grouped.get(s.path, [s])
        if g[0].path not in seen:
            seen.add(g[0].path)
            out.append(g)
    return out


def group_name(group: list[Stored]) -> str:
    return " + ".join(s.name for s in group)
