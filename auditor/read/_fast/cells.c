/* Included by module.c (one translation unit): the cell texts of a ruled table. */
/* ---- cell texts: pdf_grid.fill_texts and extract_text ---- */

static Py_ssize_t OFF[6] = {-1, -1, -1, -1, -1, -1};  /* the slots x0, x1, top, text, bottom and size of Char */
static const char *SLOT_NAMES[6] = {"x0", "x1", "top", "text", "bottom", "size"};
static PyObject *SlotNames[6];
static const double WORD_GAP = 3.0, LINE_GAP = 3.0;

static int char_slots(void) {
    for (int i = 0; i < 6; i++) {
        if (SlotNames[i] == NULL && (SlotNames[i] = PyUnicode_InternFromString(SLOT_NAMES[i])) == NULL) return -1;
        OFF[i] = -1;
        PyObject *d = PyObject_GetAttr(CharType, SlotNames[i]);
        if (d == NULL) { PyErr_Clear(); continue; }
        if (Py_IS_TYPE(d, &PyMemberDescr_Type)) {
            PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
            if (m->type == T_OBJECT_EX) OFF[i] = m->offset;
        }
        Py_DECREF(d);
    }
    return 0;
}

/* attribute i of a character: its slot read directly when it is a Char, else getattr (new reference) */
static PyObject *char_attr(PyObject *c, int i) {
    if (Py_IS_TYPE(c, (PyTypeObject *)CharType) && OFF[i] >= 0) {
        PyObject *v = *(PyObject **)((char *)c + OFF[i]);
        if (v != NULL) return Py_NewRef(v);
    }
    return PyObject_GetAttr(c, SlotNames[i]);
}

static int char_double(PyObject *c, int i, double *out) {
    PyObject *v = char_attr(c, i);
    if (v == NULL) return -1;
    *out = PyFloat_CheckExact(v) ? PyFloat_AS_DOUBLE(v) : PyFloat_AsDouble(v);
    Py_DECREF(v);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static Py_ssize_t bisect_left(const double *a, Py_ssize_t n, double x) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (a[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static Py_ssize_t bisect_right(const double *a, Py_ssize_t n, double x) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (x < a[mid]) hi = mid; else lo = mid + 1;
    }
    return lo;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sorted(set(values)): sorts in place, returns the number kept */
static Py_ssize_t sorted_unique(double *v, Py_ssize_t n) {
    if (n == 0) return 0;
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    Py_ssize_t k = 1;
    for (Py_ssize_t i = 1; i < n; i++)
        if (v[i] != v[k - 1]) v[k++] = v[i];
    return k;
}

typedef struct { double key; Py_ssize_t pos; } Keyed;

static int cmp_keyed(const void *a, const void *b) {  /* a stable sort: ties in their given order */
    const Keyed *x = a, *y = b;
    if (x->key < y->key) return -1;
    if (x->key > y->key) return 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* str.isspace */
static int is_space(PyObject *t) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(t);
    if (n == 0) return 0;
    int kind = PyUnicode_KIND(t);
    const void *d = PyUnicode_DATA(t);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, d, i))) return 0;
    return 1;
}

/* The characters of one cell: x0, x1, top and text of each, in the order the page gives them. */
typedef struct { double *x0, *x1, *top; PyObject **text; char *space; } Chars;

/* pdfplumber's cluster_objects on tops: group[i] = the cluster of member i, clusters numbered in order of top */
static int line_clusters(const double *tops, Py_ssize_t n, Py_ssize_t *group, Py_ssize_t *ngroups) {
    double *u = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(double));
    Py_ssize_t *cid = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    if (!u || !cid) { PyMem_Free(u); PyMem_Free(cid); PyErr_NoMemory(); return -1; }
    memcpy(u, tops, (size_t)n * sizeof(double));
    Py_ssize_t m = sorted_unique(u, n), k = -1;
    for (Py_ssize_t i = 0; i < m; i++) {
        if (i == 0 || u[i] > u[i - 1] + LINE_GAP) k++;
        cid[i] = k;
    }
    for (Py_ssize_t i = 0; i < n; i++) group[i] = cid[bisect_left(u, m, tops[i])];
    *ngroups = k + 1;
    PyMem_Free(u);
    PyMem_Free(cid);
    return 0;
}

/* order: the members (0..n-1) by cluster, in their given order within one (sorted(zip(cid, range(n)))) */
static int line_order(const double *tops, Py_ssize_t n, Py_ssize_t *order, Py_ssize_t *group) {
    double mn = tops[0], mx = tops[0];
    for (Py_ssize_t i = 1; i < n; i++) {
        if (tops[i] > mx) mx = tops[i];
        if (tops[i] < mn) mn = tops[i];
    }
    if (mx - mn <= LINE_GAP) {
        for (Py_ssize_t i = 0; i < n; i++) { order[i] = i; group[i] = 0; }
        return 0;
    }
    Py_ssize_t ng;
    if (line_clusters(tops, n, group, &ng) < 0) return -1;
    Keyed *kk = PyMem_Malloc((size_t)n * sizeof(Keyed));
    if (!kk) { PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) { kk[i].key = (double)group[i]; kk[i].pos = i; }
    qsort(kk, (size_t)n, sizeof(Keyed), cmp_keyed);
    Py_ssize_t *g2 = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
    if (!g2) { PyMem_Free(kk); PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) { order[i] = kk[i].pos; g2[i] = group[kk[i].pos]; }
    memcpy(group, g2, (size_t)n * sizeof(Py_ssize_t));  /* group[i]: the cluster of order[i] */
    PyMem_Free(g2);
    PyMem_Free(kk);
    return 0;
}

/* The words of one line (the members idx[0..n) of ch): appended to texts (str) and tops (the word's smallest top) */
static int line_words(const Chars *ch, const Py_ssize_t *idx, Py_ssize_t n, PyObject *texts, double *tops,
                      Py_ssize_t *nwords) {
    Keyed *kk = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Keyed));
    PyObject *cur = PyList_New(0);
    if (!kk || !cur) { PyMem_Free(kk); Py_XDECREF(cur); PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) { kk[i].key = ch->x0[idx[i]]; kk[i].pos = i; }
    qsort(kk, (size_t)n, sizeof(Keyed), cmp_keyed);
    double px0 = 0, px1 = 0, ptop = 0, wtop = 0;
    int r = 0;
    for (Py_ssize_t s = 0; s <= n && r == 0; s++) {
        Py_ssize_t c = s < n ? idx[kk[s].pos] : -1;
        int end = c < 0 || ch->space[c];
        if (!end && PyList_GET_SIZE(cur)) {
            double x0 = ch->x0[c];
            end = x0 < px0 || x0 > px1 + WORD_GAP || fabs(ch->top[c] - ptop) > LINE_GAP;
        }
        if (end && PyList_GET_SIZE(cur)) {
            PyObject *w = PyUnicode_Join(StrEmpty, cur);  /* "".join */
            if (w == NULL || PyList_Append(texts, w) < 0) r = -1;
            Py_XDECREF(w);
            tops[(*nwords)++] = wtop;
            if (PyList_SetSlice(cur, 0, PyList_GET_SIZE(cur), NULL) < 0) r = -1;
        }
        if (c < 0 || ch->space[c] || r) continue;
        if (PyList_GET_SIZE(cur) == 0 || ch->top[c] < wtop) wtop = ch->top[c];
        if (PyList_Append(cur, ch->text[c]) < 0) r = -1;
        px0 = ch->x0[c]; px1 = ch->x1[c]; ptop = ch->top[c];
    }
    Py_DECREF(cur);
    PyMem_Free(kk);
    return r;
}

static PyObject *join_lines(PyObject *words, const double *tops, Py_ssize_t n, PyObject *space, PyObject *nl) {
    Py_ssize_t *order = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t)), *group = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
    PyObject *lines = PyList_New(0), *line = PyList_New(0), *out = NULL;
    if (!order || !group || !lines || !line) { PyErr_NoMemory(); goto done; }
    if (line_order(tops, n, order, group) < 0) goto done;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if ((i == n || (i > 0 && group[i] != group[i - 1])) && PyList_GET_SIZE(line)) {
            PyObject *t = PyUnicode_Join(space, line);
            if (t == NULL || PyList_Append(lines, t) < 0) { Py_XDECREF(t); goto done; }
            Py_DECREF(t);
            if (PyList_SetSlice(line, 0, PyList_GET_SIZE(line), NULL) < 0) goto done;
        }
        if (i < n && PyList_Append(line, PyList_GET_ITEM(words, order[i])) < 0) goto done;
    }
    out = PyUnicode_Join(nl, lines);
done:
    PyMem_Free(order);
    PyMem_Free(group);
    Py_XDECREF(lines);
    Py_XDECREF(line);
    return out;
}

/* extract_text of the members idx[0..n) of ch */
static PyObject *cell_text(const Chars *ch, const Py_ssize_t *idx, Py_ssize_t n) {
    if (n == 0) return Py_NewRef(StrEmpty);
    if (n == 1) return Py_NewRef(ch->space[idx[0]] ? StrEmpty : ch->text[idx[0]]);
    double *tops = PyMem_Malloc((size_t)n * sizeof(double));
    Py_ssize_t *order = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t)), *group = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
    Py_ssize_t *line = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
    double *wtops = PyMem_Malloc((size_t)n * sizeof(double));
    PyObject *words = PyList_New(0), *out = NULL;
    if (!tops || !order || !group || !line || !wtops || !words) { PyErr_NoMemory(); goto done; }
    double mn = ch->top[idx[0]], mx = mn;
    for (Py_ssize_t i = 0; i < n; i++) {
        tops[i] = ch->top[idx[i]];
        if (tops[i] > mx) mx = tops[i];
        if (tops[i] < mn) mn = tops[i];
    }
    Py_ssize_t nwords = 0;
    if (mx - mn <= LINE_GAP) {  /* one line, its words' tops within LINE_GAP too: its words joined by spaces */
        if (line_words(ch, idx, n, words, wtops, &nwords) == 0) out = PyUnicode_Join(StrSpace, words);
        goto done;
    }
    if (line_order(tops, n, order, group) < 0) goto done;
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {  /* the lines, each split into words */
        if (i == n || (i > 0 && group[i] != group[i - 1])) {
            if (line_words(ch, line + start, i - start, words, wtops, &nwords) < 0) goto done;
            start = i;
        }
        if (i < n) line[i] = idx[order[i]];
    }
    out = nwords ? join_lines(words, wtops, nwords, StrSpace, StrNl) : Py_NewRef(StrEmpty);
done:
    PyMem_Free(tops); PyMem_Free(order); PyMem_Free(group); PyMem_Free(line); PyMem_Free(wtops);
    Py_XDECREF(words);
    return out;
}

static int all_finite(const Chars *ch, const Py_ssize_t *idx, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t c = idx[i];
        if (!isfinite(ch->x0[c]) || !isfinite(ch->x1[c]) || !isfinite(ch->top[c])) return 0;
    }
    return 1;
}

/* fill_texts(bbox, rows, chars, extract_text) -> texts: pdf_grid.fill_texts; a cell whose characters have a
 * coordinate that is not finite (a damaged file) is left to the Python extract_text, which orders them as Python
 * compares NaN */
static PyObject *fill_texts(PyObject *self, PyObject *args) {
    PyObject *bbox, *rows, *chars, *pyextract;
    if (!ready() || !PyArg_ParseTuple(args, "OO!O!O", &bbox, &PyList_Type, &rows, &PyList_Type, &chars, &pyextract))
        return NULL;
    double b[4];
    PyObject *bt = PySequence_Tuple(bbox);
    if (bt == NULL) return NULL;
    if (PyTuple_GET_SIZE(bt) != 4) { Py_DECREF(bt); PyErr_SetString(PyExc_ValueError, "bbox"); return NULL; }
    for (int i = 0; i < 4; i++) b[i] = PyFloat_AsDouble(PyTuple_GET_ITEM(bt, i));
    Py_DECREF(bt);
    if (PyErr_Occurred()) return NULL;
    Py_ssize_t nrows = PyList_GET_SIZE(rows), ncells = 0, nch = PyList_GET_SIZE(chars);
    for (Py_ssize_t r = 0; r < nrows; r++) {
        PyObject *row = PyList_GET_ITEM(rows, r);
        if (!PyList_Check(row)) { PyErr_SetString(PyExc_TypeError, "rows: lists"); return NULL; }
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(row); j++) ncells += PyList_GET_ITEM(row, j) != Py_None;
    }
    PyObject *out = NULL;
    double *cb = PyMem_Malloc((size_t)(ncells ? ncells : 1) * 4 * sizeof(double));
    double *xs = PyMem_Malloc((size_t)(ncells ? ncells : 1) * 2 * sizeof(double));
    double *ys = PyMem_Malloc((size_t)(ncells ? ncells : 1) * 2 * sizeof(double));
    Py_ssize_t *slots = NULL, *owner = PyMem_Malloc((size_t)(nch ? nch : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *start = PyMem_Calloc((size_t)ncells + 1, sizeof(Py_ssize_t)), *members = NULL;
    Chars ch = {PyMem_Malloc((size_t)(nch ? nch : 1) * sizeof(double)), PyMem_Malloc((size_t)(nch ? nch : 1) * sizeof(double)),
                PyMem_Malloc((size_t)(nch ? nch : 1) * sizeof(double)), PyMem_Calloc((size_t)(nch ? nch : 1), sizeof(PyObject *)),
                PyMem_Malloc((size_t)(nch ? nch : 1))};
    if (!cb || !xs || !ys || !owner || !start || !ch.x0 || !ch.x1 || !ch.top || !ch.text || !ch.space) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t r = 0; r < nrows; r++) {
        PyObject *row = PyList_GET_ITEM(rows, r);
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(row); j++) {
            PyObject *c = PyList_GET_ITEM(row, j);
            if (c == Py_None) continue;
            for (int q = 0; q < 4; q++) {
                PyObject *v = PySequence_GetItem(c, q);
                if (v == NULL) goto done;
                cb[4 * k + q] = PyFloat_AsDouble(v);
                Py_DECREF(v);
                if (PyErr_Occurred()) goto done;
            }
            xs[2 * k] = cb[4 * k]; xs[2 * k + 1] = cb[4 * k + 2];
            ys[2 * k] = cb[4 * k + 1]; ys[2 * k + 1] = cb[4 * k + 3];
            k++;
        }
    }
    Py_ssize_t nx = sorted_unique(xs, 2 * ncells), ny = sorted_unique(ys, 2 * ncells);
    slots = PyMem_Malloc((size_t)(nx * ny > 0 ? nx * ny : 1) * sizeof(Py_ssize_t));
    if (!slots) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < nx * ny; i++) slots[i] = -1;
    for (k = 0; k < ncells; k++) {  /* slots[j][i]: the cell covering slot (i, j) */
        Py_ssize_t i0 = bisect_left(xs, nx, cb[4 * k]), i1 = bisect_left(xs, nx, cb[4 * k + 2]);
        Py_ssize_t j1 = bisect_left(ys, ny, cb[4 * k + 3]);
        for (Py_ssize_t j = bisect_left(ys, ny, cb[4 * k + 1]); j < j1; j++)
            for (Py_ssize_t i = i0; i < i1; i++) slots[j * nx + i] = k;
    }
    for (Py_ssize_t c = 0; c < nch; c++) {  /* each character to the cell holding its centre */
        PyObject *o = PyList_GET_ITEM(chars, c);
        double x1;
        owner[c] = -1;
        if (char_double(o, 0, &ch.x0[c]) < 0 || char_double(o, 1, &x1) < 0) goto done;
        ch.x1[c] = x1;
        double h = (ch.x0[c] + x1) / 2;
        if (h < b[0] || h >= b[2]) continue;
        double top, bottom;
        if (char_double(o, 2, &top) < 0 || char_double(o, 4, &bottom) < 0) goto done;
        ch.top[c] = top;
        double v = (top + bottom) / 2;
        if (v < b[1] || v >= b[3]) continue;
        Py_ssize_t j = bisect_right(ys, ny, v) - 1, i = bisect_right(xs, nx, h) - 1;
        if (j < 0 || i < 0) continue;  /* (cannot happen: h and v are within the table's box) */
        Py_ssize_t cell = slots[j * nx + i];
        if (cell < 0) continue;
        PyObject *t = char_attr(o, 3);
        if (t == NULL) goto done;
        if (!PyUnicode_Check(t)) { Py_DECREF(t); PyErr_SetString(PyExc_TypeError, "Char.text"); goto done; }
        ch.text[c] = t;  /* owned */
        ch.space[c] = (char)is_space(t);
        owner[c] = cell;
        start[cell + 1]++;
    }
    for (k = 0; k < ncells; k++) start[k + 1] += start[k];
    members = PyMem_Malloc((size_t)(start[ncells] ? start[ncells] : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *fillp = PyMem_Malloc((size_t)(ncells ? ncells : 1) * sizeof(Py_ssize_t));
    if (!members || !fillp) { PyMem_Free(fillp); PyErr_NoMemory(); goto done; }
    memcpy(fillp, start, (size_t)ncells * sizeof(Py_ssize_t));
    for (Py_ssize_t c = 0; c < nch; c++)
        if (owner[c] >= 0) members[fillp[owner[c]]++] = c;
    PyMem_Free(fillp);
    out = PyList_New(nrows);
    if (out == NULL) goto done;
    k = 0;
    for (Py_ssize_t r = 0; r < nrows; r++) {
        PyObject *row = PyList_GET_ITEM(rows, r);
        Py_ssize_t w = PyList_GET_SIZE(row);
        PyObject *texts = PyList_New(w);
        if (texts == NULL) { Py_CLEAR(out); goto done; }
        PyList_SET_ITEM(out, r, texts);
        for (Py_ssize_t j = 0; j < w; j++) {
            PyObject *t;
            if (PyList_GET_ITEM(row, j) == Py_None) {
                t = Py_NewRef(Py_None);
            } else {
                Py_ssize_t *idx = members + start[k], n = start[k + 1] - start[k];
                if (all_finite(&ch, idx, n)) {
                    t = cell_text(&ch, idx, n);
                } else {
                    PyObject *list = PyList_New(n);
                    if (list == NULL) { Py_CLEAR(out); goto done; }
                    for (Py_ssize_t q = 0; q < n; q++) PyList_SET_ITEM(list, q, Py_NewRef(PyList_GET_ITEM(chars, idx[q])));
                    t = PyObject_CallOneArg(pyextract, list);
                    Py_DECREF(list);
                }
                k++;
            }
            if (t == NULL) { Py_CLEAR(out); goto done; }
            PyList_SET_ITEM(texts, j, t);
        }
    }
done:
    if (ch.text)
        for (Py_ssize_t c = 0; c < nch; c++) Py_XDECREF(ch.text[c]);
    PyMem_Free(cb); PyMem_Free(xs); PyMem_Free(ys); PyMem_Free(slots); PyMem_Free(owner); PyMem_Free(start);
    PyMem_Free(members); PyMem_Free(ch.x0); PyMem_Free(ch.x1); PyMem_Free(ch.top); PyMem_Free(ch.text);
    PyMem_Free(ch.space);
    return out;
}
