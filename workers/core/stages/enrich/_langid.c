/* The language identifier's two per-page loops in C (workers/core/stages/enrich/language.py
 * calls them through native_langid.py; its numpy and Counter code stays the reference):
 *
 *  - features(nm, rowbase, out, text, depth): py3langid's byte walk over its n-gram automaton
 *    (next state = nm[rowbase[state] + byte], out[state] the feature a state emits, -1 none;
 *    its states at most `depth` bytes deep), the emitted features counted in first-visit
 *    order, as py3langid's visit_counts Counter (keys in insertion order). Returns (features as
 *    int64 bytes, counts as float32 bytes: numpy's conversion of the integer counts), or None
 *    when no feature is emitted.
 *  - rows_float32(table, features, halfs, into): the table's rows of those features (a 2-D
 *    C-contiguous float16 matrix) as float32, each 16-bit pattern converted through `halfs`
 *    (65,536 float32 values: numpy's own conversion of every pattern, made by the caller), so
 *    the copy is the one numpy's cast of `table[features]` makes, bit for bit.
 *
 * Integer and copying work only: the scores stay numpy's (the caller's matmul).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "../../native_buffer.h"

#define LANES 8  /* pieces of the text walked side by side */
#define AHEAD 8  /* table rows fetched ahead of their copy */

/* The first-visit slots of the features met: an open-addressing table (linear probing) of
 * (feature, slot) pairs, at least twice as many entries as bytes walked. */
typedef struct {
    int32_t *key;   /* feature, or -1: empty */
    int32_t *slot;
    size_t mask;
} Slots;

static int slots_init(Slots *s, Py_ssize_t n) {
    size_t size = 16;
    while (size < (size_t)n * 2) size <<= 1;
    s->key = PyMem_Malloc(size * sizeof(int32_t));
    s->slot = PyMem_Malloc(size * sizeof(int32_t));
    s->mask = size - 1;
    if (s->key == NULL || s->slot == NULL) {
        PyMem_Free(s->key);
        PyMem_Free(s->slot);
        PyErr_NoMemory();
        return -1;
    }
    memset(s->key, 0xff, size * sizeof(int32_t));
    return 0;
}

/* The slot of `feature`: its first-visit index, or `next` (a new one) when it is new. */
static int32_t slots_find(Slots *s, int32_t feature, int32_t next) {
    size_t i = ((uint32_t)feature * 2654435761u) & s->mask;
    while (s->key[i] != -1) {
        if (s->key[i] == feature) return s->slot[i];
        i = (i + 1) & s->mask;
    }
    s->key[i] = feature;
    s->slot[i] = next;
    return next;
}

/* Each position's emitted feature (-1: none) into emits[0..n). The walk runs in LANES pieces
 * side by side (independent chains of loads from a table far larger than the caches); a piece
 * starts `depth` bytes before its first position, from state 0: the automaton's states stand for
 * at most `depth` bytes, so the state there is the whole walk's (the caller checked the depth,
 * language.py). Returns -1 when the automaton leads outside its tables. */
static int walk(const uint32_t *next, Py_ssize_t n_next, const int32_t *rowbase, const int32_t *emit,
                Py_ssize_t n_states, const unsigned char *bytes, Py_ssize_t n, Py_ssize_t depth,
                int32_t *emits) {
    Py_ssize_t piece = (n + LANES - 1) / LANES, pos[LANES], first[LANES], end[LANES];
    uint32_t state[LANES];
    int lane;
    for (lane = 0; lane < LANES; lane++) {
        first[lane] = lane * piece < n ? lane * piece : n;
        end[lane] = first[lane] + piece < n ? first[lane] + piece : n;
        pos[lane] = first[lane] > depth ? first[lane] - depth : 0;
        state[lane] = 0;
    }
    for (Py_ssize_t k = 0; k < piece + depth; k++) {
        for (lane = 0; lane < LANES; lane++) {
            Py_ssize_t i = pos[lane];
            if (i >= end[lane]) continue;
            uint32_t s = state[lane];
            if ((Py_ssize_t)s >= n_states || rowbase[s] < 0) return -1;
            Py_ssize_t at = (Py_ssize_t)rowbase[s] + bytes[i];
            if (at >= n_next || (Py_ssize_t)next[at] >= n_states) return -1;
            state[lane] = next[at];
            if (i >= first[lane]) emits[i] = emit[next[at]];
            pos[lane] = i + 1;
        }
    }
    return 0;
}

static PyObject *features(PyObject *self, PyObject *args) {
    PyObject *nmo, *rbo, *outo, *result = NULL;
    Py_buffer nm, rb, out, text;
    Py_ssize_t depth;
    if (!PyArg_ParseTuple(args, "OOOy*n", &nmo, &rbo, &outo, &text, &depth)) return NULL;
    if (depth < 1) {
        PyErr_SetString(PyExc_ValueError, "features: depth must be positive");
        goto done_text;
    }
    if (get_buffer(nmo, &nm, 4, -1, 0, "nm") < 0) goto done_text;
    if (get_buffer(rbo, &rb, 4, -1, 0, "rowbase") < 0) goto done_nm;
    if (get_buffer(outo, &out, 4, -1, 0, "out") < 0) goto done_rb;
    const Py_ssize_t n = text.len;
    int32_t *emits = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(int32_t));
    int64_t *feat = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    int64_t *count = PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    Slots slots = {NULL, NULL, 0};
    if (emits == NULL || feat == NULL || count == NULL || slots_init(&slots, n) < 0) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done_arrays;
    }
    if (out.len != rb.len) {
        PyErr_SetString(PyExc_ValueError, "features: rowbase and out differ in length");
        goto done_arrays;
    }
    if (walk(nm.buf, nm.len / 4, rb.buf, out.buf, rb.len / 4, text.buf, n, depth, emits) < 0) {
        PyErr_SetString(PyExc_ValueError, "features: the automaton leads outside its tables");
        goto done_arrays;
    }
    int32_t found = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t f = emits[i];
        if (f < 0) continue;
        int32_t s = slots_find(&slots, f, found);
        if (s == found) {
            feat[found] = f;
            count[found++] = 1;
        } else {
            count[s]++;
        }
    }
    float *as_float = (float *)emits;  /* emits is read: its room holds the float32 counts */
    for (int32_t j = 0; j < found; j++) as_float[j] = (float)count[j];
    if (found == 0) {
        result = Py_NewRef(Py_None);
    } else {
        PyObject *fb = PyBytes_FromStringAndSize((const char *)feat, (Py_ssize_t)found * 8);
        PyObject *cb = PyBytes_FromStringAndSize((const char *)as_float, (Py_ssize_t)found * 4);
        if (fb != NULL && cb != NULL) result = PyTuple_Pack(2, fb, cb);
        Py_XDECREF(fb);
        Py_XDECREF(cb);
    }
done_arrays:
    PyMem_Free(slots.key);
    PyMem_Free(slots.slot);
    PyMem_Free(emits);
    PyMem_Free(feat);
    PyMem_Free(count);
    PyBuffer_Release(&out);
done_rb:
    PyBuffer_Release(&rb);
done_nm:
    PyBuffer_Release(&nm);
done_text:
    PyBuffer_Release(&text);
    return result;
}

static PyObject *rows_float32(PyObject *self, PyObject *args) {
    PyObject *to, *fo, *ho, *io;
    Py_buffer table, feats, halfs, into;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "OOOO", &to, &fo, &ho, &io)) return NULL;
    if (PyObject_GetBuffer(to, &table, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return NULL;
    if (table.ndim != 2 || table.itemsize != 2 || table.format == NULL
        || strcmp(table.format, "e") != 0) {
        PyErr_SetString(PyExc_ValueError, "rows_float32: table must be a 2-D C-contiguous float16 array");
        PyBuffer_Release(&table);
        return NULL;
    }
    if (get_buffer(fo, &feats, 8, -1, 0, "features") < 0) goto done_table;
    if (get_buffer(ho, &halfs, 4, -1, 0, "halfs") < 0) goto done_feats;
    if (get_buffer(io, &into, 4, -1, 1, "into") < 0) goto done_halfs;
    const Py_ssize_t rows = table.shape[0], cols = table.shape[1], n = feats.len / 8;
    if (halfs.len != 65536 * 4 || into.len != n * cols * 4) {
        PyErr_SetString(PyExc_ValueError, "rows_float32: halfs must hold 65536 values and into "
                        "len(features) x the table's columns");
        goto done_into;
    }
    const int64_t *f = feats.buf;
    const uint16_t *t = table.buf;
    const uint32_t *h = halfs.buf;
    uint32_t *o = into.buf;
    for (Py_ssize_t i = 0; i < n; i++)
        if (f[i] < 0 || f[i] >= rows) {
            PyErr_SetString(PyExc_IndexError, "rows_float32: a feature outside the table");
            goto done_into;
        }
    for (Py_ssize_t i = 0; i < n + AHEAD; i++) {
        if (i < n)  /* asked for AHEAD rows early: the table is far larger than the caches */
            for (Py_ssize_t b = 0; b < cols * 2; b += 64) __builtin_prefetch((const char *)(t + f[i] * cols) + b);
        if (i < AHEAD) continue;
        const uint16_t *row = t + f[i - AHEAD] * cols;
        for (Py_ssize_t j = 0; j < cols; j++) o[j] = h[row[j]];
        o += cols;
    }
    result = Py_NewRef(Py_None);
done_into:
    PyBuffer_Release(&into);
done_halfs:
    PyBuffer_Release(&halfs);
done_feats:
    PyBuffer_Release(&feats);
done_table:
    PyBuffer_Release(&table);
    return result;
}

static PyMethodDef methods[] = {
    {"features", features, METH_VARARGS,
     "features(nm, rowbase, out, text): (int64 feature bytes, float32 count bytes) in "
     "first-visit order of the automaton walk over text, or None when no feature is met."},
    {"rows_float32", rows_float32, METH_VARARGS,
     "rows_float32(table, features, halfs, into): table[features] (float16) as float32 into "
     "`into`, each value converted through halfs[bit pattern]."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef langid_module = {
    PyModuleDef_HEAD_INIT, "_langid",
    "The language identifier's byte walk and table rows in C (see native_langid.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__langid(void) {
    return PyModule_Create(&langid_module);
}
