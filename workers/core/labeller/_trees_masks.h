/* The trees evaluated by leaf masks (included by _trees.c): for float32 rows, a forest without
 * missing-type-Zero nodes, with finite thresholds and at most 32 leaves a tree.
 *
 * A tree's leaves are numbered left to right (bit i of a 32-bit mask: leaf i). A row's exit
 * leaf is the leftmost leaf not in the left subtree of any node whose test sends the row right
 * (on its path or not): a node on the path sends it right only when its left subtree does not
 * hold the exit leaf, a node off the path has no leaf of the path's in its subtrees, and any
 * leaf left of the exit leaf is in the left subtree of the node where the two part, which sent
 * the row right. So every node's test is made (each a compare of one column value with one
 * threshold, for QB rows side by side: no chain of loads from node to node, a loop the compiler
 * turns into vector compares), each node sent right clears its left subtree's bits, and the
 * lowest bit left is the exit leaf. The class scores add the leaves' values in tree order as
 * before, so the probabilities are the walk's, bit for bit.
 *
 * The tests, exactly LightGBM's for a float32 row (read as double): a value whose magnitude is
 * at most 1e-35f is 0.0; NaN becomes what the node reads it as, which is fixed per node: 0.0
 * (missing type None), or -inf / +inf (missing type NaN, default side left / right: no finite
 * threshold is above -inf or at +inf); a row column per (feature, NaN reading) the nodes use.
 * Then the row goes right when v > t32, t32 the largest float not above the double threshold t:
 * for a float v, v <= t32 exactly when (double)v <= t.
 */
#define QB 16 /* rows tested side by side (four vectors of four) */

/* GCC / Clang vector extensions: four floats, four 32-bit masks (a compare gives -1 or 0 a lane) */
typedef float VF __attribute__((vector_size(16)));
typedef int32_t VI __attribute__((vector_size(16)));

enum { NAN_AS_ZERO, NAN_AS_LOW, NAN_AS_HIGH };

typedef struct {
    Py_ssize_t num_column;   /* row columns: */
    int32_t *column_feature; /* each one's feature */
    uint8_t *column_nan;     /* and what NaN becomes in it (NAN_AS_*) */
    int32_t *node_start;     /* per tree: its first node below; node_start[num_trees]: all */
    int32_t *leaf_start;     /* per tree: its first leaf in `leaf` */
    int32_t *column;         /* per node: the row column it tests */
    float *threshold;        /* per node: t32 */
    uint32_t *left_bits;     /* per node: the leaves of its left subtree */
    double *leaf;            /* per tree: its leaf values, left to right */
} Masks;

static void masks_free(Masks *m) {
    PyMem_Free(m->column_feature); PyMem_Free(m->column_nan); PyMem_Free(m->node_start);
    PyMem_Free(m->leaf_start); PyMem_Free(m->column); PyMem_Free(m->threshold);
    PyMem_Free(m->left_bits); PyMem_Free(m->leaf);
    memset(m, 0, sizeof(*m));
}

/* The largest float not above t (finite): (float)t rounds to nearest, one step down when that
 * went up (beyond the float range: +-FLT_MAX or -inf). */
static float float_at_most(double t) {
    float v = (float)t;
    if ((double)v > t) v = nextafterf(v, -INFINITY);
    return v;
}

typedef struct {  /* the forest as LightGBM's arrays (see Forest) and the build's counters */
    const int32_t *feature, *left, *right;
    const double *threshold, *leaf;
    const uint8_t *dtype;
    int32_t *column_of;  /* (feature, NaN reading) -> row column, or -1 */
    Py_ssize_t nodes, leaves;
} MaskBuild;

/* The subtree at `node` (a node index, or ~leaf): its nodes and leaves appended; 0, or 1 when
 * the tree has over 32 leaves (then no masks). *first_leaf: the tree's first leaf. */
static int masks_subtree(Masks *m, MaskBuild *b, int32_t node, Py_ssize_t first_leaf) {
    if (node < 0) {
        if (b->leaves - first_leaf >= 32) return 1;
        m->leaf[b->leaves++] = b->leaf[~node];
        return 0;
    }
    unsigned dt = b->dtype[node], missing = (dt >> 2) & 3u;
    int reading = missing == MISSING_NAN ? ((dt & DEFAULT_LEFT) ? NAN_AS_LOW : NAN_AS_HIGH) : NAN_AS_ZERO;
    int32_t *col = &b->column_of[3 * b->feature[node] + reading];
    if (*col < 0) {
        *col = (int32_t)m->num_column++;
        m->column_feature[*col] = b->feature[node];
        m->column_nan[*col] = (uint8_t)reading;
    }
    Py_ssize_t q = b->nodes++, lo = b->leaves - first_leaf;
    m->column[q] = *col;
    m->threshold[q] = float_at_most(b->threshold[node]);
    if (masks_subtree(m, b, b->left[node], first_leaf)) return 1;
    Py_ssize_t mid = b->leaves - first_leaf;
    uint32_t left_bits = (uint32_t)(((uint64_t)1 << mid) - ((uint64_t)1 << lo));
    m->left_bits[q] = left_bits;
    return masks_subtree(m, b, b->right[node], first_leaf);
}

/* The masks of a forest (num_nodes internal nodes, num_leaves leaves over its trees), or none
 * (m->leaf NULL: the walk serves) when it has a missing-type-Zero node, a threshold that is not
 * finite or a tree of over 32 leaves. -1: out of memory. */
static int masks_build(Masks *m, Py_ssize_t num_trees, Py_ssize_t num_nodes, Py_ssize_t num_leaves,
                       Py_ssize_t num_feature, const int32_t *root, const int32_t *feature,
                       const double *threshold, const uint8_t *dtype, const int32_t *left,
                       const int32_t *right, const double *leaf) {
    Py_ssize_t n;
    memset(m, 0, sizeof(*m));
    for (n = 0; n < num_nodes; n++)
        if (((dtype[n] >> 2) & 3u) == MISSING_ZERO || !isfinite(threshold[n])) return 0;
    MaskBuild b = {feature, left, right, threshold, leaf, dtype, NULL, 0, 0};
    b.column_of = PyMem_Malloc((size_t)(3 * num_feature) * sizeof(int32_t));
    m->column_feature = PyMem_Malloc((size_t)(3 * num_feature) * sizeof(int32_t));
    m->column_nan = PyMem_Malloc((size_t)(3 * num_feature));
    m->node_start = PyMem_Malloc((size_t)(num_trees + 1) * sizeof(int32_t));
    m->leaf_start = PyMem_Malloc((size_t)(num_trees + 1) * sizeof(int32_t));
    m->column = PyMem_Malloc((size_t)(num_nodes + 1) * sizeof(int32_t));
    m->threshold = PyMem_Malloc((size_t)(num_nodes + 1) * sizeof(float));
    m->left_bits = PyMem_Malloc((size_t)(num_nodes + 1) * sizeof(uint32_t));
    m->leaf = PyMem_Malloc((size_t)(num_leaves + 1) * sizeof(double));
    if (!b.column_of || !m->column_feature || !m->column_nan || !m->node_start || !m->leaf_start
        || !m->column || !m->threshold || !m->left_bits || !m->leaf) {
        PyMem_Free(b.column_of);
        masks_free(m);
        PyErr_NoMemory();
        return -1;
    }
    for (n = 0; n < 3 * num_feature; n++) b.column_of[n] = -1;
    int too_many = 0;
    for (Py_ssize_t t = 0; t < num_trees && !too_many; t++) {
        m->node_start[t] = (int32_t)b.nodes;
        m->leaf_start[t] = (int32_t)b.leaves;
        too_many = masks_subtree(m, &b, root[t], b.leaves);
    }
    m->node_start[num_trees] = (int32_t)b.nodes;
    m->leaf_start[num_trees] = (int32_t)b.leaves;
    PyMem_Free(b.column_of);
    if (too_many) masks_free(m);
    return 0;
}

/* Up to QB float32 rows (num_feature columns each) through every tree by the masks; each row's
 * class scores summed in tree order from 0.0 into score. vals: num_column x QB floats. */
static void masks_scores(const Masks *m, int K, Py_ssize_t num_trees, Py_ssize_t num_feature,
                         const float *x, Py_ssize_t nb, float *vals, double score[][MAX_CLASSES]) {
    static const float nan_as[3] = {0.0f, -INFINITY, INFINITY};
    Py_ssize_t r, c;
    for (c = 0; c < m->num_column; c++) {
        float *o = vals + c * QB;
        const int32_t feat = m->column_feature[c];
        const float nan_value = nan_as[m->column_nan[c]];
        for (r = 0; r < nb; r++) {
            float v = x[r * num_feature + feat];
            v = fabsf(v) <= 1e-35f ? 0.0f : v;
            o[r] = v != v ? nan_value : v;
        }
        for (; r < QB; r++) o[r] = 0.0f;
    }
    for (r = 0; r < nb; r++)
        for (int k = 0; k < K; k++) score[r][k] = 0.0;
    for (Py_ssize_t t = 0; t < num_trees; t++) {
        VI mask[QB / 4];
        int j;
        for (j = 0; j < QB / 4; j++) mask[j] = (VI){-1, -1, -1, -1};
        for (int32_t q = m->node_start[t]; q < m->node_start[t + 1]; q++) {
            const float *v = vals + (Py_ssize_t)m->column[q] * QB;
            const float th = m->threshold[q];
            const int32_t lb = (int32_t)m->left_bits[q];
            const VF thv = {th, th, th, th};
            const VI lbv = {lb, lb, lb, lb};
            for (j = 0; j < QB / 4; j++) {
                VF x;
                memcpy(&x, v + 4 * j, sizeof x);
                mask[j] &= ~((VI)(x > thv) & lbv);  /* sent right: its left subtree's leaves go */
            }
        }
        uint32_t lanes[QB];
        memcpy(lanes, mask, sizeof lanes);
        const double *leaves = m->leaf + m->leaf_start[t];
        const int k = (int)(t % K);
        for (r = 0; r < nb; r++) score[r][k] += leaves[__builtin_ctz(lanes[r])];
    }
}
