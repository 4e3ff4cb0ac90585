/* Shared by the _domwalk*.c files, each using only those before it: _domwalk.c (selectolax's Lexbor
 * tree: nodes, tags, attributes), _domwalk_chrome.c (the DOM rules' verdict: html_chrome.dom_reason),
 * _domwalk_state.c (an element's state: Walker.enter), _domwalk_lines.c (the walk and its lines:
 * Walker.walk, Walker.flush) and _domwalk_module.c (the module: configure, walk). See _domwalk.c. */
#ifndef WINNOW_DOMWALK_H
#define WINNOW_DOMWALK_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* Lexbor 2's structures as selectolax's lexbor.pxd declares them (checked at configure) */
typedef struct lxb_node lxb_node;
struct lxb_node {
    void *events;                 /* lxb_dom_event_target_t */
    uintptr_t local_name;         /* the tag id */
    uintptr_t prefix;
    uintptr_t ns;
    void *owner_document;
    lxb_node *next;
    lxb_node *prev;
    lxb_node *parent;
    lxb_node *first_child;
    lxb_node *last_child;
    void *user;
    int type;                     /* lxb_dom_node_type_t */
};

typedef struct { unsigned char *data; size_t length; } lexbor_str;

typedef struct { lxb_node node; lexbor_str data; } lxb_char_data;

enum { NODE_ELEMENT = 1, NODE_TEXT = 3, TAG_TEXT = 2 };  /* LXB_DOM_NODE_TYPE_*, LXB_TAG__TEXT */

/* What the walk knows of a tag name (html_rules / html_walk tables), read once per name. */
enum { BIT_SKIP = 1, BIT_BLOCK = 2, BIT_BREAK = 4, BIT_LIST = 8, BIT_CHROME = 16, BIT_FLAG = 32 };
enum { K_OTHER, K_A, K_TABLE, K_ARTICLE, K_MAIN, K_TIME, K_CITE, K_LI, K_PRE };
typedef struct {
    PyObject *name;        /* the tag as selectolax names it (a new reference for the caller) */
    int bits;
    int kind;
    int heading;           /* 1-6 for h1-h6, else 0 */
    long long flag;        /* TAG_FLAG */
    long long code;        /* the path hash's step (html_walk._tag_code) */
    long long block_code;  /* _BLOCK_CODE, 0 when none */
} tag_info;

/* The attributes the walk reads, as Lexbor attributes (NULL: absent); dw_value decodes one. */
enum { A_CLASS, A_ID, A_ROLE, A_ITEMPROP, A_DATETIME, A_STYLE, A_HIDDEN, A_COUNT };
typedef struct {
    int any;               /* the element has an attribute */
    void *found[A_COUNT];  /* lxb_dom_attr_t * of each (the last of a name) */
} attr_set;

/* the walk's state (_domwalk_state.c, _domwalk_lines.c) */
enum { C_FLAGS, C_DEPTH, C_FRAME, C_PATH, C_LISTS, C_TABLES, C_IPS, C_CO, C_C1, C_C2, C_C3, C_CCRC, C_HL,
       C_BCODE, C_START, C_LEVEL, C_COMMENTS, NCTX };
enum { FRAME_WIDTH = 7 };

/* a frame state: Walker's (reason, level, comments, author, heading, li, pre, title_marked,
 * in_link, ctx) tuple */
typedef struct {
    PyObject *reason;     /* None or a str */
    PyObject *heading;    /* NULL (None) or the heading's tag */
    PyObject *ctx_tuple;  /* ctx as a tuple, made when a line first needs it */
    char comments, author, li, pre, title_marked, in_link;
    long long ctx[NCTX];  /* ctx[C_LEVEL] is the state's level */
} wstate;

typedef struct {
    PyObject *w, *lines, *ctxs, *counts, *times, *buf;
    wstate *states;       /* the entered elements' states; states[ns - 1] is the current one */
    size_t ns, cap_s;
    wstate buf_st;        /* the open line's state (has_buf) */
    int has_buf;
    char buf_author;
    long long buf_chars, buf_link, chars, link_chars, n_links, n_links_seen;
    long long checks, page_chars;  /* the walker's check budget and page text length (-1: not yet) */
    long long *frames;
    size_t nf, cap_f;
    struct { lxb_node *node; long long at; char entered; } *path;  /* elements being walked */
    size_t np, cap_p;
} walk_t;

static inline int grow(void **items, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t cap_ = *cap ? *cap : 64;
    while (cap_ < need) cap_ *= 2;
    void *p = PyMem_Realloc(*items, cap_ * size);
    if (p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *items = p;
    *cap = cap_;
    return 0;
}

static inline void state_copy(wstate *dst, const wstate *src) {
    *dst = *src;
    Py_INCREF(dst->reason);
    Py_XINCREF(dst->heading);
    Py_XINCREF(dst->ctx_tuple);
}

static inline void state_clear(wstate *s) {
    Py_CLEAR(s->reason);
    Py_CLEAR(s->heading);
    Py_CLEAR(s->ctx_tuple);
}

static inline int append_new(PyObject *list, PyObject *item) {
    if (item == NULL) return -1;
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* _domwalk.c */
int dw_tag(lxb_node *el, tag_info *out);              /* 1: named, 0: no name, -1: error */
void dw_attrs(lxb_node *el, attr_set *out);
PyObject *dw_value(void *attr);                       /* str, or None when written without one */
int dw_hidden(const attr_set *a);                     /* Walker.walk's hidden test; -1 on error */
PyObject *dw_text(lxb_node *text);                    /* a text node's text, or None */
int dw_rule(PyObject *rules, const char *key, PyTypeObject *type, PyObject **slot);  /* configure's rules */
void *dw_symbol(void *lexbor_module, const char *name);  /* Lexbor's function, or NULL with ImportError */
lxb_node *dw_node_ptr(PyObject *obj);                 /* a selectolax node's Lexbor node, or NULL */
extern PyObject *dw_empty;                            /* "" (interned) */
int dw_configure_tree(void *lexbor_module, PyObject *proto, void *address, PyObject *rules);
/* the node after `node` in document order under root, NULL at the end (Lexbor's simple walk;
 * inline: the DOM rules' text lengths take it once a text node) */
static inline lxb_node *dw_next(lxb_node *node, lxb_node *root) {
    if (node->first_child != NULL) return node->first_child;
    while (node != NULL && node != root && node->next == NULL) node = node->parent;
    return (node == NULL || node == root) ? NULL : node->next;
}
int dw_selfcheck(lxb_node *root);                     /* the layout agrees with Lexbor's accessors */
PyObject *dw_new_node(lxb_node *node, PyObject *parser);  /* a selectolax node object of the parser's tree */
typedef struct { const char *bytes; size_t len; } dw_name;
void dw_attrs_named(lxb_node *el, const dw_name *names, int n, void **found);  /* found[i]: names[i]'s attribute */
const unsigned char *dw_attr_bytes(void *attr, size_t *len);  /* an attribute's value, NULL when it has none */

/* _domwalk_chrome.c */
int dw_configure_chrome(void *lexbor_module, PyObject *rules);
PyObject *dw_dom_reason(walk_t *k, lxb_node *node, const tag_info *t, PyObject *ci, PyObject *role, int level,
                        int comments);                /* DOM_REASON or None (new), NULL on error */
void *dw_parse_selector(PyObject *text);              /* a Lexbor selector list, NULL with an error */
void dw_free_selector(void *list);
void *dw_selector_engine(void);                       /* Lexbor's selector engine (configure) */

/* _domwalk_select.c */
int dw_configure_select(void *lexbor_module);
PyObject *dw_configure_queries(PyObject *queries);    /* None, NULL on error */
PyObject *dw_select(PyObject *root, PyObject *which); /* a list of node lists, NULL on error */

/* _domwalk_state.c */
int dw_configure_rules(PyObject *rules);
void dw_root_state(wstate *s);                        /* Walker's _ROOT_STATE */
PyObject *dw_ctx_tuple(wstate *s);                    /* borrowed; made once per state */
PyObject *dw_line(const wstate *st, PyObject *text, int author);  /* Walker.flush's line */
int dw_enter(walk_t *k, lxb_node *node, const tag_info *t, const attr_set *a, int is_block);

/* _domwalk_lines.c */
PyObject *dw_walk(PyObject *walker, lxb_node *root);

#endif
