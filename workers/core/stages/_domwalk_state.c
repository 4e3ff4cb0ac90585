/* An entered element's state in C: html_walk.Walker.enter (the reference, kept in Python) step
 * for step, and the line Walker.flush makes of a state. The class/id and itemprop words
 * (class_info, itemprop_bits, cached in Python) are asked of the Python functions, so their
 * vocabularies stay in one place; the DOM rules' verdict is _domwalk_chrome.c's. */
#include <string.h>

#include "_domwalk.h"

/* Python's rules (configure) */
static PyObject *class_info, *itemprop_bits, *role_flag, *article_itemprops, *no_class;
static PyObject *hint_comment_author, *hint_comments, *hint_heading, *hint_list_item;
static Py_ssize_t max_author_line;
static long long root_ctx[NCTX];
static PyObject *s_article, *s_main, *s_author, *s_headline;

PyObject *dw_ctx_tuple(wstate *s) {
    if (s->ctx_tuple == NULL) {
        PyObject *t = PyTuple_New(NCTX);
        if (t == NULL) return NULL;
        for (int i = 0; i < NCTX; i++) {
            PyObject *v = PyLong_FromLongLong(s->ctx[i]);
            if (v == NULL) {
                Py_DECREF(t);
                return NULL;
            }
            PyTuple_SET_ITEM(t, i, v);
        }
        s->ctx_tuple = t;
    }
    return s->ctx_tuple;
}

void dw_root_state(wstate *s) {
    memset(s, 0, sizeof *s);
    s->reason = Py_NewRef(Py_None);
    memcpy(s->ctx, root_ctx, sizeof root_ctx);
}

PyObject *dw_line(const wstate *st, PyObject *text, int author) {
    PyObject *hint = Py_None;
    if (st->comments && author && PyUnicode_GET_LENGTH(text) <= max_author_line) hint = hint_comment_author;
    else if (st->comments) hint = hint_comments;
    else if (st->heading != NULL) hint = hint_heading;
    else if (st->li) hint = hint_list_item;
    int h1 = st->heading != NULL && PyUnicode_CompareWithASCIIString(st->heading, "h1") == 0;
    return Py_BuildValue("[OOONN]", text, st->reason, hint, PyBool_FromLong(h1),
                         PyBool_FromLong(st->title_marked && st->heading != NULL));
}

static int truthy(PyObject *o) { return o != Py_None && o != Py_False && PyObject_IsTrue(o) == 1; }

static int str_eq(PyObject *a, PyObject *b) { return PyUnicode_Compare(a, b) == 0; }

/* an attribute's value lower-cased ("" when absent, valueless or empty: ``attrs.get(x) or ""``) */
static PyObject *lowered(void *attr) {
    if (attr == NULL) return Py_NewRef(dw_empty);
    PyObject *v = dw_value(attr);
    if (v == NULL || !truthy(v)) {
        Py_XDECREF(v);
        return v == NULL ? NULL : Py_NewRef(dw_empty);
    }
    PyObject *low = PyObject_CallMethod(v, "lower", NULL);
    Py_DECREF(v);
    return low;
}

/* Walker.enter, step 1: the tag's path hash, flag and list/table/link counts */
static void enter_tag(walk_t *k, wstate *s, const tag_info *t) {
    long long *c = s->ctx;
    c[C_PATH] = (c[C_PATH] * 31 + t->code) & 0xFFFFFFFFLL;
    c[C_FLAGS] |= t->flag;
    if (t->bits & BIT_LIST) c[C_LISTS]++;
    else if (t->kind == K_TABLE) c[C_TABLES]++;
    else if (t->kind == K_A) {
        s->in_link = 1;
        k->n_links++;
    }
}

/* step 2 (``if attrs``): ci = class_info(cls, ident), and the class/id masks shifted in when it
 * has tokens; *ci (new) is replaced, NULL on error */
static int enter_class(const attr_set *a, long long *c, PyObject **ci) {
    PyObject *cls = a->found[A_CLASS] ? dw_value(a->found[A_CLASS]) : Py_NewRef(Py_None);
    PyObject *ident = a->found[A_ID] ? dw_value(a->found[A_ID]) : Py_NewRef(Py_None);
    if (cls != NULL && ident != NULL && (truthy(cls) || truthy(ident)))
        Py_XSETREF(*ci, PyObject_CallFunctionObjArgs(class_info, cls, ident, NULL));
    Py_XDECREF(cls);
    Py_XDECREF(ident);
    if (cls == NULL || ident == NULL || *ci == NULL) return -1;
    if (PyTuple_GET_SIZE(PyTuple_GET_ITEM(*ci, 0))) {
        long long mask = PyLong_AsLongLong(PyTuple_GET_ITEM(*ci, 1));
        long long crc = PyLong_AsLongLong(PyTuple_GET_ITEM(*ci, 2));
        if (PyErr_Occurred()) return -1;
        c[C_C3] = c[C_C2];
        c[C_C2] = c[C_C1];
        c[C_C1] = c[C_CO];
        c[C_CO] = mask;
        c[C_CCRC] = crc;
    }
    return 0;
}

/* step 2, still: role (lower-cased) and its flag, itemprop (lower-cased) and its bits; *role and
 * *itemprop are new references ("" without attributes), left NULL on error */
static int enter_role_itemprop(const attr_set *a, long long *c, PyObject **role, PyObject **itemprop) {
    if ((*role = lowered(a->any ? a->found[A_ROLE] : NULL)) == NULL) return -1;
    if (PyUnicode_GET_LENGTH(*role)) {
        PyObject *f = PyDict_GetItemWithError(role_flag, *role);
        if (f == NULL && PyErr_Occurred()) return -1;
        if (f != NULL) c[C_FLAGS] |= PyLong_AsLongLong(f);
    }
    if ((*itemprop = lowered(a->any ? a->found[A_ITEMPROP] : NULL)) == NULL) return -1;
    if (PyUnicode_GET_LENGTH(*itemprop)) {
        PyObject *bits = PyObject_CallOneArg(itemprop_bits, *itemprop);
        if (bits == NULL) return -1;
        c[C_IPS] |= PyLong_AsLongLong(bits);
        Py_DECREF(bits);
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* step 3 (``if reason is None``): the article's level; nothing inside it gets a DOM reason */
static int enter_level(const tag_info *t, PyObject *ci, PyObject *role, PyObject *itemprop, int *level) {
    int art = PySet_Contains(article_itemprops, itemprop);
    if (art < 0) return -1;
    if (t->kind == K_ARTICLE || str_eq(role, s_article) || art) *level = 2;
    else if (t->kind == K_MAIN || str_eq(role, s_main)) *level = *level > 1 ? *level : 1;
    else if (truthy(PyTuple_GET_ITEM(ci, 3))) *level = 2;
    return 0;
}

/* step 4: a comment section, and its author (a marker, itemprop="author" or <cite>) */
static void enter_comments(wstate *s, const tag_info *t, PyObject *ci, PyObject *itemprop) {
    if (PyTuple_GET_SIZE(PyTuple_GET_ITEM(ci, 0)) > 0) {
        if (!s->comments && truthy(PyTuple_GET_ITEM(ci, 4))) s->comments = 1;
        else if (s->comments && !s->author && truthy(PyTuple_GET_ITEM(ci, 5))) s->author = 1;
    }
    if (s->comments && (str_eq(itemprop, s_author) || t->kind == K_CITE)) s->author = 1;
}

/* step 5: a <time datetime=...> noted in self.times */
static int enter_time(walk_t *k, const wstate *s, const attr_set *a, int level) {
    PyObject *v = dw_value(a->found[A_DATETIME]);
    if (v == NULL) return -1;
    int r = 0;
    if (truthy(v) &&
        append_new(k->times, Py_BuildValue("(OiOOn)", v, level, s->comments ? Py_True : Py_False, s->reason,
                                           PyList_GET_SIZE(k->lines))) < 0)
        r = -1;
    Py_DECREF(v);
    return r;
}

/* step 6: dom_reason answers None, without a subtree check, unless the element is a chrome tag,
 * has a role, or a class/id marker of its level outside comment sections: asked only then */
static int enter_reason(walk_t *k, lxb_node *node, const tag_info *t, wstate *s, PyObject *ci, PyObject *role,
                        int level, int is_block) {
    int has_tokens = PyTuple_GET_SIZE(PyTuple_GET_ITEM(ci, 0)) > 0;
    int has_role = PyUnicode_GET_LENGTH(role) > 0;
    if ((has_tokens || is_block || has_role) &&
        (has_role || (t->bits & BIT_CHROME) ||
         (has_tokens && !s->comments && PyTuple_GET_ITEM(PyTuple_GET_ITEM(ci, 8), level) != Py_None))) {
        PyObject *reason = dw_dom_reason(k, node, t, ci, role, level, s->comments);
        if (reason == NULL) return -1;
        Py_SETREF(s->reason, reason);
    }
    return 0;
}

/* step 7: heading (and its level), li, pre, and a title marked by itemprop="headline" or a class */
static void enter_heading(wstate *s, const tag_info *t, PyObject *ci, PyObject *itemprop) {
    int title_class = str_eq(itemprop, s_headline) || truthy(PyTuple_GET_ITEM(ci, 6));
    if (t->heading) {
        Py_XSETREF(s->heading, Py_NewRef(t->name));
        s->ctx[C_HL] = t->heading;
        if (title_class && !s->comments) s->title_marked = 1;
    } else if (t->kind == K_LI) s->li = 1;
    else if (t->kind == K_PRE) s->pre = 1;
    if (!s->title_marked && !s->comments && title_class) s->title_marked = 1;
}

/* step 8 (``if is_block``): the block's code, and a new frame of the text so far */
static int enter_frame(walk_t *k, long long *c, const tag_info *t) {
    c[C_BCODE] = t->block_code;
    if (grow((void **)&k->frames, &k->cap_f, k->nf + FRAME_WIDTH, sizeof(long long)) < 0) return -1;
    long long *f = k->frames + k->nf;
    f[0] = c[C_FRAME], f[1] = k->chars, f[2] = k->link_chars, f[3] = PyList_GET_SIZE(k->lines);
    f[4] = f[5] = f[6] = 0;
    c[C_FRAME] = (long long)(k->nf / FRAME_WIDTH);
    k->nf += FRAME_WIDTH;
    return 0;
}

/* Walker.enter: the state of an element entered from state p, pushed on k->states */
int dw_enter(walk_t *k, lxb_node *node, const tag_info *t, const attr_set *a, int is_block) {
    if (grow((void **)&k->states, &k->cap_s, k->ns + 1, sizeof(wstate)) < 0) return -1;
    wstate *p = &k->states[k->ns - 1], s;
    state_copy(&s, p);
    Py_CLEAR(s.ctx_tuple);
    long long *c = s.ctx;
    int level = (int)c[C_LEVEL];
    PyObject *ci = Py_NewRef(no_class), *role = NULL, *itemprop = NULL;
    int r = -1;
    enter_tag(k, &s, t);
    if (a->any && enter_class(a, c, &ci) < 0) goto done;
    if (enter_role_itemprop(a, c, &role, &itemprop) < 0) goto done;
    if (s.reason == Py_None && enter_level(t, ci, role, itemprop, &level) < 0) goto done;
    enter_comments(&s, t, ci, itemprop);
    if (t->kind == K_TIME && a->any && a->found[A_DATETIME] != NULL && enter_time(k, &s, a, level) < 0) goto done;
    if (s.reason == Py_None && enter_reason(k, node, t, &s, ci, role, level, is_block) < 0) goto done;
    enter_heading(&s, t, ci, itemprop);
    if (is_block && enter_frame(k, c, t) < 0) goto done;
    /* step 9: the new ctx */
    c[C_DEPTH]++;
    c[C_START] = t->block_code;
    c[C_LEVEL] = level;
    c[C_COMMENTS] = s.comments;
    k->states[k->ns++] = s;
    s.reason = NULL, s.heading = NULL;  /* moved */
    r = 0;
done:
    if (r < 0) state_clear(&s);
    Py_XDECREF(ci);
    Py_XDECREF(role);
    Py_XDECREF(itemprop);
    return r;
}

int dw_configure_rules(PyObject *rules) {
    PyObject *hints = NULL, *ctx = NULL, *limit = NULL;
    const char *words[] = {"article", "main", "author", "headline"};
    PyObject **slots[] = {&s_article, &s_main, &s_author, &s_headline};
    for (int i = 0; i < 4; i++)
        if (*slots[i] == NULL && (*slots[i] = PyUnicode_InternFromString(words[i])) == NULL) return -1;
    if (dw_rule(rules, "class_info", NULL, &class_info) < 0 || dw_rule(rules, "itemprop_bits", NULL, &itemprop_bits) < 0 ||
        dw_rule(rules, "role_flag", NULL, &role_flag) < 0 ||
        dw_rule(rules, "article_itemprops", NULL, &article_itemprops) < 0 || dw_rule(rules, "no_class", NULL, &no_class) < 0 ||
        dw_rule(rules, "hints", NULL, &hints) < 0 || dw_rule(rules, "root_ctx", NULL, &ctx) < 0 ||
        dw_rule(rules, "max_author_line", NULL, &limit) < 0)
        goto fail;
    if (!PyDict_Check(role_flag) || !PyAnySet_Check(article_itemprops) || !PyTuple_Check(no_class) ||
        PyTuple_GET_SIZE(no_class) != 9 || !PyTuple_Check(hints) || PyTuple_GET_SIZE(hints) != 4 ||
        !PyTuple_Check(ctx) || PyTuple_GET_SIZE(ctx) != NCTX) {
        PyErr_SetString(PyExc_TypeError, "the walk's rules are not as expected");
        goto fail;
    }
    PyObject **hint_slots[] = {&hint_comment_author, &hint_comments, &hint_heading, &hint_list_item};
    for (int i = 0; i < 4; i++) Py_XSETREF(*hint_slots[i], Py_NewRef(PyTuple_GET_ITEM(hints, i)));
    for (int i = 0; i < NCTX; i++) root_ctx[i] = PyLong_AsLongLong(PyTuple_GET_ITEM(ctx, i));
    max_author_line = PyLong_AsSsize_t(limit);
    if (PyErr_Occurred()) goto fail;
    Py_DECREF(hints);
    Py_DECREF(ctx);
    Py_DECREF(limit);
    return 0;
fail:
    Py_XDECREF(hints);
    Py_XDECREF(ctx);
    Py_XDECREF(limit);
    return -1;
}
