/* The _domwalk module: configure (Lexbor's functions from selectolax's loaded module, the rules
 * of each file), walk and selfcheck. The walk itself is the other _domwalk*.c files'; see
 * _domwalk.c; the whole-tree queries are _domwalk_select.c's. */
#include <dlfcn.h>

#include "_domwalk.h"

static int configured;

/* selfcheck(address): whether the node layout agrees with Lexbor's own accessors on the subtree */
static PyObject *selfcheck(PyObject *self, PyObject *arg) {
    lxb_node *root = PyLong_AsVoidPtr(arg);
    if (root == NULL) return PyErr_Occurred() ? NULL : Py_NewRef(Py_False);
    return PyBool_FromLong(dw_selfcheck(root));
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
    configured = 0;  /* until every part has read its rules */
    int r = dw_configure_tree(lib, proto, ptr, rules);
    if (r == 0) r = dw_configure_chrome(lib, rules);
    if (r == 0) r = dw_configure_select(lib);
    dlclose(lib);  /* only drops the count NOLOAD added: selectolax keeps the module loaded */
    if (r < 0 || dw_configure_rules(rules) < 0) return NULL;
    configured = 1;
    Py_RETURN_NONE;
}

/* walk(walker, root address): Walker.walk(root)'s result in the walker */
static PyObject *walk(PyObject *self, PyObject *args) {
    PyObject *walker, *address;
    if (!PyArg_ParseTuple(args, "OO", &walker, &address)) return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_domwalk is not configured");
        return NULL;
    }
    lxb_node *root = PyLong_AsVoidPtr(address);
    if (root == NULL) return PyErr_Occurred() ? NULL : (PyErr_SetString(PyExc_ValueError, "a null node"), NULL);
    return dw_walk(walker, root);
}

/* configure_queries(queries): the whole-tree queries select answers, each (selector, its gate's
 * alternatives: (tag id or 0, attribute name bytes or None, words: a tuple of lower-case bytes))
 * (see _domwalk_select.c) */
static PyObject *configure_queries(PyObject *self, PyObject *queries) {
    if (!configured) return PyErr_SetString(PyExc_RuntimeError, "_domwalk is not configured"), NULL;
    return dw_configure_queries(queries);
}

/* select(root node, query numbers): each query's matches as tree.css gives them */
static PyObject *select_(PyObject *self, PyObject *args) {
    PyObject *root, *which;
    if (!PyArg_ParseTuple(args, "OO", &root, &which)) return NULL;
    if (!configured) return PyErr_SetString(PyExc_RuntimeError, "_domwalk is not configured"), NULL;
    return dw_select(root, which);
}

static PyMethodDef methods[] = {
    {"configure_queries", configure_queries, METH_O, "configure_queries(((selector, ((tag id, attribute, words), ...)), ...))"},
    {"select", select_, METH_VARARGS, "select(root node, query numbers): each query's matches, as tree.css"},
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
