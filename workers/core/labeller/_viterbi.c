/* The line labeller's Viterbi path in C: the forward pass and the backtrack of decode.py's
 * `viterbi` over its emission scores (lines x labels) and weighted transitions (labels x
 * labels), both float64. workers/core/labeller/native_viterbi.py calls it; the Python code in
 * decode.py stays the reference, and this file does the same IEEE double additions and the
 * same comparisons in the same order, so the path is the same bit for bit
 * (tests/test_native_viterbi.py):
 *
 *  - forward: score[0] = emit[0]; score[t][j] = max_i(score[t-1][i] + A[i][j]) + emit[t][j],
 *    the maximum as numpy's `max` takes it (a NaN sum makes it NaN);
 *  - back-pointers: back[t][j] = the first i of that maximum, as numpy's `argmax` picks it
 *    (the first largest sum; the first NaN when a sum is NaN): the value at that index is the
 *    maximum itself, so one loop gives both;
 *  - the last line's label is the first argmax of its scores, then the back-pointers are
 *    followed from the end.
 * Built with -ffp-contract=off (pyproject.toml): there is no multiplication to fuse, and the
 * flag keeps it that way.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "../native_buffer.h"

#define MAX_LABELS 64

/* numpy's argmax over k values: the first largest, or the first NaN. */
static inline int first_argmax(const double *v, int k) {
    int best = 0;
    double m = v[0];
    if (m != m) return 0;
    for (int i = 1; i < k; i++) {
        double x = v[i];
        if (x != x) return i;
        if (x > m) {
            m = x;
            best = i;
        }
    }
    return best;
}

/* The forward pass from line 1 on (`s` holds line 0's scores), back-pointers into `back`. */
static void forward(const double *emit, const double *A, Py_ssize_t n, int k, double *s,
                    uint8_t *back) {
    double sums[MAX_LABELS], next[MAX_LABELS];
    for (Py_ssize_t t = 1; t < n; t++) {
        const double *e = emit + t * k;
        uint8_t *b = back + (t - 1) * k;
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < k; i++) sums[i] = s[i] + A[i * k + j];
            int best = first_argmax(sums, k);
            b[j] = (uint8_t)best;
            next[j] = sums[best] + e[j];
        }
        memcpy(s, next, (size_t)k * sizeof(double));
    }
}

/* path(emit, A, out): the Viterbi label ids of emit's n lines (k labels) into out (int64). */
static PyObject *path(PyObject *self, PyObject *args) {
    PyObject *emit_obj, *a_obj, *out_obj;
    Py_ssize_t n;
    int k;
    if (!PyArg_ParseTuple(args, "OOnOi", &emit_obj, &a_obj, &n, &out_obj, &k)) return NULL;
    if (k < 1 || k > MAX_LABELS || n < 1) {
        PyErr_Format(PyExc_ValueError, "path: %d labels (1 to %d) and %zd lines (at least 1)", k,
                     MAX_LABELS, n);
        return NULL;
    }
    if (n > PY_SSIZE_T_MAX / k) return PyErr_NoMemory();
    Py_buffer views[3];
    if (get_buffer(emit_obj, &views[0], sizeof(double), n * k, 0, "emit") < 0) return NULL;
    if (get_buffer(a_obj, &views[1], sizeof(double), (Py_ssize_t)k * k, 0, "A") < 0) {
        PyBuffer_Release(&views[0]);
        return NULL;
    }
    if (get_buffer(out_obj, &views[2], sizeof(int64_t), n, 1, "out") < 0) {
        PyBuffer_Release(&views[0]);
        PyBuffer_Release(&views[1]);
        return NULL;
    }
    const double *emit = views[0].buf, *A = views[1].buf;
    int64_t *out = views[2].buf;
    uint8_t *back = PyMem_RawMalloc((size_t)(n - 1) * (size_t)k + 1);
    if (back == NULL) {
        for (int v = 0; v < 3; v++) PyBuffer_Release(&views[v]);
        return PyErr_NoMemory();
    }
    double s[MAX_LABELS];
    Py_BEGIN_ALLOW_THREADS
    memcpy(s, emit, (size_t)k * sizeof(double));
    forward(emit, A, n, k, s, back);
    int j = first_argmax(s, k);
    out[n - 1] = j;
    for (Py_ssize_t t = n - 1; t > 0; t--) {
        j = back[(t - 1) * k + j];
        out[t - 1] = j;
    }
    Py_END_ALLOW_THREADS
    PyMem_RawFree(back);
    for (int v = 0; v < 3; v++) PyBuffer_Release(&views[v]);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"path", path, METH_VARARGS, "path(emit, A, n, out, k): the Viterbi label ids into out"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef viterbi_module = {
    PyModuleDef_HEAD_INIT, "_viterbi",
    "The line labeller's Viterbi path in C (see native_viterbi.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__viterbi(void) { return PyModule_Create(&viterbi_module); }
