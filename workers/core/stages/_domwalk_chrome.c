/* The DOM rules' verdict on an element in C: html_chrome.dom_reason (the reference, kept in
 * Python) step for step, with its subtree checks made as selectolax makes them:
 *   - ``node.css_first(selector)`` (and ``node.css``) by Lexbor's own selector engine, the
 *     selector parsed once at configure: lxb_selectors_find from the element with
 *     LXB_SELECTORS_OPT_MATCH_ROOT (the element itself is a candidate, as in selectolax's
 *     LexborCSSSelector); contains_article asks whether a match other than the element exists;
 *   - ``len(node.text())``: the text nodes under the element (Lexbor's simple walk, the element
 *     itself not included), their bytes joined and decoded as UTF-8 with "replace" (selectolax's
 *     TextContainer), counted in code points without making the string when every text node is
 *     valid UTF-8 on its own (then the joined bytes decode piece by piece).
 * The tags, roles, selectors and thresholds are html_chrome's, given at configure. */
#include <string.h>

#include "_domwalk.h"

/* html_chrome's tag kinds: none, the form tag, a side tag, an edge tag (CH_EDGE + its selector) */
enum { CH_NONE, CH_FORM, CH_SIDE, CH_EDGE };

enum { LXB_OK = 0, LXB_STOP = 0x13, OPT_MATCH_ROOT = 1 << 1, MAX_SELECTORS = 8 };

typedef void *(*make_fn)(void);
typedef unsigned int (*init_fn)(void *);
typedef unsigned int (*parser_init_fn)(void *, void *);
typedef void (*set_fn)(void *, void *);
typedef void *(*parse_fn)(void *, const unsigned char *, size_t);
typedef void (*opt_fn)(void *, int);
typedef unsigned int (*found_fn)(lxb_node *, void *, void *);
typedef unsigned int (*find_fn)(void *, lxb_node *, void *, found_fn, void *);

typedef void (*free_fn)(void *);

static find_fn selectors_find;
static parse_fn selectors_parse;
static set_fn parser_memory_set;
static free_fn list_destroy;
static void *selectors;                  /* lxb_selectors_t, MATCH_ROOT */
static void *css_parser;                 /* lxb_css_parser_t (its memory holds the parsed lists) */
static PyObject *sel_text[MAX_SELECTORS];
static void *sel_list[MAX_SELECTORS];    /* lxb_css_selector_list_t, parsed once */
static int n_sel;

/* html_chrome's rules (configure) */
static PyObject *form_tag, *side_tags, *edge_selectors, *edge_roles, *boilerplate_roles, *reason_word;
static double max_chrome_share;
static Py_ssize_t max_form_chars, max_in_body_chars;

/* code points of s when it is valid UTF-8 on its own (CPython's strict decoder), else -1 */
static Py_ssize_t utf8_chars(const unsigned char *s, size_t n) {
    Py_ssize_t count = 0;
    size_t i = 0;
    while (i < n) {
        uint64_t word;
        if (n - i >= 8 && (memcpy(&word, s + i, 8), (word & 0x8080808080808080ULL) == 0)) {
            i += 8, count += 8;  /* eight ASCII bytes */
            continue;
        }
        unsigned char c = s[i], lo = 0x80, hi = 0xBF;
        size_t need;
        count++;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c >= 0xE0 && c <= 0xEF) need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4) need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else return -1;
        if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi) return -1;
        for (size_t j = 2; j <= need; j++)
            if (s[i + j] < 0x80 || s[i + j] > 0xBF) return -1;
        i += need + 1;
    }
    return count;
}

/* len(node.text()) of an element (-1 on error) */
static Py_ssize_t text_len(lxb_node *root) {
    Py_ssize_t total = 0;
    size_t bytes = 0;
    int valid = 1;
    for (lxb_node *n = root->first_child; n != NULL; n = dw_next(n, root)) {
        lexbor_str *d = &((lxb_char_data *)n)->data;
        if (n->local_name != TAG_TEXT || d->data == NULL) continue;
        bytes += d->length;
        Py_ssize_t c = valid ? utf8_chars(d->data, d->length) : -1;
        if (c < 0) valid = 0;
        else total += c;
    }
    if (valid) return total;
    /* an undecodable byte: decode the joined bytes as selectolax does */
    char *buf = PyMem_Malloc(bytes ? bytes : 1), *at = buf;
    if (buf == NULL) return PyErr_NoMemory(), -1;
    for (lxb_node *n = root->first_child; n != NULL; n = dw_next(n, root)) {
        lexbor_str *d = &((lxb_char_data *)n)->data;
        if (n->local_name != TAG_TEXT || d->data == NULL) continue;
        memcpy(at, d->data, d->length);
        at += d->length;
    }
    PyObject *s = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)bytes, "replace");
    PyMem_Free(buf);
    if (s == NULL) return -1;
    total = PyUnicode_GET_LENGTH(s);
    Py_DECREF(s);
    return total;
}

typedef struct { lxb_node *root; int found; } hit_t;

static unsigned int on_match(lxb_node *node, void *spec, void *ctx) {
    hit_t *h = ctx;
    if (node == h->root) return LXB_OK;  /* the element itself: its descendants are asked */
    h->found = 1;
    return LXB_STOP;
}

/* the page's text length (w.page_chars), made when first needed */
static int page_chars(walk_t *k) {
    if (k->page_chars >= 0) return 0;
    PyObject *root = PyObject_GetAttrString(k->w, "root");
    if (root == NULL) return -1;
    lxb_node *node = root == Py_None ? NULL : dw_node_ptr(root);
    Py_ssize_t n = 0;
    if (node != NULL) n = text_len(node);
    else if (root != Py_None) {  /* not a selectolax node: ask it */
        PyObject *text = PyObject_CallMethod(root, "text", NULL);
        n = text == NULL ? -1 : PyObject_Length(text);
        Py_XDECREF(text);
    }
    Py_DECREF(root);
    if (n < 0) return -1;
    k->page_chars = n;
    return 0;
}

/* the selector's index in sel_list, parsed when new (-1 on error) */
static int selector(PyObject *text) {
    for (int i = 0; i < n_sel; i++)
        if (PyUnicode_Compare(sel_text[i], text) == 0) return i;
    if (PyErr_Occurred()) return -1;
    if (n_sel == MAX_SELECTORS) return PyErr_SetString(PyExc_ValueError, "too many chrome selectors"), -1;
    void *list = dw_parse_selector(text);
    if (list == NULL) return -1;
    sel_text[n_sel] = Py_NewRef(text);
    sel_list[n_sel] = list;
    return n_sel++;
}

void *dw_parse_selector(PyObject *text) {
    if (css_parser == NULL) return PyErr_SetString(PyExc_RuntimeError, "_domwalk is not configured"), NULL;
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(text, &len);
    if (s == NULL) return NULL;
    void *list = selectors_parse(css_parser, (const unsigned char *)s, (size_t)len);
    if (list == NULL) return PyErr_Format(PyExc_ValueError, "Lexbor cannot parse the selector %R", text), NULL;
    parser_memory_set(css_parser, NULL);  /* the list keeps its memory (dw_free_selector frees it) */
    return list;
}

void dw_free_selector(void *list) {
    if (list != NULL) list_destroy(list);
}

void *dw_selector_engine(void) { return selectors; }

/* the element's kind for dom_reason: CH_FORM, CH_SIDE, CH_EDGE + its selector, or CH_NONE */
static int chrome_tag(PyObject *name, int *kind) {
    *kind = CH_NONE;
    int r = PyUnicode_Compare(name, form_tag);
    if (r == 0) *kind = CH_FORM;
    else if (PyErr_Occurred()) return -1;
    int side = PySequence_Contains(side_tags, name);
    if (side < 0) return -1;
    if (side) *kind = CH_SIDE;
    PyObject *sel = PyDict_GetItemWithError(edge_selectors, name);
    if (sel == NULL) return PyErr_Occurred() ? -1 : 0;
    int i = PyUnicode_Check(sel) ? selector(sel) : (PyErr_SetString(PyExc_TypeError, "a selector is not a str"), -1);
    if (i < 0) return -1;
    *kind = CH_EDGE + i;
    return 0;
}

/* html_chrome.contains_article: 1 when the element holds a match of selector sel (not itself) or
 * most of the page's text, or the check budget is spent; -1 on error */
static int contains_article(walk_t *k, lxb_node *node, int sel) {
    if (k->checks <= 0) return 1;
    k->checks--;
    hit_t h = {node, 0};
    selectors_find(selectors, node, sel_list[sel], on_match, &h);
    if (h.found) return 1;
    if (page_chars(k) < 0) return -1;
    Py_ssize_t n = text_len(node);
    if (n < 0) return -1;
    return (double)n > max_chrome_share * (double)k->page_chars;
}

/* the verdict when the element holds the article (1), does not (0), or on error (-1) */
static PyObject *verdict(int held) { return held < 0 ? NULL : Py_NewRef(held ? Py_None : reason_word); }

/* html_chrome.dom_reason: a new reference to DOM_REASON or None, NULL on error */
PyObject *dw_dom_reason(walk_t *k, lxb_node *node, const tag_info *t, PyObject *ci, PyObject *role, int level,
                        int comments) {
    int kind;
    if (chrome_tag(t->name, &kind) < 0) return NULL;
    if (level < 2) {
        if (kind == CH_FORM) {
            int held = contains_article(k, node, 0);
            if (held != 0) return verdict(held);
            Py_ssize_t n = text_len(node);
            return n < 0 ? NULL : Py_NewRef(n > max_form_chars ? Py_None : reason_word);
        }
        if (comments) Py_RETURN_NONE;
        int boiler = PySequence_Contains(boilerplate_roles, role);
        if (boiler < 0) return NULL;
        if (kind == CH_SIDE || boiler) {
            int edge = level >= 1 ? PySequence_Contains(edge_roles, role) : 0;
            if (edge != 0) return edge < 0 ? NULL : Py_NewRef(Py_None);
            return verdict(contains_article(k, node, 0));
        }
        if (kind >= CH_EDGE && level == 0) {
            int marked = PyObject_IsTrue(PyTuple_GET_ITEM(ci, 7));
            if (marked != 0) return marked < 0 ? NULL : Py_NewRef(Py_None);
            return verdict(contains_article(k, node, kind - CH_EDGE));
        }
    }
    if (comments || PyTuple_GET_SIZE(PyTuple_GET_ITEM(ci, 0)) == 0) Py_RETURN_NONE;
    if (PyTuple_GET_ITEM(PyTuple_GET_ITEM(ci, 8), level) == Py_None) Py_RETURN_NONE;
    if (level >= 2) {
        if (k->checks <= 0) Py_RETURN_NONE;
        k->checks--;
        Py_ssize_t n = text_len(node);
        return n < 0 ? NULL : Py_NewRef(n > max_in_body_chars ? Py_None : reason_word);
    }
    return verdict(contains_article(k, node, 0));
}

/* Lexbor's selector engine (lib: selectolax's module) and html_chrome's rules */
int dw_configure_chrome(void *lib, PyObject *rules) {
    PyObject *share = NULL, *form_chars = NULL, *body_chars = NULL, *article = NULL;
    if (css_parser == NULL) {
        make_fn parser_create, css_selectors_create, selectors_create;
        parser_init_fn parser_init;
        init_fn css_selectors_init, selectors_init;
        set_fn parser_selectors_set;
        opt_fn opt_set;
        if (!(parser_create = (make_fn)dw_symbol(lib, "lxb_css_parser_create")) ||
            !(parser_init = (parser_init_fn)dw_symbol(lib, "lxb_css_parser_init")) ||
            !(css_selectors_create = (make_fn)dw_symbol(lib, "lxb_css_selectors_create")) ||
            !(css_selectors_init = (init_fn)dw_symbol(lib, "lxb_css_selectors_init")) ||
            !(parser_selectors_set = (set_fn)dw_symbol(lib, "lxb_css_parser_selectors_set_noi")) ||
            !(parser_memory_set = (set_fn)dw_symbol(lib, "lxb_css_parser_memory_set_noi")) ||
            !(selectors_parse = (parse_fn)dw_symbol(lib, "lxb_css_selectors_parse")) ||
            !(list_destroy = (free_fn)dw_symbol(lib, "lxb_css_selector_list_destroy_memory")) ||
            !(selectors_create = (make_fn)dw_symbol(lib, "lxb_selectors_create")) ||
            !(selectors_init = (init_fn)dw_symbol(lib, "lxb_selectors_init")) ||
            !(opt_set = (opt_fn)dw_symbol(lib, "lxb_selectors_opt_set_noi")) ||
            !(selectors_find = (find_fn)dw_symbol(lib, "lxb_selectors_find")))
            return -1;
        /* as selectolax's LexborCSSSelector makes its parser and engine (never freed: one each) */
        void *parser = parser_create(), *css_sel = css_selectors_create(), *sel = selectors_create();
        if (parser == NULL || css_sel == NULL || sel == NULL || parser_init(parser, NULL) != LXB_OK ||
            css_selectors_init(css_sel) != LXB_OK || selectors_init(sel) != LXB_OK) {
            PyErr_SetString(PyExc_ImportError, "Lexbor's selector engine cannot be made");
            return -1;
        }
        parser_selectors_set(parser, css_sel);
        opt_set(sel, OPT_MATCH_ROOT);
        css_parser = parser, selectors = sel;
    }
    for (; n_sel > 0; n_sel--) {  /* the selectors may have changed */
        list_destroy(sel_list[n_sel - 1]);
        Py_CLEAR(sel_text[n_sel - 1]);
    }
    int r = -1;
    if (dw_rule(rules, "chrome_form_tag", &PyUnicode_Type, &form_tag) < 0 ||
        dw_rule(rules, "chrome_side_tags", &PyTuple_Type, &side_tags) < 0 ||
        dw_rule(rules, "chrome_edge_selectors", &PyDict_Type, &edge_selectors) < 0 ||
        dw_rule(rules, "chrome_edge_roles", &PyFrozenSet_Type, &edge_roles) < 0 ||
        dw_rule(rules, "boilerplate_roles", &PyDict_Type, &boilerplate_roles) < 0 ||
        dw_rule(rules, "chrome_reason", &PyUnicode_Type, &reason_word) < 0 ||
        dw_rule(rules, "article_selector", &PyUnicode_Type, &article) < 0 ||
        dw_rule(rules, "max_chrome_share", &PyFloat_Type, &share) < 0 ||
        dw_rule(rules, "max_form_chars", &PyLong_Type, &form_chars) < 0 ||
        dw_rule(rules, "max_in_body_marker_chars", &PyLong_Type, &body_chars) < 0 || selector(article) != 0)
        goto out;
    PyObject *tag, *sel;
    for (Py_ssize_t pos = 0; PyDict_Next(edge_selectors, &pos, &tag, &sel);)  /* parsed once, here */
        if (!PyUnicode_Check(sel) || selector(sel) < 0) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "a chrome selector is not a str");
            goto out;
        }
    max_chrome_share = PyFloat_AsDouble(share);
    max_form_chars = PyLong_AsSsize_t(form_chars);
    max_in_body_chars = PyLong_AsSsize_t(body_chars);
    r = PyErr_Occurred() ? -1 : 0;
out:
    Py_XDECREF(share);
    Py_XDECREF(form_chars);
    Py_XDECREF(body_chars);
    Py_XDECREF(article);
    return r;
}
