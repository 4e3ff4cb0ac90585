/* The DOM walk in C (called through native_walk.py; html_walk.Walker.walk stays the reference):
 * this file reads selectolax's Lexbor tree (tags, attributes, text) and holds the module;
 * _domwalk_lines.c walks the tree and makes the lines, _domwalk_state.c an element's state.
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
PyObject *dw_empty;
static Py_ssize_t node_offset = -1;  /* of the node address in a selectolax node object */
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
    if (dw_chrome_tag(name, &t->chrome) < 0) return -1;
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

/* selfcheck(address): whether the structure fields agree with Lexbor's own accessors on every
 * node of the subtree (tag id, type, first child, next sibling, parent). */
static PyObject *selfcheck(PyObject *self, PyObject *arg) {
    lxb_node *root = PyLong_AsVoidPtr(arg);
    if (root == NULL) return PyErr_Occurred() ? NULL : Py_NewRef(Py_False);
    lxb_node *node = root;
    size_t seen = 0;
    while (node != NULL) {
        seen++;
        if (node->local_name != node_tag_id(node) || node->type != node_type(node) ||
            (void *)node->first_child != node_first_child(node) || (void *)node->next != node_next(node) ||
            (void *)node->parent != node_parent(node))
            return Py_NewRef(Py_False);
        if (node->first_child != NULL) {
            node = node->first_child;
            continue;
        }
        while (node != NULL && node != root && node->next == NULL) node = node->parent;
        node = (node == NULL || node == root) ? NULL : node->next;
    }
    return PyBool_FromLong(seen > 1);
}

static void *symbol(void *lib, const char *name) {
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

/* configure(lexbor module file, a node object, its address, rules): the Lexbor functions, where
 * selectolax's node object holds the node address, and the walk's tables (a dict, see
 * native_walk.rules) */
static PyObject *configure(PyObject *self, PyObject *args) {
    const char *path;
    PyObject *proto, *address, *rules;
    if (!PyArg_ParseTuple(args, "sOOO!", &path, &proto, &address, &PyDict_Type, &rules)) return NULL;
    void *ptr = PyLong_AsVoidPtr(address);
    if (ptr == NULL) return PyErr_Occurred() ? NULL : (PyErr_SetString(PyExc_ValueError, "a null node"), NULL);
    void *lib = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (lib == NULL) return PyErr_Format(PyExc_ImportError, "selectolax's Lexbor module is not loaded: %s", path);
    if (!(element_qualified_name = (name_fn)symbol(lib, "lxb_dom_element_qualified_name")) ||
        !(element_first_attribute = (first_attr_fn)symbol(lib, "lxb_dom_element_first_attribute_noi")) ||
        !(attr_qualified_name = (name_fn)symbol(lib, "lxb_dom_attr_qualified_name")) ||
        !(attr_value = (name_fn)symbol(lib, "lxb_dom_attr_value_noi")) ||
        !(node_first_child = (node_fn)symbol(lib, "lxb_dom_node_first_child_noi")) ||
        !(node_next = (node_fn)symbol(lib, "lxb_dom_node_next_noi")) ||
        !(node_parent = (node_fn)symbol(lib, "lxb_dom_node_parent_noi")) ||
        !(node_tag_id = (id_fn)symbol(lib, "lxb_dom_node_tag_id_noi")) ||
        !(node_type = (type_fn)symbol(lib, "lxb_dom_node_type_noi"))) {
        dlclose(lib);
        return NULL;
    }
    node_offset = -1;  /* not configured until the rules are read */
    for (int i = 0; i < CACHE_SIZE; i++) Py_CLEAR(cache[i].info.name);  /* the tables may change */
    int chrome = dw_configure_chrome(lib, rules);
    dlclose(lib);  /* only drops the count NOLOAD added: selectolax keeps the module loaded */
    if (chrome < 0) return NULL;
    /* the node address inside selectolax's node object: the one word of the object equal to it */
    Py_ssize_t found = -1, size = Py_TYPE(proto)->tp_basicsize;
    for (Py_ssize_t off = sizeof(PyObject); off + (Py_ssize_t)sizeof(void *) <= size; off += sizeof(void *)) {
        if (*(void **)((char *)proto + off) == ptr) {
            if (found >= 0) return PyErr_Format(PyExc_ImportError, "selectolax's node object is not as expected");
            found = off;
        }
    }
    if (found < 0) return PyErr_Format(PyExc_ImportError, "selectolax's node object is not as expected");
    if (dw_rule(rules, "skip_tags", &PyFrozenSet_Type, &skip_tags) < 0 ||
        dw_rule(rules, "block_tags", &PyFrozenSet_Type, &block_tags) < 0 ||
        dw_rule(rules, "break_tags", &PyFrozenSet_Type, &break_tags) < 0 ||
        dw_rule(rules, "list_tags", &PyFrozenSet_Type, &list_tags) < 0 ||
        dw_rule(rules, "chrome_tags", &PyFrozenSet_Type, &chrome_tags) < 0 ||
        dw_rule(rules, "tag_flag", &PyDict_Type, &tag_flag) < 0 ||
        dw_rule(rules, "heading_level", &PyDict_Type, &heading_level) < 0 ||
        dw_rule(rules, "block_code", &PyDict_Type, &block_codes) < 0 ||
        dw_rule(rules, "tag_code", NULL, &tag_code) < 0 || dw_rule(rules, "hidden_search", NULL, &hidden_search) < 0 ||
        dw_configure_rules(rules) < 0)
        return NULL;
    Py_XSETREF(node_type_obj, (PyTypeObject *)Py_NewRef(Py_TYPE(proto)));
    node_offset = found;
    Py_RETURN_NONE;
}

/* walk(walker, root address): Walker.walk(root)'s result in the walker */
static PyObject *walk(PyObject *self, PyObject *args) {
    PyObject *walker, *address;
    if (!PyArg_ParseTuple(args, "OO", &walker, &address)) return NULL;
    if (node_offset < 0) {
        PyErr_SetString(PyExc_RuntimeError, "_domwalk is not configured");
        return NULL;
    }
    lxb_node *root = PyLong_AsVoidPtr(address);
    if (root == NULL) return PyErr_Occurred() ? NULL : (PyErr_SetString(PyExc_ValueError, "a null node"), NULL);
    return dw_walk(walker, root);
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(lexbor module file, node, its address, rules)"},
    {"walk", walk, METH_VARARGS, "walk(walker, root address): Walker.walk's result in the walker"},
    {"selfcheck", selfcheck, METH_O, "selfcheck(address): the node layout agrees with Lexbor's accessors"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_domwalk",
    "The DOM walk in C over selectolax's Lexbor tree (see native_walk.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__domwalk(void) {
    dw_empty = PyUnicode_InternFromString("");
    if (dw_empty == NULL) return NULL;
    return PyModule_Create(&module);
}
