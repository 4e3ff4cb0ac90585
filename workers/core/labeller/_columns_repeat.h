/* The line labeller's repeat counts in C, part of the _columns module (included by _columns.c,
 * which brings get_buffer, release, fnv_step and pieces_of): per line, how many lines of the
 * page have the same text once its whitespace runs are made one space and none is left at
 * either end (" ".join(line.split()) of text_columns.log_repeat's reference: Py_UNICODE_ISSPACE
 * separates). The normalised lines are kept as code points in one buffer and told apart by an
 * open-addressing table over them (FNV-1a over the code points, seeded and mixed: see
 * seed_repeats): two strings are equal when
 * their code points are, so the same classes as the reference's Counter of strings. */

/* A page's repeat table hashes with a start of its own, drawn once per process from Python's
 * randomised str hash (fixed by PYTHONHASHSEED, as Python's own dicts are), and takes a slot
 * from the hash's bits mixed together (MurmurHash3's 64-bit finaliser): FNV-1a's low bits see
 * only the code points' low bits, so without the mixing, lines of characters that differ only in
 * high bits would share one probe chain, and without the seed, a page could be made of lines of
 * one FNV-1a hash; either makes the counts quadratic in the lines, where a dict's are linear. */
static uint64_t repeat_seed;
static int repeat_seeded;

static int seed_repeats(void) {
    if (repeat_seeded) return 0;
    PyObject *s = PyUnicode_FromString("repeat counts");
    if (s == NULL) return -1;
    Py_hash_t h = PyObject_Hash(s);
    Py_DECREF(s);
    if (h == -1 && PyErr_Occurred()) return -1;
    repeat_seed = (uint64_t)h * 0x9E3779B97F4A7C15ULL;
    repeat_seeded = 1;
    return 0;
}

static inline uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* The text from `s` up to the next newline (or `len`) with its whitespace runs made one space
 * and none at either end, into buf; returns where it stopped (the newline or len), its
 * length in *m and its hash in *hash. */
static Py_ssize_t normalise(int kind, const void *data, Py_ssize_t s, Py_ssize_t len, int buf_kind,
                            void *buf, Py_ssize_t *m_out, uint64_t *hash) {
    Py_ssize_t m = 0, p = s;
    int gap = 0;
    uint64_t h = FNV_START ^ repeat_seed;
    for (; p < len; p++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        if (c == '\n') break;
        if (Py_UNICODE_ISSPACE(c)) { gap = m > 0; continue; }
        if (gap) { PyUnicode_WRITE(buf_kind, buf, m, ' '); m++; h = fnv_step(h, ' '); gap = 0; }
        PyUnicode_WRITE(buf_kind, buf, m, c);
        m++;
        h = fnv_step(h, c);
    }
    *m_out = m;
    *hash = h;
    return p;
}

/* Grows *buf to hold `need` items of `size` bytes (capacity in *cap); -1 with MemoryError. */
static int reserve(void **buf, Py_ssize_t *cap, Py_ssize_t need, size_t size) {
    if (need <= *cap) return 0;
    Py_ssize_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *p = PyMem_Realloc(*buf, c * size);
    if (p == NULL) { PyErr_NoMemory(); return -1; }
    *buf = p;
    *cap = c;
    return 0;
}

/* The distinct normalised lines of a page: their code points one after the other in chars
 * (kind bytes each, the widest of the page's strings: no more memory than the page), per
 * distinct line where it starts, its length, hash and count; slots: an open-addressing table
 * of distinct-line indexes (-1: empty), at most half full. */
typedef struct {
    int kind;
    char *chars;
    Py_ssize_t chars_cap, used;
    Py_ssize_t *off, *len;
    uint64_t *hash;
    int64_t *count;
    Py_ssize_t cap, distinct;
    Py_ssize_t *slots;
    Py_ssize_t nslots;
} Lines;

static void lines_free(Lines *t) {
    PyMem_Free(t->chars);
    PyMem_Free(t->off);
    PyMem_Free(t->len);
    PyMem_Free(t->hash);
    PyMem_Free(t->count);
    PyMem_Free(t->slots);
}

/* Where the line of hash h and code points key[0..m) is in the table, or the empty slot. */
static Py_ssize_t lines_slot(const Lines *t, uint64_t h, const char *key, Py_ssize_t m) {
    Py_ssize_t mask = t->nslots - 1, i = (Py_ssize_t)(mix64(h) & (uint64_t)mask);
    for (;; i = (i + 1) & mask) {
        Py_ssize_t j = t->slots[i];
        if (j < 0) return i;
        if (t->hash[j] == h && t->len[j] == m && !memcmp(t->chars + t->off[j] * t->kind, key, m * t->kind))
            return i;
    }
}

/* Grows the slot table to at least `want` slots (a power of two, at least twice the distinct
 * lines), the lines placed again; -1 with MemoryError. */
static int lines_grow(Lines *t, Py_ssize_t want) {
    Py_ssize_t n = t->nslots ? 2 * t->nslots : 256;
    while (n < want) n *= 2;
    Py_ssize_t *slots = PyMem_Malloc(n * sizeof(Py_ssize_t));
    if (slots == NULL) { PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) slots[i] = -1;
    PyMem_Free(t->slots);
    t->slots = slots;
    t->nslots = n;
    for (Py_ssize_t j = 0; j < t->distinct; j++)
        t->slots[lines_slot(t, t->hash[j], t->chars + t->off[j] * t->kind, t->len[j])] = j;
    return 0;
}

/* Room for `lines` distinct lines (their starts, lengths, hashes, counts); -1 with MemoryError. */
static int lines_reserve(Lines *t, Py_ssize_t lines) {
    if (lines <= t->cap) return 0;
    Py_ssize_t c = t->cap;
    if (reserve((void **)&t->off, &c, lines, sizeof(Py_ssize_t)) < 0) return -1;
    c = t->cap;
    if (reserve((void **)&t->len, &c, lines, sizeof(Py_ssize_t)) < 0) return -1;
    c = t->cap;
    if (reserve((void **)&t->hash, &c, lines, sizeof(uint64_t)) < 0) return -1;
    c = t->cap;
    if (reserve((void **)&t->count, &c, lines, sizeof(int64_t)) < 0) return -1;
    t->cap = c;
    return 0;
}

/* The line of data from `s` to the next newline (or len), normalised: its index among the
 * distinct lines (a new one when it is not there yet), its count raised by one, and in *end
 * where it stopped; -1 with MemoryError. */
static Py_ssize_t lines_add(Lines *t, int kind, const void *data, Py_ssize_t s, Py_ssize_t len, Py_ssize_t *end) {
    if (reserve((void **)&t->chars, &t->chars_cap, t->used + (len - s) + 1, t->kind) < 0) return -1;
    if (2 * (t->distinct + 1) > t->nslots && lines_grow(t, 0) < 0) return -1;
    if (lines_reserve(t, t->distinct + 1) < 0) return -1;
    uint64_t h;
    Py_ssize_t m;
    char *key = t->chars + t->used * t->kind;
    *end = normalise(kind, data, s, len, t->kind, key, &m, &h);
    Py_ssize_t i = lines_slot(t, h, key, m);
    if (t->slots[i] >= 0) {
        t->count[t->slots[i]]++;
        return t->slots[i];
    }
    Py_ssize_t j = t->distinct++;
    t->off[j] = t->used;
    t->len[j] = m;
    t->hash[j] = h;
    t->count[j] = 1;
    t->slots[i] = j;
    t->used += m;
    return j;
}

/* repeat_counts(page, out): out[i] (int64, len(out) lines) = how many lines (between
 * newlines) of the page (a str or a list of lines, pieces_of) have the same
 * " ".join(line.split()) as line i; ValueError when the page has fewer lines. */
static PyObject *repeat_counts(PyObject *self, PyObject *args) {
    PyObject *text, *o_out, **pieces;
    Py_ssize_t npieces;
    if (!PyArg_ParseTuple(args, "OO", &text, &o_out) || seed_repeats() < 0) return NULL;
    if (pieces_of(&text, &pieces, &npieces) < 0) return NULL;
    Py_buffer v;
    if (get_buffer(o_out, &v, 8, -1, 1, "out") < 0) return NULL;
    Py_ssize_t n = v.len / 8, line = 0;
    int64_t *out = (int64_t *)v.buf;
    Lines t = {PyUnicode_1BYTE_KIND};
    PyObject *result = NULL;
    Py_ssize_t total = 0;  /* the page's characters: room for every line normalised */
    for (Py_ssize_t piece = 0; piece < npieces; piece++) {
        total += PyUnicode_GET_LENGTH(pieces[piece]);
        if (PyUnicode_KIND(pieces[piece]) > t.kind) t.kind = PyUnicode_KIND(pieces[piece]);
    }
    if (reserve((void **)&t.chars, &t.chars_cap, total + 1, t.kind) < 0) goto done;
    if (lines_reserve(&t, npieces + 1) < 0 || lines_grow(&t, 2 * (npieces + 1)) < 0) goto done;
    for (Py_ssize_t piece = 0; piece < npieces; piece++) {
        int kind = PyUnicode_KIND(pieces[piece]);
        const void *data = PyUnicode_DATA(pieces[piece]);
        Py_ssize_t len = PyUnicode_GET_LENGTH(pieces[piece]), s = 0, end;
        for (;;) {  /* each line of the piece: up to a newline, or its end */
            Py_ssize_t j = lines_add(&t, kind, data, s, len, &end);
            if (j < 0) goto done;
            if (line < n) out[line] = j;
            line++;
            if (end == len) break;
            s = end + 1;
        }
    }
    if (line < n) {
        PyErr_SetString(PyExc_ValueError, "repeat_counts: the text has fewer lines than out");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) out[i] = t.count[out[i]];
    result = Py_None;
    Py_INCREF(result);
done:
    lines_free(&t);
    PyBuffer_Release(&v);
    return result;
}
