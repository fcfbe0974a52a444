"""Ruled tables from ruling edges, and the text of each cell: pdfplumber's "lines" table finder, rewritten on plain
tuples with sorted look-ups instead of all-pairs scans (same snapping, joining, intersections, smallest cells, tables
of cells sharing corners, rows with merged cells as None, characters placed by their centre, cell text as
``extract_text`` gives it).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Optional

from .pdfium_page import Char, Edge, compiled

SNAP = 3.0
JOIN = 3.0
MIN_LENGTH = 3.0
MIN_LENGTH_PREFILTER = 1.0
INTERSECTION = 3.0
WORD_GAP = 3.0   # pdfplumber's x_tolerance: a wider gap starts a new word in a cell
LINE_GAP = 3.0   # pdfplumber's y_tolerance: tops further apart start a new line in a cell

BBox = tuple[float, float, float, float]
_X0 = attrgetter("x0")


@dataclass
class GridTable:
    bbox: BBox
    rows: list[list[Optional[BBox]]]           # cells by row; None where a merged cell covers the slot
    texts: list[list[Optional[str]]] = field(default_factory=list)


def _clusters(values: list[float], tol: float) -> dict[float, int]:
    """pdfplumber's cluster_list: sorted distinct values chained while each is within ``tol`` of the previous."""
    out: dict[float, int] = {}
    k, last = -1, None
    for v in sorted(set(values)):
        if last is None or v > last + tol:
            k += 1
        out[v] = k
        last = v
    return out


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Snap parallel edges within SNAP of each other to their mean, join collinear ones less than JOIN apart, drop
    short ones."""
    out: list[Edge] = []
    for orient in ("v", "h"):
        group = [e for e in edges if e.orient == orient and e.b - e.a >= MIN_LENGTH_PREFILTER]
        cid = _clusters([e.pos for e in group], SNAP)
        members: dict[int, list[Edge]] = {}
        for e in group:
            members.setdefault(cid[e.pos], []).append(e)
        snapped = []
        for k in sorted(members):
            ms = members[k]
            avg = sum(e.pos for e in ms) / len(ms)
            snapped += [(avg, e.a, e.b) for e in ms]
        snapped.sort(key=lambda t: t[0])
        for pos, line in groupby(snapped, key=lambda t: t[0]):
            joined: list[list[float]] = []
            for _, a, b in sorted(line, key=lambda t: t[1]):
                if joined and a <= joined[-1][1] + JOIN:
                    joined[-1][1] = max(joined[-1][1], b)
                else:
                    joined.append([a, b])
            out += [Edge(orient, pos, a, b) for a, b in joined if b - a >= MIN_LENGTH]
    return out


def _intersections(edges: list[Edge]) -> dict[tuple[float, float], tuple[set[int], set[int]]]:
    """Points where a vertical and a horizontal edge meet (within INTERSECTION), with the ids of the edges there."""
    vs = sorted((e for e in edges if e.orient == "v"), key=lambda e: (e.pos, e.a))
    hs = sorted((e for e in edges if e.orient == "h"), key=lambda e: (e.pos, e.a))
    htops = [h.pos for h in hs]
    tol = INTERSECTION
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vs):
        for hi in range(bisect_left(htops, v.a - tol), bisect_right(htops, v.b + tol)):
            h = hs[hi]
            if h.a - tol <= v.pos <= h.b + tol:
                p = points.setdefault((v.pos, h.pos), (set(), set()))
                p[0].add(vi)
                p[1].add(hi)
    return points


def _cells(points: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[BBox]:
    """For each point, the smallest cell with it as top-left corner whose four sides are ruled: the nearest point
    below joined to it by a vertical edge for which some point to the right, joined by a horizontal edge, closes
    the box."""
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    order = sorted(points)
    for x, y in order:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells = []
    for x, y in order:
        pv, ph = points[(x, y)]
        ys, xs = by_x[x], by_y[y]
        first_x = bisect_right(xs, x)
        found = None
        for k in range(bisect_right(ys, y), len(ys)):
            y2 = ys[k]
            below_v, below_h = points[(x, y2)]
            if pv.isdisjoint(below_v):
                continue
            for j in range(first_x, len(xs)):
                x2 = xs[j]
                right_v, right_h = points[(x2, y)]
                if ph.isdisjoint(right_h):
                    continue
                corner = points.get((x2, y2))
                if corner is not None and not corner[0].isdisjoint(right_v) and not corner[1].isdisjoint(below_h):
                    found = (x, y, x2, y2)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped by shared corners, tables of more than one cell, top-to-bottom then left-to-right."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[BBox]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(find(i), []).append(c)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list[BBox]) -> list[list[Optional[BBox]]]:
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, row in groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        at = {c[0]: c for c in row}
        rows.append([at.get(x) for x in xs])
    return rows


def find_tables(edges: list[Edge]) -> list[GridTable]:
    """The ruled tables the edges draw.  The compiled helper does the same in C where it is built (and leaves edges
    with a coordinate that is not finite to this code)."""
    fast = compiled()
    if fast is not None:
        found = fast.find_tables(edges if type(edges) is list else list(edges))
        if found is not None:
            return [GridTable(bbox, rows) for bbox, rows in found]
    return find_tables_py(edges)


def find_tables_py(edges: list[Edge]) -> list[GridTable]:
    """``find_tables`` in Python."""
    merged = merge_edges(edges)
    if not merged:
        return []
    out = []
    for cells in _tables(_cells(_intersections(merged))):
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        out.append(GridTable(bbox, _rows(cells)))
    return out


def fill_texts(table: GridTable, chars: list[Char]) -> None:
    """Each cell's text from the characters whose centre lies in it (half-open box, as pdfplumber).  The compiled
    helper does the same in C where it is built (tests/test_pdfium_fast.py holds both to the same texts)."""
    fast = compiled()
    if fast is not None:
        table.texts = fast.fill_texts(table.bbox, table.rows, chars if type(chars) is list else list(chars),
                                      extract_text)
        return
    fill_texts_py(table, chars)


def fill_texts_py(table: GridTable, chars: list[Char]) -> None:
    """``fill_texts`` in Python."""
    x0, top, x1, bottom = table.bbox
    cells = [c for row in table.rows for c in row if c is not None]
    xs = sorted({v for c in cells for v in (c[0], c[2])})
    ys = sorted({v for c in cells for v in (c[1], c[3])})
    slots = [[-1] * len(xs) for _ in ys]  # slots[j][i]: the index of the cell covering slot (i, j), -1 if none
    for k, c in enumerate(cells):
        i0, i1 = bisect_left(xs, c[0]), bisect_left(xs, c[2])
        for j in range(bisect_left(ys, c[1]), bisect_left(ys, c[3])):
            row = slots[j]
            for i in range(i0, i1):
                row[i] = k
    inside: list[list[Char]] = [[] for _ in cells]
    rows: dict[float, list[int]] = {}  # the characters of a line share their centre's height: one look-up each
    for ch in chars:
        h = (ch.x0 + ch.x1) / 2
        if h < x0 or h >= x1:
            continue
        v = (ch.top + ch.bottom) / 2
        if v < top or v >= bottom:
            continue
        row = rows.get(v)
        if row is None:
            row = rows[v] = slots[bisect_right(ys, v) - 1]
        k = row[bisect_right(xs, h) - 1]
        if k >= 0:
            inside[k].append(ch)
    texts = []
    k = 0
    for trow in table.rows:
        out: list[Optional[str]] = []
        for c in trow:
            if c is None:
                out.append(None)
            else:
                out.append(extract_text(inside[k]))
                k += 1
        texts.append(out)
    table.texts = texts


def _line_groups(objs: list, tol: float, top=lambda o: o.top) -> list[list]:
    """pdfplumber's cluster_objects on ``top``: clusters in order, members in their given order."""
    tops = [top(o) for o in objs]
    if max(tops) - min(tops) <= tol:
        return [objs]
    cid = _clusters(tops, tol)
    keyed = sorted(zip((cid[t] for t in tops), range(len(objs))))
    return [[objs[i] for _, i in g] for _, g in groupby(keyed, key=lambda t: t[0])]


def extract_text(chars: list[Char]) -> str:
    """pdfplumber's extract_text without layout: lines by top, words split at spaces and gaps, joined by " " and
    newlines."""
    if len(chars) <= 1:
        return "" if not chars or chars[0].text.isspace() else chars[0].text
    tops = [c.top for c in chars]
    if max(tops) - min(tops) <= LINE_GAP:  # one line, and its words' tops are within LINE_GAP too: one line of words
        return " ".join(_word_texts(chars))
    words = [("".join(c.text for c in w), min(c.top for c in w))   # (text, top)
             for line in _line_groups(chars, LINE_GAP) for w in _words(line)]
    if not words:
        return ""
    return "\n".join(" ".join(w[0] for w in line) for line in _line_groups(words, LINE_GAP, top=lambda w: w[1]))


def _words(line: list[Char]) -> list[list[Char]]:
    """The words of one line, left to right: split at spaces, at gaps wider than WORD_GAP, where x goes back, where
    the top moves by more than LINE_GAP."""
    words: list[list[Char]] = []
    cur: list[Char] = []
    for ch in sorted(line, key=_X0):
        if ch.text.isspace():
            if cur:
                words.append(cur)
            cur = []
            continue
        if cur:
            p = cur[-1]
            if ch.x0 < p.x0 or ch.x0 > p.x1 + WORD_GAP or abs(ch.top - p.top) > LINE_GAP:
                words.append(cur)
                cur = []
        cur.append(ch)
    if cur:
        words.append(cur)
    return words


def _word_texts(line: list[Char]) -> list[str]:
    """The texts of ``_words(line)``, built without a list per word."""
    words: list[str] = []
    cur: list[str] = []
    px0 = px1 = ptop = 0.0  # the last character of the current word
    for ch in sorted(line, key=_X0):
        t = ch.text
        if t.isspace():
            if cur:
                words.append("".join(cur))
                cur = []
            continue
        x0 = ch.x0
        if cur and (x0 < px0 or x0 > px1 + WORD_GAP or abs(ch.top - ptop) > LINE_GAP):
            words.append("".join(cur))
            cur = []
        cur.append(t)
        px0, px1, ptop = x0, ch.x1, ch.top
    if cur:
        words.append("".join(cur))
    return words
