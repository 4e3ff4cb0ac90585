/* The DOM walk in C (called through native_walk.py; html_walk.Walker.walk stays the reference):
 * this file reads selectolax's Lexbor tree (tags, attributes, text); the others build on it:
 * _domwalk_chrome.c makes the DOM rules' verdict, _domwalk_state.c an element's state,
 * _domwalk_lines.c walks the tree and makes the lines, _domwalk_module.c holds the module
 * (configure, walk, selfcheck).
 *
 * No Lexbor header is needed: the node, attribute and character-data structures are those of
 * selectolax's lexbor.pxd (Lexbor 2, _domwalk.h), and Lexbor's functions are looked up with dlsym
 * in selectolax's own loaded module (configure), so there is one Lexbor in the process. Text,
 * tag and attribute bytes are decoded as selectolax decodes them (UTF-8, "replace"); a tag is
 * its qualified name, an attribute is looked up by its qualified name (the last of a name wins,
 * as in selectolax's attribute dict) and one written without a value reads None. native_walk
 * checks the structures against Lexbor's own accessors (selfcheck) and the whole walk against
 * the Python walk on a probe page before it uses the walk.
 */
#include <dlfcn.h>
#include <string.h>

#include "_domwalk.h"

typedef struct lxb_attr lxb_attr;
struct lxb_attr {
    lxb_node node;
    uintptr_t upper_name;
    uintptr_t qualified_name;
    lexbor_str *value;
    void *owner;
    lxb_attr *next;
    lxb_attr *prev;
};

typedef const unsigned char *(*name_fn)(void *, size_t *);
typedef lxb_attr *(*first_attr_fn)(void *);
typedef void *(*node_fn)(void *);
typedef uintptr_t (*id_fn)(void *);
typedef int (*type_fn)(void *);

static name_fn element_qualified_name;
static first_attr_fn element_first_attribute;
static name_fn attr_qualified_name;
static name_fn attr_value;
static node_fn node_first_child, node_next, node_parent;
static id_fn node_tag_id;
static type_fn node_type;

/* html_rules / html_walk tables (configure) */
static PyObject *skip_tags, *block_tags, *break_tags, *list_tags, *chrome_tags;  /* sets */
static PyObject *tag_flag, *heading_level, *block_codes;                         /* dicts */
static PyObject *tag_code;                                                       /* html_walk._tag_code */
static PyObject *hidden_search;                                                  /* HIDDEN_STYLE.search */
PyObject *dw_empty;  /* made by the module's init */
static Py_ssize_t node_offset = -1;  /* of the node address in a selectolax node object */
static Py_ssize_t parser_offset = -1;  /* of its parser object */
static PyTypeObject *node_type_obj;  /* selectolax's node type */

/* tag names met so far, by the address and bytes of Lexbor's name (a custom element's name
 * lives in its document, so the bytes are compared too) */
#define CACHE_SIZE 512
#define CACHE_NAME 32
typedef struct {
    const unsigned char *key;
    size_t len;
    unsigned char bytes[CACHE_NAME];
    tag_info info;  /* info.name: NULL when the slot is empty */
} tag_entry;
static tag_entry cache[CACHE_SIZE];

static const char *kind_names[] = {"", "a", "table", "article", "main", "time", "cite", "li", "pre"};

static int in_set(PyObject *set, PyObject *name, int bit, int *bits) {
    int r = PySet_Contains(set, name);
    if (r > 0) *bits |= bit;
    return r;
}

static int dict_int(PyObject *dict, PyObject *name, long long *out) {
    PyObject *v = PyDict_GetItemWithError(dict, name);
    *out = 0;
    if (v == NULL) return PyErr_Occurred() ? -1 : 0;
    *out = PyLong_AsLongLong(v);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* everything the walk reads of a tag name (0, or -1 on error) */
static int fill_info(PyObject *name, tag_info *t) {
    long long heading;
    t->bits = 0;
    t->kind = K_OTHER;
    if (in_set(skip_tags, name, BIT_SKIP, &t->bits) < 0 || in_set(block_tags, name, BIT_BLOCK, &t->bits) < 0 ||
        in_set(break_tags, name, BIT_BREAK, &t->bits) < 0 || in_set(list_tags, name, BIT_LIST, &t->bits) < 0 ||
        in_set(chrome_tags, name, BIT_CHROME, &t->bits) < 0 || dict_int(tag_flag, name, &t->flag) < 0 ||
        dict_int(heading_level, name, &heading) < 0 || dict_int(block_codes, name, &t->block_code) < 0)
        return -1;
    int has_flag = PyDict_Contains(tag_flag, name);
    if (has_flag < 0) return -1;
    if (has_flag) t->bits |= BIT_FLAG;
    t->heading = (int)heading;
    for (int k = K_A; k <= K_PRE; k++)
        if (PyUnicode_CompareWithASCIIString(name, kind_names[k]) == 0) t->kind = k;
    PyObject *code = PyObject_CallOneArg(tag_code, name);
    if (code == NULL) return -1;
    t->code = PyLong_AsLongLong(code);
    Py_DECREF(code);
    if (t->code == -1 && PyErr_Occurred()) return -1;
    return 0;
}

int dw_tag(lxb_node *el, tag_info *out) {
    size_t len = 0;
    const unsigned char *s = element_qualified_name(el, &len);
    if (s == NULL) return 0;
    size_t slot = (((uintptr_t)s >> 3) ^ len) % CACHE_SIZE;
    tag_entry *e = &cache[slot];
    if (e->info.name != NULL && e->key == s && e->len == len && memcmp(e->bytes, s, len) == 0) {
        *out = e->info;
        Py_INCREF(out->name);
        return 1;
    }
    PyObject *name = PyUnicode_DecodeUTF8((const char *)s, (Py_ssize_t)len, "replace");
    if (name == NULL) return -1;
    out->name = name;
    if (fill_info(name, out) < 0) {
        Py_DECREF(name);
        return -1;
    }
    if (len <= CACHE_NAME) {
        Py_XDECREF(e->info.name);
        e->key = s;
        e->len = len;
        memcpy(e->bytes, s, len);
        e->info = *out;
        Py_INCREF(name);
    }
    return 1;
}

static int name_is(const unsigned char *s, size_t len, const char *want) {
    size_t n = strlen(want);
    return len == n && memcmp(s, want, n) == 0;
}

static const char *attr_names[A_COUNT] = {"class", "id", "role", "itemprop", "datetime", "style", "hidden"};

void dw_attrs(lxb_node *el, attr_set *out) {
    lxb_attr *a = element_first_attribute(el);
    out->any = a != NULL;
    for (int i = 0; i < A_COUNT; i++) out->found[i] = NULL;
    for (; a != NULL; a = a->next) {  /* selectolax's dict: keyed by the qualified name, the last wins */
        size_t len = 0;
        const unsigned char *s = attr_qualified_name(a, &len);
        if (s == NULL || len < 2 || len > 8) continue;
        for (int i = 0; i < A_COUNT; i++)
            if (name_is(s, len, attr_names[i])) {
                out->found[i] = a;
                break;
            }
    }
}

PyObject *dw_value(void *attr) {
    size_t len = 0;
    const unsigned char *v = attr_value(attr, &len);
    if (v == NULL) Py_RETURN_NONE;  /* written without a value (selectolax: None) */
    return PyUnicode_DecodeUTF8((const char *)v, (Py_ssize_t)len, "replace");
}

static int has_word(const unsigned char *s, size_t len, const char *w) {
    size_t n = strlen(w);
    for (size_t i = 0; i + n <= len; i++)
        if (s[i] == (unsigned char)w[0] && memcmp(s + i, w, n) == 0) return 1;
    return 0;
}

int dw_hidden(const attr_set *a) {
    if (a->found[A_HIDDEN] != NULL) return 1;
    if (a->found[A_STYLE] == NULL) return 0;
    size_t len = 0;
    const unsigned char *v = attr_value(a->found[A_STYLE], &len);
    /* the pattern is asked only about a style holding "none" or "hidden", as Walker.walk does */
    if (v == NULL || !(has_word(v, len, "none") || has_word(v, len, "hidden"))) return 0;
    PyObject *style = PyUnicode_DecodeUTF8((const char *)v, (Py_ssize_t)len, "replace");
    if (style == NULL) return -1;
    PyObject *m = PyObject_CallOneArg(hidden_search, style);
    Py_DECREF(style);
    if (m == NULL) return -1;
    int r = PyObject_IsTrue(m);
    Py_DECREF(m);
    return r;
}

PyObject *dw_text(lxb_node *node) {
    if (node->type != NODE_TEXT) Py_RETURN_NONE;
    lexbor_str *d = &((lxb_char_data *)node)->data;
    if (d->data == NULL) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8((const char *)d->data, (Py_ssize_t)d->length, "replace");
}

lxb_node *dw_node_ptr(PyObject *obj) {
    if (node_offset < 0 || Py_TYPE(obj) != node_type_obj) return NULL;
    return *(lxb_node **)((char *)obj + node_offset);
}

/* a new selectolax node object for `node` of `parser`'s tree, as selectolax makes one (its
 * LexborNode.new: the type's own allocation, the node address and the parser set, the flags 0) */
PyObject *dw_new_node(lxb_node *node, PyObject *parser) {
    if (node_offset < 0 || parser_offset < 0) return PyErr_SetString(PyExc_RuntimeError, "_domwalk is not configured"), NULL;
    PyObject *args = PyTuple_New(0);
    if (args == NULL) return NULL;
    PyObject *obj = node_type_obj->tp_new(node_type_obj, args, NULL);
    Py_DECREF(args);
    if (obj == NULL) return NULL;
    *(lxb_node **)((char *)obj + node_offset) = node;
    Py_XSETREF(*(PyObject **)((char *)obj + parser_offset), Py_NewRef(parser));
    return obj;
}

void dw_attrs_named(lxb_node *el, const dw_name *names, int n, void **found) {
    for (int i = 0; i < n; i++) found[i] = NULL;
    for (lxb_attr *a = element_first_attribute(el); a != NULL; a = a->next) {  /* the last of a name wins */
        size_t len = 0;
        const unsigned char *s = attr_qualified_name(a, &len);
        if (s == NULL) continue;
        for (int i = 0; i < n; i++)
            if (len == names[i].len && memcmp(s, names[i].bytes, len) == 0) {
                found[i] = a;
                break;
            }
    }
}

const unsigned char *dw_attr_bytes(void *attr, size_t *len) {
    *len = 0;
    return attr_value(attr, len);
}

/* whether the structure fields agree with Lexbor's own accessors on every node of the subtree
 * (tag id, type, first child, next sibling, parent) and it has a node under the root */
int dw_selfcheck(lxb_node *root) {
    lxb_node *node = root;
    size_t seen = 0;
    for (; node != NULL; node = dw_next(node, root)) {
        seen++;
        if (node->local_name != node_tag_id(node) || node->type != node_type(node) ||
            (void *)node->first_child != node_first_child(node) || (void *)node->next != node_next(node) ||
            (void *)node->parent != node_parent(node))
            return 0;
    }
    return seen > 1;
}

/* Lexbor's function `name` in selectolax's module, or NULL with ImportError */
void *dw_symbol(void *lib, const char *name) {
    void *f = dlsym(lib, name);
    if (f == NULL) PyErr_Format(PyExc_ImportError, "selectolax's Lexbor has no %s", name);
    return f;
}

/* rules[key] into *slot (a new reference), of the given type when one is given */
int dw_rule(PyObject *rules, const char *key, PyTypeObject *type, PyObject **slot) {
    PyObject *v = PyDict_GetItemString(rules, key);
    if (v == NULL || (type != NULL && !PyObject_TypeCheck(v, type))) {
        PyErr_Format(PyExc_TypeError, "rules[%s] is missing or of the wrong type", key);
        return -1;
    }
    Py_XSETREF(*slot, Py_NewRef(v));
    return 0;
}

/* the node address inside selectolax's node object proto: the one word of the object equal to
 * address (-1 with ImportError when there is not exactly one) */
static Py_ssize_t find_offset(PyObject *proto, void *address) {
    Py_ssize_t found = -1, seen = 0, size = Py_TYPE(proto)->tp_basicsize;
    for (Py_ssize_t off = sizeof(PyObject); off + (Py_ssize_t)sizeof(void *) <= size; off += sizeof(void *))
        if (*(void **)((char *)proto + off) == address) found = off, seen++;
    if (seen != 1) return PyErr_SetString(PyExc_ImportError, "selectolax's node object is not as expected"), -1;
    return found;
}

/* this file's part of configure: Lexbor's accessors (lib: selectolax's module), where the node
 * object proto holds its node's address, and the tag tables */
int dw_configure_tree(void *lib, PyObject *proto, void *address, PyObject *rules) {
    node_offset = parser_offset = -1;
    for (int i = 0; i < CACHE_SIZE; i++) Py_CLEAR(cache[i].info.name);  /* the tables may change */
    if (!(element_qualified_name = (name_fn)dw_symbol(lib, "lxb_dom_element_qualified_name")) ||
        !(element_first_attribute = (first_attr_fn)dw_symbol(lib, "lxb_dom_element_first_attribute_noi")) ||
        !(attr_qualified_name = (name_fn)dw_symbol(lib, "lxb_dom_attr_qualified_name")) ||
        !(attr_value = (name_fn)dw_symbol(lib, "lxb_dom_attr_value_noi")) ||
        !(node_first_child = (node_fn)dw_symbol(lib, "lxb_dom_node_first_child_noi")) ||
        !(node_next = (node_fn)dw_symbol(lib, "lxb_dom_node_next_noi")) ||
        !(node_parent = (node_fn)dw_symbol(lib, "lxb_dom_node_parent_noi")) ||
        !(node_tag_id = (id_fn)dw_symbol(lib, "lxb_dom_node_tag_id_noi")) ||
        !(node_type = (type_fn)dw_symbol(lib, "lxb_dom_node_type_noi")))
        return -1;
    Py_ssize_t found = find_offset(proto, address);
    PyObject *parser = found < 0 ? NULL : PyObject_GetAttrString(proto, "parser");
    Py_ssize_t at_parser = parser == NULL ? -1 : find_offset(proto, parser);
    Py_XDECREF(parser);
    if (at_parser < 0 || found == at_parser || dw_rule(rules, "skip_tags", &PyFrozenSet_Type, &skip_tags) < 0 ||
        dw_rule(rules, "block_tags", &PyFrozenSet_Type, &block_tags) < 0 ||
        dw_rule(rules, "break_tags", &PyFrozenSet_Type, &break_tags) < 0 ||
        dw_rule(rules, "list_tags", &PyFrozenSet_Type, &list_tags) < 0 ||
        dw_rule(rules, "chrome_tags", &PyFrozenSet_Type, &chrome_tags) < 0 ||
        dw_rule(rules, "tag_flag", &PyDict_Type, &tag_flag) < 0 ||
        dw_rule(rules, "heading_level", &PyDict_Type, &heading_level) < 0 ||
        dw_rule(rules, "block_code", &PyDict_Type, &block_codes) < 0 ||
        dw_rule(rules, "tag_code", NULL, &tag_code) < 0 || dw_rule(rules, "hidden_search", NULL, &hidden_search) < 0)
        return -1;
    Py_XSETREF(node_type_obj, (PyTypeObject *)Py_NewRef(Py_TYPE(proto)));
    node_offset = found;
    parser_offset = at_parser;
    return 0;
}
