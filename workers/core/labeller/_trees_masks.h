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
#define QB 64 /* rows tested side by side: a block's column is QV vectors of 8 floats */
#define QV (QB / 8)

/* GCC / Clang vector extensions: eight floats, eight 32-bit masks (a compare gives -1 or 0 a
 * lane); one AVX register each, or two SSE registers where AVX2 is not there */
typedef float VF __attribute__((vector_size(32)));
typedef int32_t VI __attribute__((vector_size(32)));
typedef float VF4 __attribute__((vector_size(16)));  /* the portable build's: SSE registers */
typedef int32_t VI4 __attribute__((vector_size(16)));

enum { NAN_AS_ZERO, NAN_AS_LOW, NAN_AS_HIGH };

typedef struct {          /* one node's test, its fields side by side (one cache line holds 5) */
    int32_t offset;       /* its row column's values in a block: column * QB */
    float threshold;      /* t32 */
    uint32_t left_bits;   /* the leaves of its left subtree */
} MaskNode;

typedef struct {
    Py_ssize_t num_column;   /* row columns: */
    int32_t *column_feature; /* each one's feature */
    uint8_t *column_nan;     /* and what NaN becomes in it (NAN_AS_*) */
    int32_t *node_start;     /* per tree: its first node below; node_start[num_trees]: all */
    int32_t *leaf_start;     /* per tree: its first leaf in `leaf` */
    MaskNode *node;          /* per node, tree by tree in depth-first order */
    double *leaf;            /* per tree: its leaf values, left to right */
} Masks;

static void masks_free(Masks *m) {
    PyMem_Free(m->column_feature); PyMem_Free(m->column_nan); PyMem_Free(m->node_start);
    PyMem_Free(m->leaf_start); PyMem_Free(m->node); PyMem_Free(m->leaf);
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
    m->node[q].offset = *col * QB;
    m->node[q].threshold = float_at_most(b->threshold[node]);
    if (masks_subtree(m, b, b->left[node], first_leaf)) return 1;
    Py_ssize_t mid = b->leaves - first_leaf;
    uint32_t left_bits = (uint32_t)(((uint64_t)1 << mid) - ((uint64_t)1 << lo));
    m->node[q].left_bits = left_bits;
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
    m->node = PyMem_Malloc((size_t)(num_nodes + 1) * sizeof(MaskNode));
    m->leaf = PyMem_Malloc((size_t)(num_leaves + 1) * sizeof(double));
    if (!b.column_of || !m->column_feature || !m->column_nan || !m->node_start || !m->leaf_start
        || !m->node || !m->leaf) {
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

/* The evaluation of one block of nb <= QB float32 rows, in two builds: a portable one (SSE
 * vectors of 4, or what the target has) and, on x86-64, an AVX2 one picked at run time where the
 * CPU has it (vectors of 8, gathers). The same node tests (TREE_MASKS, written once), the same
 * exit leaves, their values added in the same order (one IEEE double add a row and tree, whether
 * scalar or a vector lane), so both give the same bits. score: class k's sums of the block's
 * rows at score[k * QB + r], from 0.0, tree t adding to class t mod K. */
#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* A block's row columns (vals: num_column x QB floats), as LightGBM reads a float32 row: a value
 * of magnitude at most 1e-35f is 0.0, NaN what its column reads it as; rows past nb are 0.0. */
ALWAYS_INLINE void columns_plain(const Masks *m, Py_ssize_t F, const float *x, Py_ssize_t nb,
                                 float *vals) {
    static const float nan_as[3] = {0.0f, -INFINITY, INFINITY};
    for (Py_ssize_t c = 0; c < m->num_column; c++) {
        float *o = vals + c * QB;
        const float *col = x + m->column_feature[c];
        const float nan_value = nan_as[m->column_nan[c]];
        Py_ssize_t r;
        for (r = 0; r < nb; r++) {
            float v = col[r * F];
            v = fabsf(v) <= 1e-35f ? 0.0f : v;
            o[r] = v != v ? nan_value : v;
        }
        for (; r < QB; r++) o[r] = 0.0f;
    }
}

/* One tree's nodes [p, end) on the first nv x W rows of the block (vectors of W lanes): mask[j]
 * ends with the exit leaves' bits lowest (see the top of this file). nv is a constant where this
 * is inlined, so the masks stay in registers. */
#define BCAST4(x) {x, x, x, x}
#define BCAST8(x) {x, x, x, x, x, x, x, x}
#define TREE_MASKS(p, end, vals, nv, mask, VFT, VIT, W, BCAST) do {                     \
    for (int j_ = 0; j_ < (nv); j_++) (mask)[j_] = ~(VIT){0};                            \
    for (const MaskNode *q_ = (p); q_ < (end); q_++) {                                  \
        const float *v_ = (vals) + q_->offset;                                          \
        const float th_ = q_->threshold;                                                \
        const VFT thv_ = (VFT)BCAST(th_);                                             \
        const int32_t lb_ = (int32_t)q_->left_bits;                                     \
        const VIT lbv_ = (VIT)BCAST(lb_);                                               \
        for (int j_ = 0; j_ < (nv); j_++) {                                             \
            VFT x_;                                                                     \
            memcpy(&x_, v_ + (W) * j_, sizeof x_);                                      \
            (mask)[j_] &= ~((VIT)(x_ > thv_) & lbv_);  /* sent right: its left leaves go */ \
        }                                                                               \
    }                                                                                   \
} while (0)

/* Each tree's exit leaf added to its class's sums, row by row. */
ALWAYS_INLINE void trees_plain(const Masks *m, int K, Py_ssize_t num_trees, const float *vals,
                               Py_ssize_t nb, int nv, double *score) {
    for (Py_ssize_t t = 0; t < num_trees; t++) {
        VI4 mask[8];
        uint32_t lanes[32];
        TREE_MASKS(m->node + m->node_start[t], m->node + m->node_start[t + 1], vals, 2 * nv, mask,
                   VF4, VI4, 4, BCAST4);
        memcpy(lanes, mask, (size_t)nv * 2 * sizeof(VI4));
        const double *leaves = m->leaf + m->leaf_start[t];
        double *s = score + (t % K) * QB;
        for (Py_ssize_t r = 0; r < nb; r++) s[r] += leaves[__builtin_ctz(lanes[r])];
    }
}

static void block_plain(const Masks *m, int K, Py_ssize_t num_trees, Py_ssize_t F, const float *x,
                        Py_ssize_t nb, float *vals, double *score) {
    columns_plain(m, F, x, nb, vals);
    for (Py_ssize_t h = 0; h < nb; h += 32) {  /* 32 rows a turn: eight SSE registers of masks */
        Py_ssize_t n = nb - h < 32 ? nb - h : 32;
        switch ((n + 7) / 8) {  /* the vectors in use: a constant in each call */
        case 1: trees_plain(m, K, num_trees, vals + h, n, 1, score + h); break;
        case 2: trees_plain(m, K, num_trees, vals + h, n, 2, score + h); break;
        case 3: trees_plain(m, K, num_trees, vals + h, n, 3, score + h); break;
        default: trees_plain(m, K, num_trees, vals + h, n, 4, score + h); break;
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_BLOCK 1
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

/* columns_plain by gathers: eight rows' values of a column in one load, read as there. */
static inline AVX2 void columns_avx2(const Masks *m, Py_ssize_t F, const float *x, Py_ssize_t nb,
                                     float *vals) {
    const __m256i step = _mm256_mullo_epi32(_mm256_set1_epi32((int32_t)F),
                                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 tiny = _mm256_set1_ps(1e-35f), zero = _mm256_setzero_ps();
    static const float nan_as[3] = {0.0f, -INFINITY, INFINITY};
    __m256 live[QV];  /* lanes of rows < nb */
    for (int j = 0; j < QV; j++) {
        __m256i lane = _mm256_add_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                        _mm256_set1_epi32(8 * j));
        live[j] = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t)nb), lane));
    }
    for (Py_ssize_t c = 0; c < m->num_column; c++) {
        const float *col = x + m->column_feature[c];
        const __m256 nan_value = _mm256_set1_ps(nan_as[m->column_nan[c]]);
        for (int j = 0; j < QV; j++) {
            __m256 v = zero;
            if (8 * j < nb)
                v = _mm256_mask_i32gather_ps(zero, col + 8 * j * F, step, live[j], 4);
            v = _mm256_andnot_ps(_mm256_cmp_ps(_mm256_and_ps(v, absmask), tiny, _CMP_LE_OQ), v);
            v = _mm256_blendv_ps(v, nan_value, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
            _mm256_storeu_ps(vals + c * QB + 8 * j, v);
        }
    }
}

/* trees_plain with the exit leaves found eight rows at a time: the lowest set bit b of a mask,
 * as a float 2^b, has exponent field 127 + b; four leaf values gathered, four sums added. */
ALWAYS_INLINE AVX2 void trees_avx2(const Masks *m, int K, Py_ssize_t num_trees, const float *vals,
                                   int nv, double *score) {
    const __m256i bias = _mm256_set1_epi32(127), zero = _mm256_setzero_si256();
    for (Py_ssize_t t = 0; t < num_trees; t++) {
        VI mask[QV];
        TREE_MASKS(m->node + m->node_start[t], m->node + m->node_start[t + 1], vals, nv, mask,
                   VF, VI, 8, BCAST8);
        const double *leaves = m->leaf + m->leaf_start[t];
        double *s = score + (t % K) * QB;
        for (int j = 0; j < nv; j++) {
            __m256i mk = (__m256i)mask[j];
            __m256i low = _mm256_and_si256(mk, _mm256_sub_epi32(zero, mk));
            __m256i e = _mm256_castps_si256(_mm256_cvtepi32_ps(low));
            __m256i b = _mm256_sub_epi32(_mm256_srli_epi32(_mm256_slli_epi32(e, 1), 24), bias);
            __m256d lo = _mm256_i32gather_pd(leaves, _mm256_castsi256_si128(b), 8);
            __m256d hi = _mm256_i32gather_pd(leaves, _mm256_extracti128_si256(b, 1), 8);
            _mm256_storeu_pd(s + 8 * j, _mm256_add_pd(_mm256_loadu_pd(s + 8 * j), lo));
            _mm256_storeu_pd(s + 8 * j + 4, _mm256_add_pd(_mm256_loadu_pd(s + 8 * j + 4), hi));
        }
    }
}

static AVX2 void block_avx2(const Masks *m, int K, Py_ssize_t num_trees, Py_ssize_t F,
                            const float *x, Py_ssize_t nb, float *vals, double *score) {
    columns_avx2(m, F, x, nb, vals);
    switch ((nb + 7) / 8) {  /* the vectors in use: a constant in each call */
    case 1: trees_avx2(m, K, num_trees, vals, 1, score); break;
    case 2: trees_avx2(m, K, num_trees, vals, 2, score); break;
    case 3: trees_avx2(m, K, num_trees, vals, 3, score); break;
    case 4: trees_avx2(m, K, num_trees, vals, 4, score); break;
    case 5: trees_avx2(m, K, num_trees, vals, 5, score); break;
    case 6: trees_avx2(m, K, num_trees, vals, 6, score); break;
    case 7: trees_avx2(m, K, num_trees, vals, 7, score); break;
    default: trees_avx2(m, K, num_trees, vals, 8, score); break;
    }
}
#endif

typedef void (*BlockFn)(const Masks *, int, Py_ssize_t, Py_ssize_t, const float *, Py_ssize_t,
                        float *, double *);

static BlockFn block_fn = block_plain;  /* float32 blocks' evaluation: block_avx2 where the CPU has it */

static int cpu_has_avx2(void) {
#ifdef HAVE_AVX2_BLOCK
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return 0;
#endif
}

/* avx2(): whether float32 blocks run the AVX2 build of the evaluation; avx2(False / True): the
 * portable build / the AVX2 one (where the CPU has it), so a test compares both. */
static PyObject *module_avx2(PyObject *Py_UNUSED(mod), PyObject *args) {
    int on = -1;
    if (!PyArg_ParseTuple(args, "|p", &on)) return NULL;
    if (on == 1 && !cpu_has_avx2()) {
        PyErr_SetString(PyExc_ValueError, "this CPU (or this build) has no AVX2");
        return NULL;
    }
#ifdef HAVE_AVX2_BLOCK
    if (on >= 0) block_fn = on ? block_avx2 : block_plain;
    return PyBool_FromLong(block_fn == block_avx2);
#else
    return PyBool_FromLong(0);
#endif
}
