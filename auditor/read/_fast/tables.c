/* Included by module.c (one translation unit): ruled tables from ruling edges, pdf_grid.find_tables in C (merge_edges,
 * _intersections, _cells, _tables, _rows).  Edges with a coordinate that is not finite leave the page to the Python
 * code (it compares NaN as Python does). */

static PyObject *Sum;  /* builtins.sum: a snapped edge's position is sum(positions) / n, as the running Python sums */
static const double SNAP = 3.0, JOIN = 3.0, MIN_LENGTH = 3.0, MIN_PREFILTER = 1.0, INTERSECTION = 3.0;

typedef struct { double pos, a, b; Py_ssize_t order; } Seg;

static int cmp_seg_pos(const void *p, const void *q) {  /* by pos, stable */
    const Seg *x = p, *y = q;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static int cmp_seg_a(const void *p, const void *q) {  /* by a, stable */
    const Seg *x = p, *y = q;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static int cmp_seg_pos_a(const void *p, const void *q) {  /* by (pos, a), stable */
    const Seg *x = p, *y = q;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static int cmp_seg_order(const void *p, const void *q) {
    const Seg *x = p, *y = q;
    return (x->order > y->order) - (x->order < y->order);
}

/* merge_edges for one orientation: ``in`` (n segments, order = page order) -> ``out`` from *nout on, the clusters of
 * positions within SNAP of the previous one snapped to their mean (Python's sum, in page order), joined along the
 * line when less than JOIN apart, the short ones dropped */
static int merge_one(Seg *in, Py_ssize_t n, Seg *out, Py_ssize_t *nout) {
    if (n == 0) return 0;
    qsort(in, (size_t)n, sizeof(Seg), cmp_seg_pos);
    Py_ssize_t s = 0;
    while (s < n) {
        Py_ssize_t e = s + 1;
        while (e < n && !(in[e].pos > in[e - 1].pos + SNAP)) e++;
        Seg *ms = in + s;
        Py_ssize_t m = e - s;
        qsort(ms, (size_t)m, sizeof(Seg), cmp_seg_order);
        PyObject *list = PyList_New(m);
        if (list == NULL) return -1;
        for (Py_ssize_t i = 0; i < m; i++) {
            PyObject *f = PyFloat_FromDouble(ms[i].pos);
            if (f == NULL) { Py_DECREF(list); return -1; }
            PyList_SET_ITEM(list, i, f);
        }
        PyObject *total = PyObject_CallOneArg(Sum, list);
        Py_DECREF(list);
        if (total == NULL) return -1;
        double avg = PyFloat_AsDouble(total) / (double)m;
        Py_DECREF(total);
        if (PyErr_Occurred()) return -1;
        qsort(ms, (size_t)m, sizeof(Seg), cmp_seg_a);  /* along the line by start; ties in page order */
        double ja = 0, jb = 0;
        for (Py_ssize_t i = 0; i <= m; i++) {
            if (i > 0 && i < m && ms[i].a <= jb + JOIN) {
                jb = pymax(jb, ms[i].b);
                continue;
            }
            if (i > 0 && jb - ja >= MIN_LENGTH) {
                out[*nout].pos = avg; out[*nout].a = ja; out[*nout].b = jb; out[*nout].order = *nout;
                (*nout)++;
            }
            if (i < m) { ja = ms[i].a; jb = ms[i].b; }
        }
        s = e;
    }
    return 0;
}

/* sorted small sets of edge ids */
typedef struct { Py_ssize_t *v; Py_ssize_t n, cap; } IdSet;

static int ids_add(IdSet *s, Py_ssize_t id) {
    for (Py_ssize_t i = 0; i < s->n; i++) if (s->v[i] == id) return 0;
    if (s->n == s->cap) {
        Py_ssize_t cap = s->cap ? 2 * s->cap : 4;
        Py_ssize_t *v = PyMem_Realloc(s->v, (size_t)cap * sizeof(Py_ssize_t));
        if (v == NULL) { PyErr_NoMemory(); return -1; }
        s->v = v; s->cap = cap;
    }
    s->v[s->n++] = id;
    return 0;
}

static int ids_meet(const IdSet *a, const IdSet *b) {  /* not a.isdisjoint(b) */
    for (Py_ssize_t i = 0; i < a->n; i++)
        for (Py_ssize_t j = 0; j < b->n; j++)
            if (a->v[i] == b->v[j]) return 1;
    return 0;
}

typedef struct { double x, y; IdSet v, h; } Point;

static Point *PointsY;  /* the points cmp_by_y orders (qsort has no context argument) */

static int cmp_by_y(const void *p, const void *q) {
    const Point *a = PointsY + *(const Py_ssize_t *)p, *b = PointsY + *(const Py_ssize_t *)q;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return (a->x > b->x) - (a->x < b->x);
}

/* the point at (x, y) among pts[lo..hi) sorted by (x, y), or -1 */
static Py_ssize_t find_point(const Point *pts, Py_ssize_t n, double x, double y) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (pts[mid].x < x || (pts[mid].x == x && pts[mid].y < y)) lo = mid + 1; else hi = mid;
    }
    return lo < n && pts[lo].x == x && pts[lo].y == y ? lo : -1;
}

typedef struct { double x0, top, x1, bottom; } Cell;

static Py_ssize_t uf_find(Py_ssize_t *parent, Py_ssize_t i) {
    while (parent[i] != i) { parent[i] = parent[parent[i]]; i = parent[i]; }
    return i;
}

typedef struct { double top, x0; Py_ssize_t order, first, n; } Group;

static int cmp_group(const void *p, const void *q) {  /* by min((top, x0)) of its cells, stable */
    const Group *a = p, *b = q;
    if (a->top != b->top) return a->top < b->top ? -1 : 1;
    if (a->x0 != b->x0) return a->x0 < b->x0 ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

static int cmp_cell_row(const void *p, const void *q) {  /* by (top, x0), stable on the index after the cell */
    const Cell *a = p, *b = q;
    if (a->top != b->top) return a->top < b->top ? -1 : 1;
    if (a->x0 != b->x0) return a->x0 < b->x0 ? -1 : 1;
    return 0;
}

static PyObject *cell_tuple(const Cell *c) {
    return Py_BuildValue("(dddd)", c->x0, c->top, c->x1, c->bottom);
}

/* one table: (bbox, rows) as pdf_grid._rows lays its cells out */
static PyObject *table_rows(Cell *cells, Py_ssize_t n) {
    double bx0 = cells[0].x0, btop = cells[0].top, bx1 = cells[0].x1, bbottom = cells[0].bottom;
    double *xs = PyMem_Malloc((size_t)n * sizeof(double));
    if (!xs) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        if (cells[i].x0 < bx0) bx0 = cells[i].x0;
        if (cells[i].top < btop) btop = cells[i].top;
        if (cells[i].x1 > bx1) bx1 = cells[i].x1;
        if (cells[i].bottom > bbottom) bbottom = cells[i].bottom;
        xs[i] = cells[i].x0;
    }
    Py_ssize_t nx = sorted_unique(xs, n);
    qsort(cells, (size_t)n, sizeof(Cell), cmp_cell_row);  /* (top, x0) are unique: one cell per top-left point */
    PyObject *rows = PyList_New(0), *out = NULL;
    if (rows == NULL) { PyMem_Free(xs); return NULL; }
    Py_ssize_t s = 0;
    while (s < n) {
        Py_ssize_t e = s;
        while (e < n && cells[e].top == cells[s].top) e++;
        PyObject *row = PyList_New(nx);
        if (row == NULL) goto done;
        for (Py_ssize_t i = 0; i < nx; i++) PyList_SET_ITEM(row, i, Py_NewRef(Py_None));
        for (Py_ssize_t k = s; k < e; k++) {
            Py_ssize_t i = bisect_left(xs, nx, cells[k].x0);
            PyObject *t = cell_tuple(&cells[k]);
            if (t == NULL) { Py_DECREF(row); goto done; }
            PyObject *old = PyList_GET_ITEM(row, i);
            PyList_SET_ITEM(row, i, t);
            Py_DECREF(old);
        }
        int r = PyList_Append(rows, row);
        Py_DECREF(row);
        if (r < 0) goto done;
        s = e;
    }
    out = Py_BuildValue("((dddd)O)", bx0, btop, bx1, bbottom, rows);
done:
    PyMem_Free(xs);
    Py_DECREF(rows);
    return out;
}

typedef struct { double x, y; Py_ssize_t seq, vi, hi; } Hit;

static int cmp_hit(const void *p, const void *q) {
    const Hit *a = p, *b = q;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

typedef struct { double x, y; Py_ssize_t cell; } Corner;

static int cmp_corner(const void *p, const void *q) {
    const Corner *a = p, *b = q;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    if (a->y != b->y) return a->y < b->y ? -1 : 1;
    return (a->cell > b->cell) - (a->cell < b->cell);
}

/* edges -> the points where they meet, each with the ids of the edges there (pdf_grid._intersections) */
static Point *intersections(Seg *vs, Py_ssize_t nv, Seg *hs, Py_ssize_t nh, Py_ssize_t *npoints) {
    qsort(vs, (size_t)nv, sizeof(Seg), cmp_seg_pos_a);
    qsort(hs, (size_t)nh, sizeof(Seg), cmp_seg_pos_a);
    double *htops = PyMem_Malloc((size_t)(nh ? nh : 1) * sizeof(double));
    Py_ssize_t nhit = 0, cap = 64;
    Hit *hits = PyMem_Malloc((size_t)cap * sizeof(Hit));
    if (!htops || !hits) { PyMem_Free(htops); PyMem_Free(hits); PyErr_NoMemory(); return NULL; }
    for (Py_ssize_t i = 0; i < nh; i++) htops[i] = hs[i].pos;
    for (Py_ssize_t vi = 0; vi < nv; vi++) {
        const Seg *v = vs + vi;
        Py_ssize_t hi1 = bisect_right(htops, nh, v->b + INTERSECTION);
        for (Py_ssize_t hi = bisect_left(htops, nh, v->a - INTERSECTION); hi < hi1; hi++) {
            const Seg *h = hs + hi;
            if (!(h->a - INTERSECTION <= v->pos && v->pos <= h->b + INTERSECTION)) continue;
            if (nhit == cap) {
                cap *= 2;
                Hit *m = PyMem_Realloc(hits, (size_t)cap * sizeof(Hit));
                if (!m) { PyMem_Free(htops); PyMem_Free(hits); PyErr_NoMemory(); return NULL; }
                hits = m;
            }
            hits[nhit].x = v->pos; hits[nhit].y = h->pos; hits[nhit].seq = nhit;
            hits[nhit].vi = vi; hits[nhit].hi = hi;
            nhit++;
        }
    }
    PyMem_Free(htops);
    qsort(hits, (size_t)nhit, sizeof(Hit), cmp_hit);
    Point *pts = PyMem_Calloc((size_t)(nhit ? nhit : 1), sizeof(Point));
    if (!pts) { PyMem_Free(hits); PyErr_NoMemory(); return NULL; }
    Py_ssize_t np = 0;
    for (Py_ssize_t i = 0; i < nhit; i++) {
        if (np == 0 || hits[i].x != pts[np - 1].x || hits[i].y != pts[np - 1].y) {
            pts[np].x = hits[i].x; pts[np].y = hits[i].y;  /* the first key inserted, as a dict keeps it */
            np++;
        }
        if (ids_add(&pts[np - 1].v, hits[i].vi) < 0 || ids_add(&pts[np - 1].h, hits[i].hi) < 0) {
            for (Py_ssize_t k = 0; k < np; k++) { PyMem_Free(pts[k].v.v); PyMem_Free(pts[k].h.v); }
            PyMem_Free(pts); PyMem_Free(hits);
            return NULL;
        }
    }
    PyMem_Free(hits);
    *npoints = np;
    return pts;
}

/* each point's smallest cell with it as top-left corner whose four sides are ruled (pdf_grid._cells) */
static Cell *cells_of(Point *pts, Py_ssize_t np, Py_ssize_t *ncells) {
    Py_ssize_t *byy = PyMem_Malloc((size_t)(np ? np : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *posy = PyMem_Malloc((size_t)(np ? np : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *yend = PyMem_Malloc((size_t)(np ? np : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *xend = PyMem_Malloc((size_t)(np ? np : 1) * sizeof(Py_ssize_t));
    Cell *cells = PyMem_Malloc((size_t)(np ? np : 1) * sizeof(Cell));
    if (!byy || !posy || !yend || !xend || !cells) {
        PyMem_Free(byy); PyMem_Free(posy); PyMem_Free(yend); PyMem_Free(xend); PyMem_Free(cells);
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < np; i++) byy[i] = i;
    PointsY = pts;
    qsort(byy, (size_t)np, sizeof(Py_ssize_t), cmp_by_y);
    for (Py_ssize_t j = 0; j < np; j++) posy[byy[j]] = j;
    for (Py_ssize_t j = np - 1; j >= 0; j--)  /* the end of each point's run of equal y (in byy) and of equal x */
        yend[j] = (j + 1 < np && pts[byy[j + 1]].y == pts[byy[j]].y) ? yend[j + 1] : j + 1;
    for (Py_ssize_t i = np - 1; i >= 0; i--)
        xend[i] = (i + 1 < np && pts[i + 1].x == pts[i].x) ? xend[i + 1] : i + 1;
    Py_ssize_t nc = 0;
    for (Py_ssize_t p = 0; p < np; p++) {
        const Point *pt = pts + p;
        int found = 0;
        for (Py_ssize_t k = p + 1; k < xend[p] && !found; k++) {
            const Point *below = pts + k;
            if (!ids_meet(&pt->v, &below->v)) continue;
            for (Py_ssize_t j = posy[p] + 1; j < yend[posy[p]]; j++) {
                const Point *right = pts + byy[j];
                if (!ids_meet(&pt->h, &right->h)) continue;
                Py_ssize_t c = find_point(pts, np, right->x, below->y);
                if (c >= 0 && ids_meet(&pts[c].v, &right->v) && ids_meet(&pts[c].h, &below->h)) {
                    cells[nc].x0 = pt->x; cells[nc].top = pt->y; cells[nc].x1 = right->x; cells[nc].bottom = below->y;
                    nc++;
                    found = 1;
                    break;
                }
            }
        }
    }
    PyMem_Free(byy); PyMem_Free(posy); PyMem_Free(yend); PyMem_Free(xend);
    *ncells = nc;
    return cells;
}

/* cells grouped by shared corners, tables of more than one cell, top to bottom then left to right (pdf_grid._tables),
 * each as (bbox, rows) */
static PyObject *tables_of(Cell *cells, Py_ssize_t n) {
    Py_ssize_t *parent = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    Corner *corners = PyMem_Malloc((size_t)(n ? 4 * n : 1) * sizeof(Corner));
    Py_ssize_t *gid = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    Group *groups = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Group));
    Cell *tmp = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Cell));
    PyObject *out = PyList_New(0);
    if (!parent || !corners || !gid || !groups || !tmp || !out) { PyErr_NoMemory(); Py_CLEAR(out); goto done; }
    for (Py_ssize_t i = 0; i < n; i++) {
        parent[i] = i;
        const Cell *c = cells + i;
        double cx[4] = {c->x0, c->x0, c->x1, c->x1}, cy[4] = {c->top, c->bottom, c->top, c->bottom};
        for (int q = 0; q < 4; q++) { corners[4 * i + q].x = cx[q]; corners[4 * i + q].y = cy[q]; corners[4 * i + q].cell = i; }
    }
    qsort(corners, (size_t)(4 * n), sizeof(Corner), cmp_corner);
    for (Py_ssize_t k = 1; k < 4 * n; k++)
        if (corners[k].x == corners[k - 1].x && corners[k].y == corners[k - 1].y)
            parent[uf_find(parent, corners[k].cell)] = uf_find(parent, corners[k - 1].cell);
    Py_ssize_t ng = 0;
    for (Py_ssize_t i = 0; i < n; i++) gid[i] = -1;
    Py_ssize_t *root_group = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    if (!root_group) { PyErr_NoMemory(); Py_CLEAR(out); goto done; }
    for (Py_ssize_t i = 0; i < n; i++) root_group[i] = -1;
    for (Py_ssize_t i = 0; i < n; i++) {  /* groups in order of their first cell */
        Py_ssize_t r = uf_find(parent, i);
        if (root_group[r] < 0) {
            root_group[r] = ng;
            groups[ng].top = cells[i].top; groups[ng].x0 = cells[i].x0; groups[ng].order = ng; groups[ng].n = 0;
            ng++;
        }
        Group *g = groups + root_group[r];
        gid[i] = root_group[r];
        g->n++;
        if (cells[i].top < g->top || (cells[i].top == g->top && cells[i].x0 < g->x0)) {
            g->top = cells[i].top; g->x0 = cells[i].x0;
        }
    }
    PyMem_Free(root_group);
    qsort(groups, (size_t)ng, sizeof(Group), cmp_group);
    for (Py_ssize_t g = 0; g < ng; g++) {
        if (groups[g].n < 2) continue;
        Py_ssize_t m = 0;
        for (Py_ssize_t i = 0; i < n; i++)
            if (gid[i] == groups[g].order) tmp[m++] = cells[i];
        PyObject *t = table_rows(tmp, m);
        if (t == NULL || PyList_Append(out, t) < 0) { Py_XDECREF(t); Py_CLEAR(out); goto done; }
        Py_DECREF(t);
    }
done:
    PyMem_Free(parent); PyMem_Free(corners); PyMem_Free(gid); PyMem_Free(groups); PyMem_Free(tmp);
    return out;
}

/* find_tables(edges) -> [(bbox, rows)], or None when an edge has a coordinate that is not finite */
static PyObject *find_tables(PyObject *self, PyObject *args) {
    PyObject *edges;
    if (!ready() || !PyArg_ParseTuple(args, "O!", &PyList_Type, &edges)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(edges), nv = 0, nh = 0, nm = 0;
    Seg *v = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Seg)), *h = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Seg));
    Seg *merged = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Seg));
    Point *pts = NULL;
    Py_ssize_t np = 0, nc = 0;
    Cell *cells = NULL;
    PyObject *out = NULL;
    if (!v || !h || !merged) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *e = PyList_GET_ITEM(edges, i);
        if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) != 4) { PyErr_SetString(PyExc_TypeError, "edges: Edge tuples"); goto done; }
        double q[3];
        for (int k = 0; k < 3; k++) {
            q[k] = PyFloat_AsDouble(PyTuple_GET_ITEM(e, k + 1));
            if (q[k] == -1.0 && PyErr_Occurred()) goto done;
            if (!isfinite(q[k])) { out = Py_NewRef(Py_None); goto done; }
        }
        if (!(q[2] - q[1] >= MIN_PREFILTER)) continue;
        PyObject *o = PyTuple_GET_ITEM(e, 0);
        Seg s = {q[0], q[1], q[2], i};
        if (PyUnicode_Check(o) && PyUnicode_CompareWithASCIIString(o, "v") == 0) v[nv++] = s;
        else if (PyUnicode_Check(o) && PyUnicode_CompareWithASCIIString(o, "h") == 0) h[nh++] = s;
    }
    if (merge_one(v, nv, merged, &nm) < 0) goto done;
    Py_ssize_t mv = nm;
    if (merge_one(h, nh, merged, &nm) < 0) goto done;
    if (nm == 0) { out = PyList_New(0); goto done; }
    pts = intersections(merged, mv, merged + mv, nm - mv, &np);
    if (pts == NULL) goto done;
    cells = cells_of(pts, np, &nc);
    if (cells == NULL) goto done;
    out = tables_of(cells, nc);
done:
    if (pts)
        for (Py_ssize_t k = 0; k < np; k++) { PyMem_Free(pts[k].v.v); PyMem_Free(pts[k].h.v); }
    PyMem_Free(pts); PyMem_Free(cells); PyMem_Free(v); PyMem_Free(h); PyMem_Free(merged);
    return out;
}
