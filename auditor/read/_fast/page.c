/* Included by module.c (one translation unit): page_chars and page_shapes, pdfium_py.py in C. */
typedef struct { PyObject *text; double x0, x1, top, bottom, size; } Pending;

static int flush(PyObject *list, Pending *p) {
    if (p->text == NULL) return 0;
    PyObject *t = p->text;
    p->text = NULL;
    return add_char(list, t, p->x0, p->x1, p->top, p->bottom, p->size);
}

static PyObject *handle(H p) {
    if (p == NULL) Py_RETURN_NONE;
    return PyLong_FromVoidPtr(p);
}

/* page_chars(textpage address, text, origin_top) -> (chars, text object addresses): pdfium_page._page_chars_py */
static PyObject *page_chars(PyObject *self, PyObject *args) {
    PyObject *tpa, *text;
    double origin_top;
    if (!ready() || !PyArg_ParseTuple(args, "OUd", &tpa, &text, &origin_top)) return NULL;
    H tp = PyLong_AsVoidPtr(tpa);
    if (PyErr_Occurred()) return NULL;
    Pending prev = {NULL, 0, 0, 0, 0, 0};
    PyObject *chars = PyList_New(0), *objects = PySet_New(NULL);
    if (!chars || !objects) goto fail;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    RectF box = {0, 0, 0, 0};
    MatrixF m = {0, 0, 0, 0, 0, 0};
    double ox = 0.0, oy = 0.0;
    H obj = NULL;
    double size = 0.0, up = 0.0, down = 0.0;
    int upright = 1;
    for (Py_ssize_t ii = 0; ii < n; ii++) {
        int i = (int)ii;
        Py_UCS4 t = PyUnicode_READ(kind, data, ii);
        if (t == '\r' || t == '\n' || (t == ' ' && IsGenerated(tp, i))) continue;
        H o = GetTextObject(tp, i);
        if (o != obj) {
            obj = o;
            PyObject *h = handle(o);
            if (h == NULL || PySet_Add(objects, h) < 0) { Py_XDECREF(h); goto fail; }
            Py_DECREF(h);
            GetMatrix(tp, i, &m);
            upright = !(m.b != 0 || m.c != 0);
            double fs = GetFontSize(tp, i);
            if (upright) {
                size = fs * fabs((double)m.d);
            } else {
                PyObject *hv = PyObject_CallFunction(Hypot, "dd", (double)m.c, (double)m.d);
                if (hv == NULL) goto fail;
                double hd = PyFloat_AsDouble(hv);
                Py_DECREF(hv);
                if (PyErr_Occurred()) goto fail;
                size = fs * hd;
            }
            up = ASCENT * size;
            down = (1 - ASCENT) * size;
        }
        GetLooseCharBox(tp, i, &box);
        PyObject *ts = PyUnicode_FromOrdinal(t);
        if (ts == NULL) goto fail;
        if (!upright) {  /* rotated or skewed: the box PDFium gives */
            if (flush(chars, &prev) < 0) { Py_DECREF(ts); goto fail; }
            if (add_char(chars, ts, box.left, box.right, origin_top - box.top, origin_top - box.bottom, size) < 0)
                goto fail;
            continue;
        }
        GetCharOrigin(tp, i, &ox, &oy);
        double base = origin_top - oy;
        double x0 = ox;
        double right = box.right;
        double x1 = right > x0 ? right : x0;
        double bottom = base + down;
        if (prev.text != NULL && prev.x0 < x0 && x0 < prev.x1 && -0.01 < prev.bottom - bottom &&
            prev.bottom - bottom < 0.01)
            prev.x1 = x0;
        if (flush(chars, &prev) < 0) { Py_DECREF(ts); goto fail; }
        prev.text = ts;
        prev.x0 = x0; prev.x1 = x1; prev.top = base - up; prev.bottom = bottom; prev.size = size;
    }
    if (flush(chars, &prev) < 0) goto fail;
    PyObject *out = PyTuple_Pack(2, chars, objects);
    Py_DECREF(chars);
    Py_DECREF(objects);
    return out;
fail:
    Py_XDECREF(prev.text);
    Py_XDECREF(chars);
    Py_XDECREF(objects);
    return NULL;
}

/* ---- the walk over page objects: pdfium_page._PathReader ---- */

typedef struct { double a, b, c, d, e, f; } M6;

typedef struct {
    double top;
    PyObject *seen, *lines, *rects, *curves, *blanks;
    long dropped;
    MatrixF m;          /* PDFium's outputs, kept between calls as the Python reader keeps its ctypes buffers */
    float fx, fy, box[4], fsize;
    char *shape;        /* the current subpath: one letter per point (m l c h) and its points */
    double *px, *py;
    Py_ssize_t len, cap;
} Walk;

static int edge(PyObject *list, PyObject *orient, double pos, double a, double b) {
    PyTypeObject *tp = (PyTypeObject *)EdgeType;
    PyObject *e = tp->tp_alloc(tp, 4);  /* as tuple.__new__(Edge, ...) builds it */
    if (e == NULL) return -1;
    PyObject *v[3] = {PyFloat_FromDouble(pos), PyFloat_FromDouble(a), PyFloat_FromDouble(b)};
    if (!v[0] || !v[1] || !v[2]) {
        Py_XDECREF(v[0]); Py_XDECREF(v[1]); Py_XDECREF(v[2]); Py_DECREF(e);
        return -1;
    }
    PyTuple_SET_ITEM(e, 0, Py_NewRef(orient));
    PyTuple_SET_ITEM(e, 1, v[0]);
    PyTuple_SET_ITEM(e, 2, v[1]);
    PyTuple_SET_ITEM(e, 3, v[2]);
    int r = PyList_Append(list, e);
    Py_DECREF(e);
    return r;
}

static inline double pymin(double x, double y) { return y < x ? y : x; }  /* Python's min(x, y) */
static inline double pymax(double x, double y) { return y > x ? y : x; }  /* Python's max(x, y) */

static M6 matrix(Walk *w, H obj, const M6 *parent) {
    ObjMatrix(obj, &w->m);
    M6 r = {w->m.a, w->m.b, w->m.c, w->m.d, w->m.e, w->m.f};
    if (parent != NULL) {  /* this object's matrix, then its form's */
        const M6 *p = parent;
        M6 q = {r.a * p->a + r.b * p->c, r.a * p->b + r.b * p->d, r.c * p->a + r.d * p->c, r.c * p->b + r.d * p->d,
                r.e * p->a + r.f * p->c + p->e, r.e * p->b + r.f * p->d + p->f};
        r = q;
    }
    return r;
}

static int push(Walk *w, char letter, double x, double y) {
    if (w->len == w->cap) {
        Py_ssize_t cap = w->cap ? 2 * w->cap : 64;
        char *s = PyMem_Realloc(w->shape, (size_t)cap + 1);
        if (s) w->shape = s;
        double *a = s ? PyMem_Realloc(w->px, (size_t)cap * sizeof(double)) : NULL;
        if (a) w->px = a;
        double *b = a ? PyMem_Realloc(w->py, (size_t)cap * sizeof(double)) : NULL;
        if (b == NULL) { PyErr_NoMemory(); return -1; }
        w->py = b;
        w->cap = cap;
    }
    w->shape[w->len] = letter;
    w->px[w->len] = x;
    w->py[w->len] = y;
    w->len++;
    w->shape[w->len] = '\0';
    return 0;
}

static int subpath(Walk *w) {
    Py_ssize_t n = w->len;
    char *s = w->shape;
    double *x = w->px, *y = w->py;
    w->len = 0;
    if (n == 0 || s[0] != 'm') return 0;
    if (n > 3 && s[n - 2] == 'l' && s[n - 1] == 'h' && x[n - 2] == x[0] && y[n - 2] == y[0]) {
        s[n - 2] = 'h';  /* shape[:-2] + "h", pts[:-1] */
        n--;
        s[n] = '\0';
    }
    if ((n == 2 && strncmp(s, "ml", 2) == 0) || (n == 3 && strncmp(s, "mlh", 3) == 0)) {
        if (y[0] == y[1]) return edge(w->lines, StrH, y[0], pymin(x[0], x[1]), pymax(x[0], x[1]));
        if (x[0] == x[1]) return edge(w->lines, StrV, x[0], pymin(y[0], y[1]), pymax(y[0], y[1]));
        return 0;
    }
    if (n == 5 && (strncmp(s, "mlllh", 5) == 0 || strncmp(s, "mllll", 5) == 0) && x[0] == x[4] && y[0] == y[4]) {
        if ((x[0] == x[1] && y[1] == y[2] && x[2] == x[3] && y[3] == y[0]) ||
            (y[0] == y[1] && x[1] == x[2] && y[2] == y[3] && x[3] == x[0])) {
            double left = pymin(x[0], x[2]), right = pymax(x[0], x[2]);
            double top = pymin(y[0], y[2]), bottom = pymax(y[0], y[2]);
            if (edge(w->rects, StrH, top, left, right) < 0 || edge(w->rects, StrH, bottom, left, right) < 0 ||
                edge(w->rects, StrV, left, top, bottom) < 0 || edge(w->rects, StrV, right, top, bottom) < 0)
                return -1;
            return 0;
        }
    }
    for (Py_ssize_t j = 0; j + 1 < n; j++) {
        int r = 0;
        if (x[j] == x[j + 1])
            r = edge(w->curves, StrV, x[j], pymin(y[j], y[j + 1]), pymax(y[j], y[j + 1]));
        else if (y[j] == y[j + 1])
            r = edge(w->curves, StrH, y[j], pymin(x[j], x[j + 1]), pymax(x[j], x[j + 1]));
        if (r < 0) return -1;
    }
    return 0;
}

static int path(Walk *w, H obj, const M6 *parent) {
    int n = CountSegments(obj);
    if (n < 2) return 0;
    M6 t = matrix(w, obj, parent);
    double a = t.a, b = t.b, c = t.c, d = t.d, e = t.e, f = t.f, top = w->top;
    if (n == 2) {  /* the common case, one ruling line: m l */
        SegPoint(GetSegment(obj, 0), &w->fx, &w->fy);
        double x = w->fx, y = w->fy;
        double x0 = a * x + c * y + e, y0 = top - (b * x + d * y + f);
        SegPoint(GetSegment(obj, 1), &w->fx, &w->fy);
        x = w->fx; y = w->fy;
        double x1 = a * x + c * y + e, y1 = top - (b * x + d * y + f);
        if (y0 == y1) return x1 < x0 ? edge(w->lines, StrH, y0, x1, x0) : edge(w->lines, StrH, y0, x0, x1);
        if (x0 == x1) return y1 < y0 ? edge(w->lines, StrV, x0, y1, y0) : edge(w->lines, StrV, x0, y0, y1);
        return 0;
    }
    w->len = 0;
    int bez = 0;
    for (int j = 0; j < n; j++) {
        H seg = GetSegment(obj, j);
        int kind = SegType(seg);
        char letter;
        if (kind == K_LINETO) {
            letter = 'l';
        } else if (kind == K_MOVETO) {
            if (w->len && subpath(w) < 0) return -1;
            letter = 'm';
        } else {
            if (kind == K_BEZIERTO) {
                bez++;
                if (bez % 3) continue;  /* a control point */
            }
            letter = 'c';
        }
        SegPoint(seg, &w->fx, &w->fy);
        double x = w->fx, y = w->fy;
        if (push(w, letter, a * x + c * y + e, top - (b * x + d * y + f)) < 0) return -1;
        if (SegClose(seg) && push(w, 'h', w->px[0], w->py[0]) < 0) return -1;
    }
    if (w->len) return subpath(w);
    return 0;
}

static int unseen_text(Walk *w, H obj, const M6 *parent) {
    float *b = w->box;
    ObjBounds(obj, &b[0], &b[1], &b[2], &b[3]);
    if (fabs((double)b[2] - (double)b[0]) >= 0.01) return 0;
    H font = TextFont(obj);
    int blank = font != NULL && FontEmbedded(font);
    if (!blank) {
        PyObject *r = PyObject_CallNoArgs(MeasuresCjk);
        if (r == NULL) return -1;
        blank = PyObject_IsTrue(r);
        Py_DECREF(r);
        if (blank < 0) return -1;
    }
    if (!blank) {
        w->dropped++;
        return 0;
    }
    M6 t = matrix(w, obj, parent);  /* a space at the object's origin (upright text only) */
    if (t.b != 0 || t.c != 0) return 0;
    ObjFontSize(obj, &w->fsize);
    double size = (double)w->fsize * fabs(t.d);
    double base = w->top - t.f;
    return add_char(w->blanks, Py_NewRef(StrSpace), t.e, t.e, base - ASCENT * size, base + (1 - ASCENT) * size,
                    size);
}

static int walk(Walk *w, H holder, int form, const M6 *parent) {
    if (Py_EnterRecursiveCall(" while walking the page's form objects")) return -1;
    int count = form ? FormCount(holder) : CountObjects(holder);
    int r = 0;
    for (int i = 0; i < count && r == 0; i++) {
        H obj = form ? FormObject(holder, (unsigned long)i) : GetObject(holder, i);
        if (obj == NULL) continue;  /* a null handle has no type */
        PyObject *key = PyLong_FromVoidPtr(obj);
        if (key == NULL) { r = -1; break; }
        int seen = PySet_Contains(w->seen, key);
        Py_DECREF(key);
        if (seen < 0) { r = -1; break; }
        if (seen) continue;  /* a text object the text page holds */
        int kind = ObjType(obj);
        if (kind == K_PATH) {
            r = path(w, obj, parent);
        } else if (kind == K_TEXT) {
            r = unseen_text(w, obj, parent);
        } else if (kind == K_FORM) {
            M6 t = matrix(w, obj, parent);
            r = walk(w, obj, 1, &t);
        }
    }
    Py_LeaveRecursiveCall();
    return r;
}

/* page_shapes(page address, origin_top, seen) -> (lines, rects, curves, dropped, blanks) */
static PyObject *page_shapes(PyObject *self, PyObject *args) {
    PyObject *pa, *seen;
    double top;
    if (!ready() || !PyArg_ParseTuple(args, "OdO!", &pa, &top, &PySet_Type, &seen)) return NULL;
    H page = PyLong_AsVoidPtr(pa);
    if (PyErr_Occurred()) return NULL;
    Walk w;
    memset(&w, 0, sizeof w);
    w.top = top;
    w.seen = seen;
    w.lines = PyList_New(0);
    w.rects = PyList_New(0);
    w.curves = PyList_New(0);
    w.blanks = PyList_New(0);
    PyObject *out = NULL;
    if (w.lines && w.rects && w.curves && w.blanks && walk(&w, page, 0, NULL) == 0)
        out = Py_BuildValue("(OOOlO)", w.lines, w.rects, w.curves, w.dropped, w.blanks);
    Py_XDECREF(w.lines);
    Py_XDECREF(w.rects);
    Py_XDECREF(w.curves);
    Py_XDECREF(w.blanks);
    PyMem_Free(w.shape);
    PyMem_Free(w.px);
    PyMem_Free(w.py);
    return out;
}
