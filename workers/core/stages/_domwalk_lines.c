/* The DOM walk in C, its traversal and lines: html_walk.Walker.walk (the reference, kept in
 * Python) step for step over selectolax's Lexbor tree (read by _domwalk.c): the same elements
 * skipped, hidden, empty or transparent, the text buffered as Walker._add / add_text buffer it and
 * the lines made as Walker.flush makes them; an entered element's state is _domwalk_state.c's.
 * The results go into the walker: lines, ctx, counts, frames, times and its counters. */
#include <string.h>

#include "_domwalk.h"

static PyObject *s_space, *s_newline;

/* str.isspace() */
static int is_space(PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) return 0;
    return n > 0;
}

/* Walker._add */
static int add(walk_t *k, PyObject *text, wstate *st) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n == 0) return 0;
    if (!k->has_buf) {
        if (is_space(text)) return 0;
        if (dw_ctx_tuple(st) == NULL) return -1;
        state_copy(&k->buf_st, st);
        k->has_buf = 1;
    }
    if (st->author) k->buf_author = 1;
    if (PyList_Append(k->buf, text) < 0) return -1;
    k->buf_chars += n;
    if (st->in_link) k->buf_link += n;
    return 0;
}

/* Walker.flush */
static int flush(walk_t *k) {
    if (!k->has_buf) return 0;  /* the buffer is empty too */
    PyObject *joined = PyUnicode_Join(dw_empty, k->buf);
    if (joined == NULL || PyList_SetSlice(k->buf, 0, PY_SSIZE_T_MAX, NULL) < 0) {
        Py_XDECREF(joined);
        return -1;
    }
    PyObject *words = PyUnicode_Split(joined, NULL, -1);
    Py_DECREF(joined);
    if (words == NULL) return -1;
    PyObject *text = PyUnicode_Join(s_space, words);
    Py_DECREF(words);
    if (text == NULL) return -1;
    wstate st = k->buf_st;  /* moved out */
    k->has_buf = 0;
    int author = k->buf_author;
    long long chars = k->buf_chars, link = k->buf_link;
    k->buf_author = 0;
    k->buf_chars = k->buf_link = 0;
    int r = 0;
    if (PyUnicode_GET_LENGTH(text) > 0) {
        if (append_new(k->lines, dw_line(&st, text, author)) < 0 || PyList_Append(k->ctxs, st.ctx_tuple) < 0 ||
            append_new(k->counts, Py_BuildValue("(LLL)", link, chars, k->n_links - k->n_links_seen)) < 0)
            r = -1;
        k->n_links_seen = k->n_links;
        k->chars += chars;
        k->link_chars += link;
    }
    Py_DECREF(text);
    state_clear(&st);
    return r;
}

/* Walker.add_text: a text node's text in state st */
static int add_text(walk_t *k, PyObject *text, wstate *st) {
    if (!st->pre || PyUnicode_FindChar(text, '\n', 0, PyUnicode_GET_LENGTH(text), 1) < 0) return add(k, text, st);
    PyObject *parts = PyUnicode_Split(text, s_newline, -1);  /* <pre>: keep its line breaks */
    if (parts == NULL) return -1;
    int r = 0;
    for (Py_ssize_t i = 0; r == 0 && i < PyList_GET_SIZE(parts); i++) {
        if (i && flush(k) < 0) r = -1;
        else r = add(k, PyList_GET_ITEM(parts, i), st);
    }
    Py_DECREF(parts);
    return r;
}

/* One element (Walker.walk's element branch); *descend set when the walk goes into it. */
static int element(walk_t *k, lxb_node *node, int *descend) {
    tag_info t;
    *descend = 0;
    int named = dw_tag(node, &t);
    if (named <= 0) return named;
    int r = 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(t.name);
    lxb_node *child = node->first_child;
    int block = t.bits & BIT_BLOCK, brk = t.bits & BIT_BREAK;
    /* an empty element matters only as a break in the open line */
    if (n == 0 || PyUnicode_READ_CHAR(t.name, 0) == '-' || (t.bits & BIT_SKIP) ||
        (child == NULL && !(k->has_buf && (block || brk))))
        goto done;
    attr_set a;
    dw_attrs(node, &a);
    int hidden = dw_hidden(&a);
    if (hidden != 0) {
        r = hidden < 0 ? -1 : 0;
        goto done;
    }
    if (k->has_buf && (block || brk) && flush(k) < 0) goto fail;
    if (child == NULL) goto done;
    /* inline elements without attributes (b, em, span ...) are transparent */
    char entered = a.any || block || (t.bits & BIT_FLAG);
    if (entered && dw_enter(k, node, &t, &a, block) < 0) goto fail;
    if (grow((void **)&k->path, &k->cap_p, k->np + 1, sizeof *k->path) < 0) goto fail;
    k->path[k->np].node = node;
    k->path[k->np].entered = entered;
    k->path[k->np].at = block ? k->states[k->ns - 1].ctx[C_FRAME] * FRAME_WIDTH : -1;
    k->np++;
    *descend = 1;
    goto done;
fail:
    r = -1;
done:
    Py_DECREF(t.name);
    return r;
}

static int run(walk_t *k, lxb_node *root) {
    lxb_node *node = root->first_child;
    while (node != NULL) {
        if (node->local_name == TAG_TEXT) {
            PyObject *text = dw_text(node);
            if (text == NULL) return -1;
            int r = text == Py_None ? 0 : add_text(k, text, &k->states[k->ns - 1]);
            Py_DECREF(text);
            if (r < 0) return -1;
        } else if (node->type == NODE_ELEMENT) {
            int descend;
            if (element(k, node, &descend) < 0) return -1;
            if (descend) {
                node = node->first_child;
                continue;
            }
        }
        for (;;) {  /* next node: sibling, or climb until an ancestor has a sibling */
            if (node->next != NULL) {
                node = node->next;
                break;
            }
            if (k->np == 0) {
                node = NULL;
                break;
            }
            k->np--;
            node = k->path[k->np].node;
            long long at = k->path[k->np].at;
            if (k->path[k->np].entered) state_clear(&k->states[--k->ns]);
            if (at >= 0) {
                if (flush(k) < 0) return -1;
                long long *f = k->frames;
                f[at + 4] = k->chars - f[at + 1];
                f[at + 5] = k->link_chars - f[at + 2];
                f[at + 6] = PyList_GET_SIZE(k->lines) - f[at + 3];
            }
        }
    }
    if (flush(k) < 0) return -1;
    k->frames[4] = k->chars, k->frames[5] = k->link_chars, k->frames[6] = PyList_GET_SIZE(k->lines);
    return 0;
}

static int set_int(PyObject *w, const char *name, long long v) {
    PyObject *o = PyLong_FromLongLong(v);
    int r = o ? PyObject_SetAttrString(w, name, o) : -1;
    Py_XDECREF(o);
    return r;
}

static int get_int(PyObject *w, const char *name, long long *out) {
    PyObject *o = PyObject_GetAttrString(w, name);
    if (o == NULL) return -1;
    *out = PyLong_AsLongLong(o);
    Py_DECREF(o);
    return *out == -1 && PyErr_Occurred() ? -1 : 0;
}

PyObject *dw_walk(PyObject *w, lxb_node *root) {
    walk_t k;
    memset(&k, 0, sizeof k);
    k.w = w;
    PyObject *result = NULL;
    if ((s_space == NULL && (s_space = PyUnicode_InternFromString(" ")) == NULL) ||
        (s_newline == NULL && (s_newline = PyUnicode_InternFromString("\n")) == NULL))
        return NULL;
    if (!(k.lines = PyObject_GetAttrString(w, "lines")) || !(k.ctxs = PyObject_GetAttrString(w, "ctx")) ||
        !(k.counts = PyObject_GetAttrString(w, "counts")) || !(k.times = PyObject_GetAttrString(w, "times")) ||
        !(k.buf = PyList_New(0)))
        goto out;
    if (!PyList_Check(k.lines) || !PyList_Check(k.ctxs) || !PyList_Check(k.counts) || !PyList_Check(k.times)) {
        PyErr_SetString(PyExc_TypeError, "a fresh Walker is expected");
        goto out;
    }
    if (get_int(w, "checks", &k.checks) < 0 || get_int(w, "page_chars", &k.page_chars) < 0) goto out;
    if (grow((void **)&k.states, &k.cap_s, 1, sizeof(wstate)) < 0 ||
        grow((void **)&k.frames, &k.cap_f, FRAME_WIDTH, sizeof(long long)) < 0)
        goto out;
    dw_root_state(&k.states[0]);
    k.ns = 1;
    memset(k.frames, 0, FRAME_WIDTH * sizeof(long long));
    k.nf = FRAME_WIDTH;
    if (run(&k, root) < 0) goto out;
    PyObject *frames = PyList_New((Py_ssize_t)k.nf);
    if (frames == NULL) goto out;
    for (size_t i = 0; i < k.nf; i++) {
        PyObject *v = PyLong_FromLongLong(k.frames[i]);
        if (v == NULL) {
            Py_DECREF(frames);
            goto out;
        }
        PyList_SET_ITEM(frames, (Py_ssize_t)i, v);
    }
    int r = PyObject_SetAttrString(w, "frames", frames);
    Py_DECREF(frames);
    if (r < 0 || set_int(w, "chars", k.chars) < 0 || set_int(w, "link_chars", k.link_chars) < 0 ||
        set_int(w, "n_links", k.n_links) < 0 || set_int(w, "n_links_seen", k.n_links_seen) < 0 ||
        set_int(w, "checks", k.checks) < 0 || set_int(w, "page_chars", k.page_chars) < 0)
        goto out;
    result = Py_NewRef(Py_None);
out:
    while (k.ns) state_clear(&k.states[--k.ns]);
    if (k.has_buf) state_clear(&k.buf_st);
    PyMem_Free(k.states);
    PyMem_Free(k.frames);
    PyMem_Free(k.path);
    Py_XDECREF(k.lines);
    Py_XDECREF(k.ctxs);
    Py_XDECREF(k.counts);
    Py_XDECREF(k.times);
    Py_XDECREF(k.buf);
    return result;
}

