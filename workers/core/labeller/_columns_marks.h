/* The line labeller's comment-structure counts in C, part of the _columns module (included by
 * _columns.c, which brings get_buffer from ../native_buffer.h and defines release): integers
 * only, the float columns are built from them by the same numpy code as the reference
 * (arrays.dist_prev, text_columns' _shape_features), so equal integers give equal columns.
 *
 *  - mark_gaps: per line the lines back to the previous and on to the next marked line (not
 *    the line itself), capped (arrays.dist_prev / dist_next);
 *  - shape_counts: per line the gaps back and on to the nearest line of the same shape code,
 *    capped, and how many other lines of its code a centred window holds (with the window's
 *    other lines: the share's numerator and denominator).
 */

/* mark_gaps(mask, cap, prev, next): mask any 1-byte items (nonzero: marked); prev / next int64. */
static PyObject *mark_gaps(PyObject *self, PyObject *args) {
    PyObject *o_mask, *o_prev, *o_next;
    long long cap;
    if (!PyArg_ParseTuple(args, "OLOO", &o_mask, &cap, &o_prev, &o_next)) return NULL;
    Py_buffer v[3];
    if (get_buffer(o_mask, &v[0], 1, -1, 0, "mask") < 0) return NULL;
    Py_ssize_t n = v[0].len;
    if (get_buffer(o_prev, &v[1], 8, n, 1, "prev") < 0) { release(v, 1); return NULL; }
    if (get_buffer(o_next, &v[2], 8, n, 1, "next") < 0) { release(v, 2); return NULL; }
    const unsigned char *mask = (const unsigned char *)v[0].buf;
    int64_t *prev = (int64_t *)v[1].buf, *next = (int64_t *)v[2].buf;
    Py_ssize_t last = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        prev[i] = (last < 0 || i - last > cap) ? cap : i - last;
        if (mask[i]) last = i;
    }
    last = -1;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        next[i] = (last < 0 || last - i > cap) ? cap : last - i;
        if (mask[i]) last = i;
    }
    release(v, 3);
    Py_RETURN_NONE;
}

/* Fills the shape outputs of n lines whose codes lie in [0, ncodes); seen / count: ncodes each. */
static void shape_fill(const int64_t *code, Py_ssize_t n, Py_ssize_t window, long long cap,
                       Py_ssize_t *seen, int64_t *count, Py_ssize_t ncodes,
                       int64_t *gp, int64_t *gn, int64_t *num, int64_t *den) {
    for (Py_ssize_t c = 0; c < ncodes; c++) seen[c] = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t p = seen[code[i]];
        gp[i] = (p < 0 || i - p > cap) ? cap : i - p;
        seen[code[i]] = i;
    }
    for (Py_ssize_t c = 0; c < ncodes; c++) seen[c] = -1;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        Py_ssize_t q = seen[code[i]];
        gn[i] = (q < 0 || q - i > cap) ? cap : q - i;
        seen[code[i]] = i;
    }
    memset(count, 0, (size_t)ncodes * sizeof(int64_t));
    Py_ssize_t hi = 0;  /* the window of line i: [lo, hi) with lo = max(i - w, 0), hi = min(i + w + 1, n) */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t lo = i - window > 0 ? i - window : 0, want = i + window + 1 < n ? i + window + 1 : n;
        for (; hi < want; hi++) count[code[hi]]++;
        if (lo > 0) count[code[lo - 1]]--;  /* (line lo - 1 left the window at this step) */
        num[i] = count[code[i]] - 1;
        den[i] = hi - lo - 1 > 1 ? hi - lo - 1 : 1;
    }
}

/* shape_counts(code, window, cap, gp, gn, num, den): code int64 >= 0; outputs int64. */
static PyObject *shape_counts(PyObject *self, PyObject *args) {
    PyObject *o[5];
    Py_ssize_t window;
    long long cap;
    if (!PyArg_ParseTuple(args, "OnLOOOO", &o[0], &window, &cap, &o[1], &o[2], &o[3], &o[4])) return NULL;
    if (window < 0) return PyErr_Format(PyExc_ValueError, "window: %zd < 0", window);
    Py_buffer v[5];
    if (get_buffer(o[0], &v[0], 8, -1, 0, "code") < 0) return NULL;
    Py_ssize_t n = v[0].len / 8, ncodes = 0;
    for (int k = 1; k < 5; k++)
        if (get_buffer(o[k], &v[k], 8, n, 1, "out") < 0) { release(v, k); return NULL; }
    const int64_t *code = (const int64_t *)v[0].buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (code[i] < 0 || code[i] >= (1 << 20)) {
            release(v, 5);
            return PyErr_Format(PyExc_ValueError, "code: %lld outside [0, 2**20)", (long long)code[i]);
        }
        if (code[i] >= ncodes) ncodes = code[i] + 1;
    }
    Py_ssize_t *seen = PyMem_Malloc((size_t)(ncodes + 1) * sizeof(Py_ssize_t));
    int64_t *count = PyMem_Malloc((size_t)(ncodes + 1) * sizeof(int64_t));
    if (seen == NULL || count == NULL) {
        PyMem_Free(seen);
        PyMem_Free(count);
        release(v, 5);
        return PyErr_NoMemory();
    }
    shape_fill(code, n, window, cap, seen, count, ncodes, (int64_t *)v[1].buf, (int64_t *)v[2].buf,
               (int64_t *)v[3].buf, (int64_t *)v[4].buf);
    PyMem_Free(seen);
    PyMem_Free(count);
    release(v, 5);
    Py_RETURN_NONE;
}
