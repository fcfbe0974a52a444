"""What the report page shows: the findings grouped by severity and section (filtered by rule and severity), and
for the selected finding its page images with the boxes to outline, the tables with the cited cells marked (the
stated value red, the expected green) and, for a text source, the lines around it."""
from __future__ import annotations

from typing import Optional

SEVERITIES = ("error", "warning", "info")
CONTEXT_LINES = 2


def filter_groups(findings: list[dict], rule: str, sevs: list[str]) -> list[dict]:
    """[{severity, count, sections: [{section, findings}]}] in severity order, sections in first-seen order."""
    out = []
    for sev in SEVERITIES:
        fs = [f for f in findings if f["severity"] == sev and sev in sevs and (not rule or f["rule"] == rule)]
        sections: dict[str, list] = {}
        for f in fs:
            sections.setdefault(f["section"], []).append(f)
        out.append({"severity": sev, "count": len(fs),
                    "sections": [{"section": k, "findings": v} for k, v in sections.items()]})
    return out


def _close(a: Optional[float], b: Optional[float]) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def role(f: dict, value: Optional[float]) -> str:
    """How a cited figure is marked: ``stated`` (red) when it is the figure the finding says is wrong,
    ``expected`` (green) when it is what the figure should be, else ``cited``."""
    if _close(value, f.get("stated")):
        return "stated"
    if _close(value, f.get("expected")):
        return "expected"
    return "cited"


def detail_of(doc: dict, view: dict, f: dict) -> dict:
    from ..checks import RULES
    from .pages import sizes
    from .uploads import upload_name

    ev = f.get("evidence") or []
    files = [x["path"] for x in view.get("files") or [{"path": doc["path"]}]]
    boxes = []
    for b in f.get("boxes") or []:
        e = ev[b["seq"] - 1] if 0 < b["seq"] <= len(ev) else None
        x0, top, x1, bottom = b["bbox"]
        boxes.append({"file": b.get("file", 0), "page": b["page"], "x": x0, "y": top, "w": max(x1 - x0, 1),
                      "h": max(bottom - top, 1), "kind": b["kind"],
                      "role": role(f, e.get("value")) if e and b["kind"] == "cell" else b["kind"]})
    pages: list[tuple[int, int]] = []  # (index of the file, page): pages are numbered per file
    for b in boxes:
        if (b["file"], b["page"]) not in pages:
            pages.append((b["file"], b["page"]))
    if not pages and doc["format"] == "pdf":
        places = [(f.get("path"), f.get("page"))] + [(e.get("path"), e.get("page")) for e in ev]
        pages = [(files.index(p) if p in files else 0, n) for p, n in places if n][:1]
    page_views = []
    if doc["format"] == "pdf":
        for k in dict.fromkeys(k for k, _ in pages):
            for n, size in sizes(files[k], [n for j, n in pages if j == k]).items():
                if size:
                    page_views.append({"file": k, "n": n, "w": size[0], "h": size[1], "url": page_url(doc, k, n),
                                       "name": upload_name(files[k]) if len(files) > 1 else None,
                                       "boxes": [b for b in boxes if b["page"] == n and b["file"] == k]})
    rule = RULES.get(f["rule"])
    return {"pages": page_views, "tables": _tables(view, f, set(files)), "lines": _lines(view, f),
            "rule_doc": rule.doc if rule else None}


def page_url(doc: dict, k: int, n: int) -> str:
    """Page ``n`` of the document's file ``k`` (0: its own source; others: the other files of its disclosure)."""
    base = f"/api/documents/{doc['id']}"
    return f"{base}/pages/{n}.png" if k == 0 else f"{base}/files/{k}/pages/{n}.png"


def _tables(view: dict, f: dict, paths: set[str]) -> list[dict]:
    """The tables of this document (of any of its files) that the finding cites (a cross-document finding also
    cites another document's)."""
    marks: dict[str, dict] = {}
    for e in f.get("evidence") or []:
        if e.get("table") in view["tables"] and (e.get("path") is None or e["path"] in paths):
            marks.setdefault(e["table"], {})[(e.get("row"), e.get("column"))] = role(f, e.get("value"))
    out = []
    for tid, cells in marks.items():
        g = view["tables"][tid]
        out.append({"id": tid, "title": g["title"], "unit": g.get("unit"), "page": g.get("page"),
                    "columns": g["columns"], "rows": g["rows"], "marks": cells})
    return out


def _lines(view: dict, f: dict) -> list[dict]:
    """Windows of the source lines around the finding's line and its evidence's lines (text sources)."""
    lines = view.get("lines") or {}
    if not lines:
        return []
    hit = {n for n in [f.get("line")] + [e.get("line") for e in f.get("evidence") or []] if n}
    want = sorted({n + d for n in hit for d in range(-CONTEXT_LINES, CONTEXT_LINES + 1)})
    return [{"n": n, "text": lines[str(n)], "hit": n in hit} for n in want if str(n) in lines]
