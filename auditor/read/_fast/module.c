/* auditor.read._pdfium_fast: the PDF reader's hot loops in C, one translation unit made of
 *   page.c   the per-character and per-segment PDFium calls (pdfium_py.py in Python),
 *   cells.c  the text of each cell of a ruled table (pdf_grid.fill_texts, extract_text),
 *   lines.c  the characters outside the tables grouped into lines, with their texts and spans (pdf._outside,
 *            pdf._group_lines, pdf._line_raw, pdf._extent),
 *   tables.c ruled tables from ruling edges (pdf_grid.find_tables);
 * the Python code is the fallback where this module is not built.  Nothing is linked at build time: pypdfium2's
 * libpdfium is already loaded, and init() receives the addresses of its functions.  Every value is computed as the
 * Python code computes it (doubles from PDFium's floats, the same operations in the same order, the same tie-breaks in
 * sorting; the build turns off FMA contraction), so both give the same characters, edges, cell texts and lines, bit
 * for bit: tests/test_pdfium_fast.py compares them. */
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

static PyObject *Round;  /* builtins.round: a line's key is round(top, 1), Python's correctly rounded value */
static PyObject *CharType, *EdgeType, *Hypot, *MeasuresCjk, *StrH, *StrV, *StrSpace, *StrEmpty, *StrNl;
static int K_TEXT, K_PATH, K_FORM, K_LINETO, K_BEZIERTO, K_MOVETO;
static const double ASCENT = 0.85;

static int ready(void) {
    if (CharType == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_fast.init() was not called");
        return 0;
    }
    return 1;
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

#include "page.c"
#include "cells.c"
#include "lines.c"
#include "tables.c"

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
    if (Sum == NULL) {
        PyObject *f = PyDict_GetItemString(PyEval_GetBuiltins(), "sum");
        if (f == NULL) { PyErr_SetString(PyExc_RuntimeError, "no builtins.sum"); return NULL; }
        Sum = Py_NewRef(f);
    }
    if (Round == NULL) {
        PyObject *r = PyDict_GetItemString(PyEval_GetBuiltins(), "round");
        if (r == NULL) { PyErr_SetString(PyExc_RuntimeError, "no builtins.round"); return NULL; }
        Round = Py_NewRef(r);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"init", init, METH_VARARGS, "Bind PDFium's functions (their addresses) and the reader's types."},
    {"page_chars", page_chars, METH_VARARGS, "The characters of a text page and the text objects they come from."},
    {"page_shapes", page_shapes, METH_VARARGS, "Ruling edges, lost text objects and blank ones of a page."},
    {"fill_texts", fill_texts, METH_VARARGS, "The text of each cell of a ruled table."},
    {"group_lines", group_lines, METH_VARARGS, "The characters outside the tables grouped into text lines."},
    {"text_lines", text_lines, METH_VARARGS, "group_lines, with each line's text and span."},
    {"find_tables", find_tables, METH_VARARGS, "Ruled tables from ruling edges: (bbox, rows) each."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_fast", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__pdfium_fast(void) { return PyModule_Create(&module); }
