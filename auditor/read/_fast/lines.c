/* Included by module.c (one translation unit): text lines, their texts and spans. */
/* ---- text lines: pdf._outside and pdf._group_lines ---- */


typedef struct { double r, x0; Py_ssize_t pos; } LineKey;

static int cmp_linekey(const void *a, const void *b) {
    const LineKey *x = a, *y = b;
    if (x->r != y->r) return x->r < y->r ? -1 : 1;
    if (x->x0 != y->x0) return x->x0 < y->x0 ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* group_lines(chars, boxes, python_group_lines) -> lines: the characters whose centre is in none of the boxes,
 * grouped into lines by vertical overlap with one of the last two lines, each line left to right.  Characters with a
 * coordinate that is not finite are left to the Python code (it orders them as Python compares NaN). */
static PyObject *group_lines(PyObject *self, PyObject *args) {
    PyObject *chars, *boxes, *pyfn;
    if (!ready() || !PyArg_ParseTuple(args, "O!O!O", &PyList_Type, &chars, &PyList_Type, &boxes, &pyfn)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(chars), nb = PyList_GET_SIZE(boxes), m = 0;
    double *bx = PyMem_Malloc((size_t)(nb ? nb : 1) * 4 * sizeof(double));
    double *top = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(double)), *bot = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(double));
    LineKey *keys = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(LineKey));
    Py_ssize_t *line_of = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    PyObject *kept = PyList_New(0), *cache = PyDict_New(), *out = NULL, *one = PyLong_FromLong(1);
    double *lt = NULL, *lb = NULL;
    if (!bx || !top || !bot || !keys || !line_of || !kept || !cache || !one) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < nb; i++) {
        PyObject *b = PySequence_Tuple(PyList_GET_ITEM(boxes, i));
        if (b == NULL) goto done;
        for (int q = 0; q < 4 && q < PyTuple_GET_SIZE(b); q++) bx[4 * i + q] = PyFloat_AsDouble(PyTuple_GET_ITEM(b, q));
        int bad = PyTuple_GET_SIZE(b) != 4;
        Py_DECREF(b);
        if (bad) { PyErr_SetString(PyExc_ValueError, "boxes"); goto done; }
        if (PyErr_Occurred()) goto done;
    }
    int finite = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyList_GET_ITEM(chars, i);
        double x0, x1, t, b;
        if (char_double(c, 0, &x0) < 0 || char_double(c, 1, &x1) < 0 || char_double(c, 2, &t) < 0 ||
            char_double(c, 4, &b) < 0)
            goto done;
        if (nb) {
            double cx = (x0 + x1) / 2, cy = (t + b) / 2;
            int in = 0;
            for (Py_ssize_t k = 0; k < nb && !in; k++) {
                const double *q = bx + 4 * k;
                in = q[0] <= cx && cx <= q[2] && q[1] <= cy && cy <= q[3];
            }
            if (in) continue;
        }
        if (!isfinite(x0) || !isfinite(t) || !isfinite(b)) finite = 0;
        if (PyList_Append(kept, c) < 0) goto done;
        top[m] = t; bot[m] = b;
        keys[m].x0 = x0; keys[m].pos = m;
        m++;
    }
    if (!finite) {  /* the Python code, on the characters kept */
        out = PyObject_CallOneArg(pyfn, kept);
        goto done;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *tk = PyFloat_FromDouble(top[i]);
        if (tk == NULL) goto done;
        PyObject *r = PyDict_GetItemWithError(cache, tk);
        if (r == NULL) {
            if (PyErr_Occurred()) { Py_DECREF(tk); goto done; }
            r = PyObject_CallFunctionObjArgs(Round, tk, one, NULL);
            if (r == NULL || PyDict_SetItem(cache, tk, r) < 0) { Py_XDECREF(r); Py_DECREF(tk); goto done; }
            Py_DECREF(r);
        }
        Py_DECREF(tk);
        keys[i].r = PyFloat_AsDouble(r);
        if (PyErr_Occurred()) goto done;
    }
    qsort(keys, (size_t)m, sizeof(LineKey), cmp_linekey);
    lt = PyMem_Malloc((size_t)(m ? m : 1) * sizeof(double));
    lb = PyMem_Malloc((size_t)(m ? m : 1) * sizeof(double));
    if (!lt || !lb) { PyErr_NoMemory(); goto done; }
    Py_ssize_t nl = 0;
    for (Py_ssize_t s = 0; s < m; s++) {
        Py_ssize_t c = keys[s].pos;
        double t = top[c], b = bot[c];
        double h = b - t > 0.1 ? b - t : 0.1;
        Py_ssize_t found = -1;
        for (Py_ssize_t i = nl - 1; i > (nl - 3 > -1 ? nl - 3 : -1); i--) {
            double overlap = (lb[i] < b ? lb[i] : b) - (lt[i] > t ? lt[i] : t);
            if (overlap >= 0.5 * (h < lb[i] - lt[i] ? h : lb[i] - lt[i])) { found = i; break; }
        }
        if (found < 0) { lt[nl] = t; lb[nl] = b; found = nl++; }
        line_of[s] = found;
    }
    /* each line's members left to right (stable): sort (line, x0, order of joining) */
    LineKey *byline = PyMem_Malloc((size_t)(m ? m : 1) * sizeof(LineKey));
    if (!byline) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t s = 0; s < m; s++) { byline[s].r = (double)line_of[s]; byline[s].x0 = keys[s].x0; byline[s].pos = s; }
    qsort(byline, (size_t)m, sizeof(LineKey), cmp_linekey);
    out = PyList_New(nl);
    if (out == NULL) { PyMem_Free(byline); goto done; }
    for (Py_ssize_t i = 0; i < nl; i++) {
        PyObject *l = PyList_New(0);
        if (l == NULL) { PyMem_Free(byline); Py_CLEAR(out); goto done; }
        PyList_SET_ITEM(out, i, l);
    }
    for (Py_ssize_t s = 0; s < m; s++) {
        Py_ssize_t k = byline[s].pos;
        PyObject *l = PyList_GET_ITEM(out, line_of[k]);
        if (PyList_Append(l, PyList_GET_ITEM(kept, keys[k].pos)) < 0) { PyMem_Free(byline); Py_CLEAR(out); goto done; }
    }
    PyMem_Free(byline);
done:
    PyMem_Free(bx); PyMem_Free(top); PyMem_Free(bot); PyMem_Free(keys); PyMem_Free(line_of); PyMem_Free(lt);
    PyMem_Free(lb);
    Py_XDECREF(kept); Py_XDECREF(cache); Py_XDECREF(one);
    return out;
}

/* one line's text as pdf._line_raw builds it (a space where the gap to the previous character is wider than 0.3 of
 * the smaller size, spaces of any kind as " ") and its span (pdf._extent) */
static PyObject *line_info(PyObject *line) {
    Py_ssize_t n = PyList_GET_SIZE(line);
    PyObject *pieces = PyList_New(0), *text = NULL, *out = NULL;
    if (pieces == NULL) return NULL;
    double px1 = 0, psize = 0, x0 = 0, top = 0, x1 = 0, bottom = 0;
    int last_space = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyList_GET_ITEM(line, i);
        double cx0, cx1, ct, cb, size;
        if (char_double(c, 0, &cx0) < 0 || char_double(c, 1, &cx1) < 0 || char_double(c, 2, &ct) < 0 ||
            char_double(c, 4, &cb) < 0 || char_double(c, 5, &size) < 0)
            goto done;
        PyObject *t = char_attr(c, 3);
        if (t == NULL) goto done;
        if (!PyUnicode_Check(t)) { Py_DECREF(t); PyErr_SetString(PyExc_TypeError, "Char.text"); goto done; }
        int space = is_space(t);
        if (i > 0 && !space) {
            double gap = cx0 - px1;
            if (gap > 0.3 * pymin(size, psize) && PyList_GET_SIZE(pieces) && !last_space) {
                if (PyList_Append(pieces, StrSpace) < 0) { Py_DECREF(t); goto done; }
                last_space = 1;
            }
        }
        int r = PyList_Append(pieces, space ? StrSpace : t);
        /* the last piece is " " when it is the space string (a character's own text " " counts too) */
        last_space = space || PyUnicode_CompareWithASCIIString(t, " ") == 0;
        Py_DECREF(t);
        if (r < 0) goto done;
        px1 = cx1; psize = size;
        if (i == 0) { x0 = cx0; top = ct; x1 = cx1; bottom = cb; }
        if (cx0 < x0) x0 = cx0;
        if (ct < top) top = ct;
        if (cx1 > x1) x1 = cx1;
        if (cb > bottom) bottom = cb;
    }
    text = PyUnicode_Join(StrEmpty, pieces);
    if (text == NULL) goto done;
    out = n ? Py_BuildValue("(OO(dddd))", line, text, x0, top, x1, bottom) : Py_BuildValue("(OOO)", line, text, Py_None);
done:
    Py_DECREF(pieces);
    Py_XDECREF(text);
    return out;
}

/* text_lines(chars, boxes, python_group_lines) -> [(line, text, span)]: group_lines, then each line's text and span */
static PyObject *text_lines(PyObject *self, PyObject *args) {
    PyObject *lines = group_lines(self, args);
    if (lines == NULL) return NULL;
    if (!PyList_Check(lines)) { Py_DECREF(lines); PyErr_SetString(PyExc_TypeError, "group_lines: a list"); return NULL; }
    Py_ssize_t n = PyList_GET_SIZE(lines);
    PyObject *out = PyList_New(n);
    if (out == NULL) { Py_DECREF(lines); return NULL; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        PyObject *info = PyList_Check(line) ? line_info(line) : NULL;
        if (info == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a line: a list");
            Py_DECREF(out); Py_DECREF(lines);
            return NULL;
        }
        PyList_SET_ITEM(out, i, info);
    }
    Py_DECREF(lines);
    return out;
}
