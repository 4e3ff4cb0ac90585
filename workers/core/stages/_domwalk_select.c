/* Whole-tree selector queries in one walk (html_select.py; selectolax's ``tree.css`` stays the
 * reference). ``tree.css(q)`` runs Lexbor's lxb_selectors_find from the root element with
 * LXB_SELECTORS_OPT_MATCH_ROOT: in document order (the simple walk of dw_next, which does not
 * enter a <template>'s content), every element is run against the selector list (lxb_selectors_run)
 * and reported once per entry of the list it matches. Here one walk serves several queries, and an
 * element is run against a query's list by Lexbor's own lxb_selectors_match_node (the same
 * per-element run) only when it passes the query's gate: alternatives of a tag, an attribute and
 * words its value holds (ASCII case-insensitively), one of which every match of the list passes
 * (given with the query by html_select; a tag as Lexbor's id, attributes by qualified name as
 * selectolax reads them). A gate only skips elements the list cannot match, so the matches are
 * Lexbor's own, as selectolax node objects in tree.css's order. A value longer than MAX_LOWERED
 * passes its gate unread. */
#include <string.h>

#include "_domwalk.h"

enum { LXB_OK = 0, MAX_QUERIES = 16, MAX_ALTS = 8, MAX_ATTRS = 8, MAX_LOWERED = 1024 };

typedef unsigned int (*found_fn)(lxb_node *, void *, void *);
typedef unsigned int (*match_fn)(void *, lxb_node *, void *, found_fn, void *);

static match_fn match_node;

/* a gate's alternative: the tag (0: any), the attribute present (-1: any), its value holding one
 * of the words (ASCII case-insensitively; none: any value) */
typedef struct {
    uintptr_t tag;
    int attr;                    /* in names[] */
    PyObject *words;             /* a tuple of lower-case bytes, or NULL */
    unsigned char first[32];     /* the first bytes of one-byte words (a bit each) */
    unsigned char pair[512];     /* the first two bytes of longer words (a bit each, by pair_bit) */
} alt_t;

static inline unsigned pair_bit(unsigned char a, unsigned char b) { return ((unsigned)a * 31u + b) & 4095u; }

typedef struct {
    void *list;                  /* the parsed selector list */
    int n_alts;
    alt_t alts[MAX_ALTS];
} query_t;

static query_t queries[MAX_QUERIES];
static int n_queries;
static dw_name names[MAX_ATTRS];     /* the gates' attribute names */
static PyObject *name_objs[MAX_ATTRS];
static int n_names;

int dw_configure_select(void *lib) {
    match_node = (match_fn)dw_symbol(lib, "lxb_selectors_match_node");
    return match_node == NULL ? -1 : 0;
}

static void clear_queries(void) {
    for (; n_queries > 0; n_queries--) {
        query_t *q = &queries[n_queries - 1];
        dw_free_selector(q->list);
        for (int i = 0; i < q->n_alts; i++) Py_CLEAR(q->alts[i].words);
    }
    for (; n_names > 0; n_names--) Py_CLEAR(name_objs[n_names - 1]);
}

static int name_index(PyObject *name) {
    char *s;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(name, &s, &len) < 0) return -1;
    for (int i = 0; i < n_names; i++)
        if (names[i].len == (size_t)len && memcmp(names[i].bytes, s, (size_t)len) == 0) return i;
    if (n_names == MAX_ATTRS) return PyErr_SetString(PyExc_ValueError, "too many gate attributes"), -1;
    name_objs[n_names] = Py_NewRef(name);
    names[n_names] = (dw_name){s, (size_t)len};
    return n_names++;
}

/* one alternative: (tag id or 0, attribute name bytes or None, words: a tuple of bytes) */
static int add_alt(alt_t *alt, PyObject *item) {
    PyObject *tag, *attr, *words;
    if (!PyArg_ParseTuple(item, "O!OO!", &PyLong_Type, &tag, &attr, &PyTuple_Type, &words)) return -1;
    memset(alt, 0, sizeof *alt);
    alt->tag = (uintptr_t)PyLong_AsSize_t(tag);
    if (alt->tag == (uintptr_t)-1 && PyErr_Occurred()) return -1;
    alt->attr = attr == Py_None ? -1 : name_index(attr);
    if (alt->attr == -1 && attr != Py_None) return -1;
    if (PyTuple_GET_SIZE(words) == 0) return 0;
    if (alt->attr < 0) return PyErr_SetString(PyExc_ValueError, "words without an attribute"), -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(words); i++) {
        PyObject *w = PyTuple_GET_ITEM(words, i);
        if (!PyBytes_Check(w) || PyBytes_GET_SIZE(w) == 0)
            return PyErr_SetString(PyExc_ValueError, "a gate word: non-empty bytes"), -1;
        const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(w);
        if (PyBytes_GET_SIZE(w) == 1) alt->first[b[0] >> 3] |= (unsigned char)(1 << (b[0] & 7));
        else {
            unsigned h = pair_bit(b[0], b[1]);
            alt->pair[h >> 3] |= (unsigned char)(1 << (h & 7));
        }
    }
    alt->words = Py_NewRef(words);
    return 0;
}

/* one query: (selector, alternatives) */
static int add_query(PyObject *item) {
    PyObject *text, *alts;
    if (!PyArg_ParseTuple(item, "UO!", &text, &PyTuple_Type, &alts)) return -1;
    if (n_queries == MAX_QUERIES || PyTuple_GET_SIZE(alts) > MAX_ALTS || PyTuple_GET_SIZE(alts) == 0)
        return PyErr_SetString(PyExc_ValueError, "too many queries, or a gate of too many or no alternatives"), -1;
    query_t *q = &queries[n_queries];
    q->n_alts = 0;
    q->list = NULL;
    n_queries++;  /* cleared as a whole on an error */
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(alts); i++) {
        if (add_alt(&q->alts[q->n_alts], PyTuple_GET_ITEM(alts, i)) < 0) return -1;
        q->n_alts++;
    }
    q->list = dw_parse_selector(text);
    return q->list == NULL ? -1 : 0;
}

PyObject *dw_configure_queries(PyObject *items) {
    clear_queries();
    if (!PyTuple_Check(items)) return PyErr_SetString(PyExc_TypeError, "queries: a tuple"), NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(items); i++)
        if (add_query(PyTuple_GET_ITEM(items, i)) < 0) {
            clear_queries();  /* every list parsed so far */
            return NULL;
        }
    Py_RETURN_NONE;
}

/* an element's gate attributes, read when a gate first needs them */
typedef struct {
    int read;
    void *found[MAX_ATTRS];
    int lowered[MAX_ATTRS];          /* 0: not yet, 1: in low[], -1: too long (any word may be in it) */
    size_t len[MAX_ATTRS];
    unsigned char low[MAX_ATTRS][MAX_LOWERED];
} elem_t;

/* whether s holds one of the alternative's words (s and the words lower-case) */
static int holds_word(const alt_t *alt, const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (alt->first[s[i] >> 3] >> (s[i] & 7) & 1) return 1;
        if (i + 1 == n) break;
        unsigned h = pair_bit(s[i], s[i + 1]);
        if (!(alt->pair[h >> 3] >> (h & 7) & 1)) continue;
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(alt->words); j++) {
            PyObject *w = PyTuple_GET_ITEM(alt->words, j);
            const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(w);
            size_t wl = (size_t)PyBytes_GET_SIZE(w), k = 0;
            if (wl > n - i) continue;
            while (k < wl && s[i + k] == b[k]) k++;
            if (k == wl) return 1;
        }
    }
    return 0;
}

/* whether the element passes the alternative (a match of the selector always does) */
static int passes(const alt_t *alt, lxb_node *node, elem_t *e) {
    if (alt->tag != 0 && node->local_name != alt->tag) return 0;
    if (alt->attr < 0) return 1;
    if (!e->read) {
        dw_attrs_named(node, names, n_names, e->found);
        memset(e->lowered, 0, sizeof e->lowered);
        e->read = 1;
    }
    int a = alt->attr;
    if (e->found[a] == NULL) return 0;
    if (alt->words == NULL) return 1;
    if (e->lowered[a] == 0) {
        size_t len;
        const unsigned char *v = dw_attr_bytes(e->found[a], &len);
        if (v == NULL) len = 0;
        if (len > MAX_LOWERED) e->lowered[a] = -1;
        else {
            for (size_t i = 0; i < len; i++) e->low[a][i] = (v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32 : v[i];
            e->len[a] = len;
            e->lowered[a] = 1;
        }
    }
    return e->lowered[a] < 0 || holds_word(alt, e->low[a], e->len[a]);
}

typedef struct { PyObject *out, *parser; int failed; } found_t;

static unsigned int on_found(lxb_node *node, void *spec, void *ctx) {
    found_t *f = ctx;
    if (append_new(f->out, dw_new_node(node, f->parser)) < 0) {
        f->failed = 1;
        return 0x13;  /* LXB_STATUS_STOP: nothing more of this element */
    }
    return LXB_OK;
}

static int gate(const query_t *q, lxb_node *node, elem_t *e) {
    for (int i = 0; i < q->n_alts; i++)
        if (passes(&q->alts[i], node, e)) return 1;
    return 0;
}

/* the walk: each query's matches under (and at) root, in tree.css's order */
static int run(lxb_node *root, PyObject *parser, const int *which, int n, PyObject *out) {
    void *engine = dw_selector_engine();
    elem_t *e = PyMem_Malloc(sizeof *e);
    if (e == NULL) return PyErr_NoMemory(), -1;
    int r = 0;
    for (lxb_node *node = root; node != NULL && r == 0; node = dw_next(node, root)) {
        if (node->type != NODE_ELEMENT) continue;
        e->read = 0;
        for (int j = 0; j < n && r == 0; j++) {
            const query_t *q = &queries[which[j]];
            if (!gate(q, node, e)) continue;
            found_t f = {PyList_GET_ITEM(out, j), parser, 0};
            unsigned int status = match_node(engine, node, q->list, on_found, &f);
            if (f.failed) r = -1;
            else if (status != LXB_OK) r = -1, PyErr_SetString(PyExc_RuntimeError, "Lexbor's selector match failed");
        }
    }
    PyMem_Free(e);
    return r;
}

PyObject *dw_select(PyObject *root_obj, PyObject *which_obj) {
    int which[MAX_QUERIES];
    if (!PyTuple_Check(which_obj) || PyTuple_GET_SIZE(which_obj) > MAX_QUERIES)
        return PyErr_SetString(PyExc_TypeError, "which: a tuple of query numbers"), NULL;
    int n = (int)PyTuple_GET_SIZE(which_obj);
    for (int j = 0; j < n; j++) {
        long i = PyLong_AsLong(PyTuple_GET_ITEM(which_obj, j));
        if (i == -1 && PyErr_Occurred()) return NULL;
        if (i < 0 || i >= n_queries) return PyErr_Format(PyExc_ValueError, "no query %ld", i), NULL;
        which[j] = (int)i;
    }
    lxb_node *root = dw_node_ptr(root_obj);
    if (root == NULL) return PyErr_SetString(PyExc_TypeError, "root: a selectolax node"), NULL;
    PyObject *out = PyList_New(n), *parser = PyObject_GetAttrString(root_obj, "parser");
    if (out == NULL || parser == NULL) goto fail;
    for (int j = 0; j < n; j++) {
        PyObject *list = PyList_New(0);
        if (list == NULL) goto fail;
        PyList_SET_ITEM(out, j, list);
    }
    if (run(root, parser, which, n, out) < 0) goto fail;
    Py_DECREF(parser);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(parser);
    return NULL;
}
