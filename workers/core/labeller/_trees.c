/* The line labeller's trees evaluated in C: a LightGBM multiclass model's numerical trees over
 * a C-contiguous float64 row matrix, giving the probabilities LightGBM's own predict gives
 * (one thread), bit for bit. workers/core/labeller/native_trees.py parses the model text into
 * the flat arrays this module copies once (Forest), and calls Forest.predict(X, out).
 *
 * What LightGBM does, and this file does in the same order with the same operations:
 *  - a dense row's value whose magnitude is at most kZeroThreshold (1e-35 as a float, widened
 *    to double) is read as 0.0 (NaN is kept);
 *  - at a node, NaN is read as 0.0 unless the node's missing type is NaN; a node whose missing
 *    type is Zero sends a value within +-kZeroThreshold, and one whose missing type is NaN sends
 *    NaN, to its default side (decision-type bit 2: left); any other value goes left when
 *    value <= threshold;
 *  - the class scores start at 0.0 and add the trees' leaf values in tree order (tree t adds to
 *    class t mod num_class);
 *  - softmax: the maximum score m, then exp(score - m) class by class summed from 0.0 in class
 *    order, then each exp divided by that sum.
 * Categorical splits are refused before they reach this file (native_trees.py).
 *
 * Two ways to the leaves: float32 rows (the labeller's) of a forest that allows it are tested
 * by leaf masks, every node of a tree for up to 64 rows at once (_trees_masks.h, an AVX2 build
 * where the CPU has it); other rows walk the trees node by node, 16 rows side by side
 * (predict_block). All reach the same leaves.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define DEFAULT_LEFT 2u    /* decision-type bit: the default (missing) side is the left child */
#define MISSING_ZERO 1u    /* missing type (bits 2-3): zero is missing */
#define MISSING_NAN 2u     /* missing type: NaN is missing */
#define MAX_CLASSES 64
#define BLOCK 16           /* rows walked through a tree side by side (independent chains; 16 measured
                              ~10% faster than 8, 32 no faster) */

static const double ZERO_THRESHOLD = (double)1e-35f;

#include "_trees_masks.h"

/* One node of the packed forest: an internal node, or a leaf that leads to itself (so every
 * row of a block takes the tree's depth in steps, whatever leaf it reaches). */
typedef struct {
    double threshold;
    int32_t feature;
    int32_t child[2];     /* [0]: value <= threshold, [1]: otherwise */
    uint8_t nan_right;    /* where NaN goes: 1 right, 0 left (fixed per node, see below) */
    uint8_t zero_missing; /* 0.0 goes to zero_side (LightGBM missing type Zero) */
    uint8_t zero_side;
} Node;

typedef struct {
    PyObject_HEAD
    int num_class;
    Py_ssize_t num_feature;
    Py_ssize_t num_trees;
    Py_ssize_t num_nodes;   /* internal nodes; leaves follow them in `nodes` */
    Py_ssize_t num_leaves;
    int32_t *root;          /* per tree: its first node, or ~leaf for a one-leaf tree */
    int32_t *feature;       /* per internal node (as handed over) */
    double *threshold;
    uint8_t *dtype;         /* LightGBM's decision_type */
    int32_t *left;          /* a node index (>= 0) or ~leaf index (< 0), over all trees */
    int32_t *right;
    double *leaf;           /* per leaf: its value */
    Node *nodes;            /* packed: internal nodes, then leaves */
    int32_t *start;         /* per tree: its root in `nodes` */
    int32_t *steps;         /* per tree: its depth (the longest root-to-leaf path) */
    int zero_missing;       /* some node has missing type Zero (the slower step) */
    Masks masks;            /* float32 rows' evaluation (_trees_masks.h); masks.leaf NULL: none */
} Forest;

static void forest_free_arrays(Forest *f) {
    PyMem_Free(f->root); PyMem_Free(f->feature); PyMem_Free(f->threshold);
    PyMem_Free(f->dtype); PyMem_Free(f->left); PyMem_Free(f->right); PyMem_Free(f->leaf);
    PyMem_Free(f->nodes); PyMem_Free(f->start); PyMem_Free(f->steps);
    f->root = f->feature = f->left = f->right = f->start = f->steps = NULL;
    f->threshold = f->leaf = NULL;
    f->dtype = NULL;
    f->nodes = NULL;
    masks_free(&f->masks);
}

static void forest_dealloc(Forest *f) {
    forest_free_arrays(f);
    Py_TYPE(f)->tp_free((PyObject *)f);
}

/* Copy a buffer of `itemsize`-byte items into fresh memory; *count gets the number of items. */
static void *copy_buffer(PyObject *obj, Py_ssize_t itemsize, Py_ssize_t *count, const char *what) {
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    if (view.len % itemsize != 0) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes is not a whole number of %zd-byte items",
                     what, view.len, itemsize);
        PyBuffer_Release(&view);
        return NULL;
    }
    void *out = PyMem_Malloc(view.len > 0 ? (size_t)view.len : 1);
    if (out == NULL) {
        PyBuffer_Release(&view);
        PyErr_NoMemory();
        return NULL;
    }
    if (view.len > 0) memcpy(out, view.buf, (size_t)view.len);
    *count = view.len / itemsize;
    PyBuffer_Release(&view);
    return out;
}

/* A child must be a later node of the same forest or a leaf: the walk ends, and a forward pass
 * over the nodes meets a parent before its children. */
static int check_child(const Forest *f, Py_ssize_t node, int32_t child) {
    if (child >= 0) return child > node && child < f->num_nodes;
    return (Py_ssize_t)~child < f->num_leaves;
}

static int forest_check(const Forest *f) {
    for (Py_ssize_t t = 0; t < f->num_trees; t++) {
        int32_t r = f->root[t];
        if ((r >= 0 && r >= f->num_nodes) || (r < 0 && (Py_ssize_t)~r >= f->num_leaves)) {
            PyErr_Format(PyExc_ValueError, "tree %zd: root %d out of range", t, (int)r);
            return -1;
        }
    }
    for (Py_ssize_t n = 0; n < f->num_nodes; n++) {
        if (f->feature[n] < 0 || f->feature[n] >= f->num_feature) {
            PyErr_Format(PyExc_ValueError, "node %zd: feature %d out of range", n, (int)f->feature[n]);
            return -1;
        }
        if (f->dtype[n] & 1u) {
            PyErr_Format(PyExc_ValueError, "node %zd: categorical split not supported", n);
            return -1;
        }
        if (!check_child(f, n, f->left[n]) || !check_child(f, n, f->right[n])) {
            PyErr_Format(PyExc_ValueError, "node %zd: child out of range", n);
            return -1;
        }
    }
    return 0;
}

static int32_t packed(const Forest *f, int32_t child) {
    return child >= 0 ? child : (int32_t)(f->num_nodes + ~child);
}

/* LightGBM's decision for a value v already read from the dense row (|v| <= ZERO_THRESHOLD
 * read as 0.0): NaN becomes 0.0 unless the missing type is NaN; missing type Zero sends 0.0
 * (and so NaN) to the default side, missing type NaN sends NaN there; else v <= threshold goes
 * left. So NaN's side is fixed per node: the default side (types Zero and NaN) or 0.0's side
 * (type None); a non-NaN value compares, except 0.0 at a type-Zero node. */
static void pack_node(const Forest *f, Py_ssize_t n, Node *out) {
    unsigned dt = f->dtype[n], missing = (dt >> 2) & 3u;
    int default_right = !(dt & DEFAULT_LEFT);
    out->threshold = f->threshold[n];
    out->feature = f->feature[n];
    out->child[0] = packed(f, f->left[n]);
    out->child[1] = packed(f, f->right[n]);
    if (missing == MISSING_NAN || missing == MISSING_ZERO)
        out->nan_right = (uint8_t)default_right;
    else
        out->nan_right = (uint8_t)!(0.0 <= f->threshold[n]);
    out->zero_missing = missing == MISSING_ZERO;
    out->zero_side = (uint8_t)default_right;
}

static int forest_pack(Forest *f) {
    Py_ssize_t total = f->num_nodes + f->num_leaves, n;
    int32_t *depth = PyMem_Malloc((size_t)(total > 0 ? total : 1) * sizeof(int32_t));
    int32_t *tree = PyMem_Malloc((size_t)(total > 0 ? total : 1) * sizeof(int32_t));
    f->nodes = PyMem_Malloc((size_t)(total > 0 ? total : 1) * sizeof(Node));
    f->start = PyMem_Malloc((size_t)(f->num_trees > 0 ? f->num_trees : 1) * sizeof(int32_t));
    f->steps = PyMem_Malloc((size_t)(f->num_trees > 0 ? f->num_trees : 1) * sizeof(int32_t));
    if (!depth || !tree || !f->nodes || !f->start || !f->steps) {
        PyMem_Free(depth); PyMem_Free(tree);
        PyErr_NoMemory();
        return -1;
    }
    for (n = 0; n < total; n++) { depth[n] = -1; tree[n] = -1; }
    f->zero_missing = 0;
    for (Py_ssize_t t = 0; t < f->num_trees; t++) {
        f->start[t] = packed(f, f->root[t]);
        f->steps[t] = 0;
        depth[f->start[t]] = 0;
        tree[f->start[t]] = (int32_t)t;
    }
    for (n = 0; n < f->num_nodes; n++) {
        pack_node(f, n, &f->nodes[n]);
        f->zero_missing |= f->nodes[n].zero_missing;
        for (int side = 0; side < 2; side++) {
            int32_t c = f->nodes[n].child[side];
            if (depth[n] < 0) continue;  /* a node no root reaches: never walked */
            depth[c] = depth[n] + 1;
            tree[c] = tree[n];
            if (depth[c] > f->steps[tree[n]]) f->steps[tree[n]] = depth[c];
        }
    }
    for (n = f->num_nodes; n < total; n++) {
        Node *leaf = &f->nodes[n];
        leaf->threshold = f->leaf[n - f->num_nodes];  /* unused by the walk: a leaf leads to itself */
        leaf->feature = 0;
        leaf->child[0] = leaf->child[1] = (int32_t)n;
        leaf->nan_right = leaf->zero_missing = leaf->zero_side = 0;
    }
    PyMem_Free(depth);
    PyMem_Free(tree);
    return 0;
}

static int forest_init(Forest *f, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"num_class", "num_feature", "root", "feature", "threshold",
                             "decision_type", "left", "right", "leaf", NULL};
    int num_class;
    Py_ssize_t num_feature, n_feat, n_thr, n_dt, n_left, n_right;
    PyObject *root, *feature, *threshold, *dtype, *left, *right, *leaf;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "inOOOOOOO", kwlist, &num_class, &num_feature,
                                     &root, &feature, &threshold, &dtype, &left, &right, &leaf))
        return -1;
    if (num_class < 2 || num_class > MAX_CLASSES || num_feature < 1) {
        PyErr_SetString(PyExc_ValueError, "num_class must be 2-64 and num_feature positive");
        return -1;
    }
    if (f->nodes != NULL) {  /* predict runs without the GIL: a Forest never changes */
        PyErr_SetString(PyExc_TypeError, "Forest is already initialised");
        return -1;
    }
    forest_free_arrays(f);
    f->num_class = num_class;
    f->num_feature = num_feature;
    if (!(f->root = copy_buffer(root, 4, &f->num_trees, "root"))
        || !(f->feature = copy_buffer(feature, 4, &n_feat, "feature"))
        || !(f->threshold = copy_buffer(threshold, 8, &n_thr, "threshold"))
        || !(f->dtype = copy_buffer(dtype, 1, &n_dt, "decision_type"))
        || !(f->left = copy_buffer(left, 4, &n_left, "left"))
        || !(f->right = copy_buffer(right, 4, &n_right, "right"))
        || !(f->leaf = copy_buffer(leaf, 8, &f->num_leaves, "leaf"))) {
        forest_free_arrays(f);
        return -1;
    }
    f->num_nodes = n_feat;
    if (n_thr != n_feat || n_dt != n_feat || n_left != n_feat || n_right != n_feat
        || f->num_trees % num_class != 0 || n_feat + f->num_leaves > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "node arrays differ in length, or the tree count is "
                        "not a multiple of num_class");
        forest_free_arrays(f);
        return -1;
    }
    if (forest_check(f) < 0 || forest_pack(f) < 0
        || masks_build(&f->masks, f->num_trees, f->num_nodes, f->num_leaves, f->num_feature, f->root,
                       f->feature, f->threshold, f->dtype, f->left, f->right, f->leaf) < 0) {
        forest_free_arrays(f);
        return -1;
    }
    return 0;
}

/* One step of a row at a node: the child LightGBM's decision picks (see pack_node). Branch
 * free (a third of the feature values are NaN): v > threshold is false for NaN, which then
 * goes right only where nan_right says so. */
static inline int32_t step(const Node *node, const double *row) {
    double v = row[node->feature];
    int right = (v > node->threshold) | (node->nan_right & (v != v));
    return node->child[right];
}

/* step, for a forest with missing-type-Zero nodes (0.0 goes to the default side there). */
static inline int32_t step_zero(const Node *node, const double *row) {
    double v = row[node->feature];
    int right = (v > node->threshold) | (node->nan_right & (v != v));
    if (node->zero_missing && v == 0.0) right = node->zero_side;
    return node->child[right];
}

/* Each row's class scores into probabilities: the maximum m, exp(score - m) summed from 0.0 in
 * class order, each exp divided by the sum. Row r's class k score: score[r * rs + k * ks]. */
static void softmax_rows(const double *score, Py_ssize_t rs, Py_ssize_t ks, Py_ssize_t nb, int K,
                         double *out) {
    for (Py_ssize_t r = 0; r < nb; r++) {
        const double *sc = score + r * rs;
        double *o = out + r * K, m = sc[0], sum = 0.0;
        int k;
        for (k = 1; k < K; k++) m = sc[k * ks] > m ? sc[k * ks] : m;
        for (k = 0; k < K; k++) {
            o[k] = exp(sc[k * ks] - m);
            sum += o[k];
        }
        for (k = 0; k < K; k++) o[k] /= sum;
    }
}

/* A block of up to BLOCK rows (already read as LightGBM reads a dense row) through every tree:
 * each row's class scores summed in tree order from 0.0, then softmax into out. */
static void predict_block(const Forest *f, const double *rows, Py_ssize_t nb, double *out) {
    const Py_ssize_t F = f->num_feature;
    const int K = f->num_class;
    double score[BLOCK][MAX_CLASSES];
    int32_t at[BLOCK];
    Py_ssize_t r;
    int k;
    for (r = 0; r < nb; r++)
        for (k = 0; k < K; k++) score[r][k] = 0.0;
    for (Py_ssize_t t = 0; t < f->num_trees; t++) {
        const int32_t s0 = f->start[t], depth = f->steps[t];
        for (r = 0; r < nb; r++) at[r] = s0;
        for (int32_t d = 0; d < depth; d++)
            if (f->zero_missing)
                for (r = 0; r < nb; r++) at[r] = step_zero(&f->nodes[at[r]], rows + r * F);
            else
                for (r = 0; r < nb; r++) at[r] = step(&f->nodes[at[r]], rows + r * F);
        k = (int)(t % K);
        for (r = 0; r < nb; r++) score[r][k] += f->leaf[at[r] - f->num_nodes];
    }
    softmax_rows(&score[0][0], MAX_CLASSES, 1, nb, K, out);
}

/* The rows as LightGBM's dense reader hands them to the trees: float32 values widened to
 * double, |v| <= ZERO_THRESHOLD read as 0.0. */
static void read_rows(const void *x, int is_float, Py_ssize_t count, double *buf) {
    Py_ssize_t i;
    if (is_float) {
        const float *xf = (const float *)x;
        for (i = 0; i < count; i++) {
            double v = (double)xf[i];
            buf[i] = fabs(v) <= ZERO_THRESHOLD ? 0.0 : v;
        }
    } else {
        const double *xd = (const double *)x;
        for (i = 0; i < count; i++) buf[i] = fabs(xd[i]) <= ZERO_THRESHOLD ? 0.0 : xd[i];
    }
}

/* A 2-D C-contiguous matrix of float64 ("d"), or of float32 ("f") when allow_float; *is_float
 * says which. */
static int get_matrix(PyObject *obj, Py_buffer *view, int writable, int allow_float, int *is_float,
                      const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    int dbl = view->format != NULL && strcmp(view->format, "d") == 0 && view->itemsize == 8;
    int flt = allow_float && view->format != NULL && strcmp(view->format, "f") == 0
              && view->itemsize == 4;
    if (view->ndim != 2 || !(dbl || flt)) {
        PyErr_Format(PyExc_ValueError, "%s must be a 2-D C-contiguous %s array", what,
                     allow_float ? "float64 or float32" : "float64");
        PyBuffer_Release(view);
        return -1;
    }
    *is_float = flt;
    return 0;
}

static PyObject *forest_predict(Forest *f, PyObject *args) {
    PyObject *xo, *oo;
    Py_buffer x, o;
    int x_float, o_float;
    if (f->nodes == NULL) {
        PyErr_SetString(PyExc_ValueError, "Forest not initialised");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "OO", &xo, &oo)) return NULL;
    if (get_matrix(xo, &x, 0, 1, &x_float, "X") < 0) return NULL;
    if (get_matrix(oo, &o, 1, 0, &o_float, "out") < 0) {
        PyBuffer_Release(&x);
        return NULL;
    }
    Py_ssize_t n = x.shape[0];
    if (x.shape[1] != f->num_feature || o.shape[0] != n || o.shape[1] != f->num_class) {
        PyErr_Format(PyExc_ValueError, "X is %zd x %zd and out %zd x %zd; the model wants "
                     "%zd columns and gives %d", n, x.shape[1], o.shape[0], o.shape[1],
                     f->num_feature, f->num_class);
        PyBuffer_Release(&x);
        PyBuffer_Release(&o);
        return NULL;
    }
    const char *rows = (const char *)x.buf;
    double *out = (double *)o.buf;
    const Py_ssize_t F = f->num_feature;
    const int by_masks = x_float && f->masks.leaf != NULL;
    /* doubles: a block's row columns (floats) and class sums, or a block's rows */
    const Py_ssize_t room = by_masks ? f->masks.num_column * QB + f->num_class * QB : BLOCK * F;
    double *buf = PyMem_Malloc((size_t)(room > 0 ? room : 1) * sizeof(double));
    if (buf == NULL) {
        PyBuffer_Release(&x);
        PyBuffer_Release(&o);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    if (by_masks) {
        const BlockFn block = block_fn;
        const int K = f->num_class;
        double *score = buf + f->masks.num_column * QB;
        for (Py_ssize_t i = 0; i < n; i += QB) {
            Py_ssize_t nb = n - i < QB ? n - i : QB;
            memset(score, 0, (size_t)K * QB * sizeof(double));  /* every sum from 0.0 */
            block(&f->masks, K, f->num_trees, F, (const float *)rows + i * F, nb, (float *)buf, score);
            softmax_rows(score, 1, QB, nb, K, out + i * K);
        }
    }
    else for (Py_ssize_t i = 0; i < n; i += BLOCK) {
        Py_ssize_t nb = n - i < BLOCK ? n - i : BLOCK;
        read_rows(rows + i * F * x.itemsize, x_float, nb * F, buf);
        predict_block(f, buf, nb, out + i * f->num_class);
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(buf);
    PyBuffer_Release(&x);
    PyBuffer_Release(&o);
    Py_RETURN_NONE;
}

static PyObject *forest_get_num_trees(Forest *f, void *Py_UNUSED(closure)) {
    return PyLong_FromSsize_t(f->num_trees);
}

static PyMethodDef forest_methods[] = {
    {"predict", (PyCFunction)forest_predict, METH_VARARGS,
     "predict(X, out): class probabilities of X's rows (n x num_feature, C-contiguous float64 "
     "or float32) "
     "written into out (n x num_class, C-contiguous float64)."},
    {NULL, NULL, 0, NULL}
};

static PyObject *forest_get_masks(Forest *f, void *Py_UNUSED(closure)) {
    return PyBool_FromLong(f->masks.leaf != NULL);
}

static PyGetSetDef forest_getset[] = {
    {"num_trees", (getter)forest_get_num_trees, NULL, "number of trees", NULL},
    {"masks", (getter)forest_get_masks, NULL, "float32 rows are evaluated by leaf masks", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyTypeObject ForestType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workers.core.labeller._trees.Forest",
    .tp_basicsize = sizeof(Forest),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Forest(num_class, num_feature, root, feature, threshold, decision_type, left, "
              "right, leaf): a multiclass model's numerical trees as flat arrays (copied).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)forest_init,
    .tp_dealloc = (destructor)forest_dealloc,
    .tp_methods = forest_methods,
    .tp_getset = forest_getset,
};

static PyMethodDef trees_functions[] = {
    {"avx2", module_avx2, METH_VARARGS,
     "avx2([on]): whether float32 rows are evaluated by the AVX2 build (same bits as the "
     "portable one); on: choose (True only where the CPU has AVX2)."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef trees_module = {
    PyModuleDef_HEAD_INIT, "_trees",
    "The line labeller's trees evaluated in C (see native_trees.py).", -1, trees_functions, NULL,
    NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__trees(void) {
    if (PyType_Ready(&ForestType) < 0) return NULL;
#ifdef HAVE_AVX2_BLOCK
    if (cpu_has_avx2()) block_fn = block_avx2;
#endif
    PyObject *m = PyModule_Create(&trees_module);
    if (m == NULL) return NULL;
    if (PyModule_AddIntConstant(m, "CPU_AVX2", cpu_has_avx2()) < 0) {  /* 1: avx2(True) works */
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&ForestType);
    if (PyModule_AddObject(m, "Forest", (PyObject *)&ForestType) < 0) {
        Py_DECREF(&ForestType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
