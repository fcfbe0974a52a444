/* The reader's per-character and per-segment PDFium calls in C (auditor/read/pdfium_page.py has the same logic in
 * Python, the fallback where this module is not built).  Nothing is linked at build time: pypdfium2's libpdfium is
 * already loaded, and init() receives the addresses of its functions.  Every value is computed as the Python code
 * computes it (doubles from PDFium's floats, the same operations in the same order; the build turns off FMA
 * contraction), so both give the same characters and edges, bit for bit: tests/test_pdfium_fast.py compares them. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } RectF;    /* FS_RECTF */
typedef struct { float a, b, c, d, e, f; } MatrixF;          /* FS_MATRIX */
typedef void *H;

static int (*GetLooseCharBox)(H, int, RectF *);
static int (*GetCharOrigin)(H, int, double *, double *);
static int (*GetMatrix)(H, int, MatrixF *);
static double (*GetFontSize)(H, int);
static int (*IsGenerated)(H, int);
static H (*GetTextObject)(H, int);
static int (*CountObjects)(H);
static H (*GetObject)(H, int);
static int (*FormCount)(H);
static H (*FormObject)(H, unsigned long);
static int (*ObjType)(H);
static int (*ObjMatrix)(H, MatrixF *);
static int (*ObjBounds)(H, float *, float *, float *, float *);
static int (*CountSegments)(H);
static H (*GetSegment)(H, int);
static int (*SegPoint)(H, float *, float *);
static int (*SegType)(H);
static int (*SegClose)(H);
static H (*TextFont)(H);
static int (*FontEmbedded)(H);
static int (*ObjFontSize)(H, float *);

static PyObject *CharType, *EdgeType, *Hypot, *MeasuresCjk, *StrH, *StrV, *StrSpace, *StrEmpty, *StrNl;
static int K_TEXT, K_PATH, K_FORM, K_LINETO, K_BEZIERTO, K_MOVETO;
static const double ASCENT = 0.85;

static int char_slots(void);

static int ready(void) {
    if (CharType == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_fast.init() was not called");
        return 0;
    }
    return 1;
}

/* init(addresses, Char, Edge, math.hypot, measures_cjk, (TEXT, PATH, FORM, LINETO, BEZIERTO, MOVETO)) */
static PyObject *init(PyObject *self, PyObject *args) {
    PyObject *addr, *kinds;
    PyObject *ct, *et, *hy, *mc;
    if (!PyArg_ParseTuple(args, "O!OOOOO!", &PyTuple_Type, &addr, &ct, &et, &hy, &mc, &PyTuple_Type, &kinds))
        return NULL;
    void **slots[] = {
        (void **)&GetLooseCharBox, (void **)&GetCharOrigin, (void **)&GetMatrix, (void **)&GetFontSize,
        (void **)&IsGenerated, (void **)&GetTextObject, (void **)&CountObjects, (void **)&GetObject,
        (void **)&FormCount, (void **)&FormObject, (void **)&ObjType, (void **)&ObjMatrix, (void **)&ObjBounds,
        (void **)&CountSegments, (void **)&GetSegment, (void **)&SegPoint, (void **)&SegType, (void **)&SegClose,
        (void **)&TextFont, (void **)&FontEmbedded, (void **)&ObjFontSize,
    };
    Py_ssize_t n = (Py_ssize_t)(sizeof slots / sizeof slots[0]);
    if (PyTuple_GET_SIZE(addr) != n || PyTuple_GET_SIZE(kinds) != 6) {
        PyErr_SetString(PyExc_ValueError, "init: wrong number of addresses or kinds");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        void *p = PyLong_AsVoidPtr(PyTuple_GET_ITEM(addr, i));
        if (p == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "init: a null function address");
            return NULL;
        }
        *slots[i] = p;
    }
    int *k[] = {&K_TEXT, &K_PATH, &K_FORM, &K_LINETO, &K_BEZIERTO, &K_MOVETO};
    for (int i = 0; i < 6; i++) {
        *k[i] = (int)PyLong_AsLong(PyTuple_GET_ITEM(kinds, i));
        if (PyErr_Occurred()) return NULL;
    }
    Py_XSETREF(CharType, Py_NewRef(ct));
    Py_XSETREF(EdgeType, Py_NewRef(et));
    Py_XSETREF(Hypot, Py_NewRef(hy));
    Py_XSETREF(MeasuresCjk, Py_NewRef(mc));
    if (StrH == NULL) {
        StrH = PyUnicode_InternFromString("h");
        StrV = PyUnicode_InternFromString("v");
        StrSpace = PyUnicode_InternFromString(" ");
        StrEmpty = PyUnicode_InternFromString("");
        StrNl = PyUnicode_InternFromString("\n");
        if (!StrH || !StrV || !StrSpace || !StrEmpty || !StrNl) return NULL;
    }
    if (char_slots() < 0) return NULL;
    Py_RETURN_NONE;
}

/* Char(text, x0, x1, top, bottom, size), appended to list; steals text. */
static int add_char(PyObject *list, PyObject *text, double x0, double x1, double top, double bottom, double size) {
    PyObject *a[6] = {text, PyFloat_FromDouble(x0), PyFloat_FromDouble(x1), PyFloat_FromDouble(top),
                      PyFloat_FromDouble(bottom), PyFloat_FromDouble(size)};
    PyObject *c = NULL;
    if (a[0] && a[1] && a[2] && a[3] && a[4] && a[5]) c = PyObject_Vectorcall(CharType, a, 6, NULL);
    for (int i = 0; i < 6; i++) Py_XDECREF(a[i]);
    if (c == NULL) return -1;
    int r = PyList_Append(list, c);
    Py_DECREF(c);
    return r;
}

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


/* ---- cell texts: pdf_grid.fill_texts and extract_text ---- */

static Py_ssize_t OFF[5] = {-1, -1, -1, -1, -1};  /* the slots x0, x1, top, text and bottom of Char */
static const char *SLOT_NAMES[5] = {"x0", "x1", "top", "text", "bottom"};
static PyObject *SlotNames[5];
static const double WORD_GAP = 3.0, LINE_GAP = 3.0;

static int char_slots(void) {
    for (int i = 0; i < 5; i++) {
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

static int finite_or_fallback(const Chars *ch, const Py_ssize_t *idx, Py_ssize_t n) {
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
                if (finite_or_fallback(&ch, idx, n)) {
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

static PyMethodDef methods[] = {
    {"init", init, METH_VARARGS, "Bind PDFium's functions (their addresses) and the reader's types."},
    {"page_chars", page_chars, METH_VARARGS, "The characters of a text page and the text objects they come from."},
    {"page_shapes", page_shapes, METH_VARARGS, "Ruling edges, lost text objects and blank ones of a page."},
    {"fill_texts", fill_texts, METH_VARARGS, "The text of each cell of a ruled table."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_fast", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__pdfium_fast(void) { return PyModule_Create(&module); }
