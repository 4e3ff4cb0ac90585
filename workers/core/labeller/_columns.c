/* The line labeller's per-character and per-token counts in C: one pass over a page's code
 * points instead of many numpy calls. workers/core/labeller/native_columns.py calls it and
 * turns the counts into feature columns with the same numpy code as the Python path
 * (text_columns.py), which stays the reference: the counts are integers, so equal counts give
 * equal columns, bit for bit (tests/test_native_columns.py).
 *
 *  - line_counts: per line, the characters of each character-class entry (a class table for
 *    every code point, built in Python from char_classes.class_masks, and an entry table per
 *    class set, native_columns.entry_rows), its UTF-8 bytes with its newline, and its first
 *    and last code point;
 *  - stop_counts: the tokens of text_columns' `\w+|\n` scan (a \w character as Python's re
 *    reads it: Py_UNICODE_ISALNUM or '_'), per line the word tokens, those in the stopword
 *    table, and those of each language (a table built once by vocab() from the Python dict
 *    of stopword bits);
 *  - word_count: the \w+ tokens of one text (len(re.findall(r"\w+", text)): the rule
 *    labeller's word count of a line);
 *  - repeat_counts: per line, how many lines of the page have the same whitespace-normalised
 *    text (" ".join(line.split()): Py_UNICODE_ISSPACE separates; _columns_repeat.h);
 * stop_counts and repeat_counts read a page as one str or as the list of its lines (read as
 * "\n".join(lines), without making that copy).
 *  - mark_gaps, shape_counts: the comment-structure columns' distances and window counts
 *    (_columns_marks.h).
 * Every output goes into a C-contiguous buffer the caller allocated (numpy arrays).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "../native_buffer.h"

#define NUM_CODE_POINTS 0x110000
#define MAX_LANGS 62

static void release(Py_buffer *views, int k) {
    for (int i = 0; i < k; i++) PyBuffer_Release(&views[i]);
}

/* The per-line class counts, 8 bits an entry in two words (entries 0-7 and 8-15): a character
 * adds its row of the entry table (incs: per class set, with word_start on a word's first
 * character, a 1 byte for each entry whose bits it holds), and every 255 characters, before
 * a byte can overflow, the bytes go to the line's counts. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
/* the entry table's 16 bytes a row are read as two words, byte j being entry j: little-endian
 * only; elsewhere the module is not built and the numpy path serves (it is optional) */
#error "_columns reads its entry table as little-endian words"
#endif
#define MAX_COUNTS 16
#define FLUSH_CHARS 255

typedef struct {
    const uint16_t *table;    /* class bits of every code point */
    const uint64_t *incs;     /* rows x 2 words */
    uint32_t rows, word_bit, word_start;
    int prev_word;            /* the character before was a word character */
    int run;                  /* characters added since the last flush */
    uint64_t lo, hi;
    int64_t acc[MAX_COUNTS];
} Counter;

static inline void flush(Counter *ct) {
    for (int j = 0; j < 8; j++) {
        ct->acc[j] += (ct->lo >> (8 * j)) & 0xff;
        ct->acc[8 + j] += (ct->hi >> (8 * j)) & 0xff;
    }
    ct->lo = ct->hi = 0;
    ct->run = 0;
}

/* Adds one character; -1 when its class set is past the entry table. */
static inline int count_char(Counter *ct, Py_UCS4 c) {
    uint32_t cls = ct->table[c];
    int word = (cls & ct->word_bit) != 0;
    if (word && !ct->prev_word) cls |= ct->word_start;
    ct->prev_word = word;
    if (cls >= ct->rows) return -1;
    ct->lo += ct->incs[2 * cls];
    ct->hi += ct->incs[2 * cls + 1];
    if (++ct->run == FLUSH_CHARS) flush(ct);
    return 0;
}

/* Counts a line's characters of one kind (T: Py_UCS1, Py_UCS2, Py_UCS4); its UTF-8 bytes
 * into *bytes; -1 as count_char. */
#define COUNT_LINE(T, big2, big3)                                                   \
    static int count_line_##T(Counter *ct, const T *d, Py_ssize_t len, int64_t *bytes) { \
        int64_t b = len;                                                            \
        for (Py_ssize_t p = 0; p < len; p++) {                                      \
            Py_UCS4 c = d[p];                                                       \
            if (count_char(ct, c) < 0) return -1;                                   \
            b += (c >= 0x80) + (big2 && c >= 0x800) + (big3 && c >= 0x10000);       \
        }                                                                           \
        *bytes = b;                                                                 \
        return 0;                                                                   \
    }
COUNT_LINE(Py_UCS1, 0, 0)
COUNT_LINE(Py_UCS2, 1, 0)
COUNT_LINE(Py_UCS4, 1, 1)

static int count_line(Counter *ct, PyObject *t, int64_t *bytes) {
    const void *data = PyUnicode_DATA(t);
    Py_ssize_t len = PyUnicode_GET_LENGTH(t);
    switch (PyUnicode_KIND(t)) {
    case PyUnicode_1BYTE_KIND: return count_line_Py_UCS1(ct, data, len, bytes);
    case PyUnicode_2BYTE_KIND: return count_line_Py_UCS2(ct, data, len, bytes);
    default: return count_line_Py_UCS4(ct, data, len, bytes);
    }
}

/* line_counts(texts, table, incs, k, word_bit, word_start, counts, blens, first, last): the
 * lines of "\n".join(texts) read in order (each line but the last with its newline, as
 * text_columns' per-line counts read them). incs: uint8, rows x 16, row s holding 1 in entry
 * j when class set s has every bit of entry j (only the first k entries are read); counts:
 * float32, lines x k, the characters whose class bits (with word_start on a word's first
 * character) hold every bit of the entry; blens: int64 UTF-8 bytes; first / last: uint32,
 * 32 for an empty line. */
static PyObject *line_counts(PyObject *self, PyObject *args) {
    PyObject *texts, *o_table, *o_incs, *o_counts, *o_blens, *o_first, *o_last;
    unsigned int word_bit, word_start;
    int k;
    if (!PyArg_ParseTuple(args, "O!OOiIIOOOO", &PyList_Type, &texts, &o_table, &o_incs, &k, &word_bit,
                          &word_start, &o_counts, &o_blens, &o_first, &o_last))
        return NULL;
    if (k < 0 || k > MAX_COUNTS) return PyErr_Format(PyExc_ValueError, "k: 0..%d entries", MAX_COUNTS);
    Py_ssize_t n = PyList_GET_SIZE(texts);
    Py_buffer v[6];
    if (get_buffer(o_table, &v[0], 2, NUM_CODE_POINTS, 0, "table") < 0) return NULL;
    if (get_buffer(o_incs, &v[1], 1, -1, 0, "incs") < 0) { release(v, 1); return NULL; }
    if (v[1].len % 16 || ((uintptr_t)v[1].buf) % 8) {
        release(v, 2);
        return PyErr_Format(PyExc_ValueError, "incs: rows of 16 bytes, 8-byte aligned");
    }
    if (get_buffer(o_counts, &v[2], 4, n * k, 1, "counts") < 0) { release(v, 2); return NULL; }
    if (get_buffer(o_blens, &v[3], 8, n, 1, "blens") < 0) { release(v, 3); return NULL; }
    if (get_buffer(o_first, &v[4], 4, n, 1, "first") < 0) { release(v, 4); return NULL; }
    if (get_buffer(o_last, &v[5], 4, n, 1, "last") < 0) { release(v, 5); return NULL; }
    Counter ct = {(const uint16_t *)v[0].buf, (const uint64_t *)v[1].buf, (uint32_t)(v[1].len / 16),
                  word_bit, word_start, 0, 0, 0, 0, {0}};
    float *counts = (float *)v[2].buf;
    int64_t *blens = (int64_t *)v[3].buf;
    uint32_t *first = (uint32_t *)v[4].buf, *last = (uint32_t *)v[5].buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_Check(t)) {
            release(v, 6);
            return PyErr_Format(PyExc_TypeError, "texts[%zd] is not a str", i);
        }
        int kind = PyUnicode_KIND(t);
        const void *data = PyUnicode_DATA(t);
        Py_ssize_t len = PyUnicode_GET_LENGTH(t);
        int64_t bytes = 0;
        int bad = count_line(&ct, t, &bytes) < 0;
        if (i + 1 < n) {  /* the newline that joins it to the next line */
            bad |= count_char(&ct, '\n') < 0;
            bytes += 1;
        }
        if (bad) {
            release(v, 6);
            return PyErr_Format(PyExc_ValueError, "incs: fewer rows than a class set of texts[%zd]", i);
        }
        flush(&ct);
        for (int j = 0; j < k; j++) counts[i * k + j] = (float)ct.acc[j];
        memset(ct.acc, 0, sizeof ct.acc);
        blens[i] = bytes;
        first[i] = len ? PyUnicode_READ(kind, data, 0) : 32;
        last[i] = len ? PyUnicode_READ(kind, data, len - 1) : 32;
    }
    release(v, 6);
    Py_RETURN_NONE;
}

static unsigned char ascii_word[128];  /* is_word of each ASCII character, set at import */

static inline int is_word(Py_UCS4 c) {  /* _sre's SRE_UNI_IS_WORD */
    if (c < 128) return ascii_word[c];
    return Py_UNICODE_ISALNUM(c) || c == '_';
}

/* A stopword table: open addressing over the keys' code points (FNV-1a), built once from a
 * Python dict (str -> int) by vocab() and held in a capsule. */
typedef struct {
    Py_ssize_t size;      /* slots, a power of two */
    Py_ssize_t maxlen;    /* the longest key */
    int64_t *code;        /* per slot: the key's bits */
    Py_ssize_t *off;      /* per slot: where its code points start in chars; -1: empty */
    Py_ssize_t *len;
    Py_UCS4 *chars;
} Vocab;

static const char *VOCAB = "winnow._columns.Vocab";

static void vocab_free(Vocab *v) {
    if (v == NULL) return;
    PyMem_Free(v->code);
    PyMem_Free(v->off);
    PyMem_Free(v->len);
    PyMem_Free(v->chars);
    PyMem_Free(v);
}

static void vocab_capsule_free(PyObject *cap) {
    vocab_free((Vocab *)PyCapsule_GetPointer(cap, VOCAB));
}

static inline uint64_t fnv_step(uint64_t h, Py_UCS4 c) {
    return (h ^ (uint64_t)c) * 1099511628211ULL;
}
#define FNV_START 14695981039346656037ULL

/* The slot of the key `s..e` of text (found, or the empty slot where it would go). */
static Py_ssize_t vocab_slot(const Vocab *v, int kind, const void *data, Py_ssize_t s, Py_ssize_t e) {
    uint64_t h = FNV_START;
    for (Py_ssize_t p = s; p < e; p++) h = fnv_step(h, PyUnicode_READ(kind, data, p));
    Py_ssize_t mask = v->size - 1, i = (Py_ssize_t)(h & (uint64_t)mask);
    for (;; i = (i + 1) & mask) {
        if (v->off[i] < 0) return i;
        if (v->len[i] != e - s) continue;
        const Py_UCS4 *k = v->chars + v->off[i];
        Py_ssize_t p = s;
        while (p < e && PyUnicode_READ(kind, data, p) == k[p - s]) p++;
        if (p == e) return i;
    }
}

/* vocab(bits) -> the capsule stop_counts reads: every str key of bits with its int value. */
static PyObject *vocab(PyObject *self, PyObject *args) {
    PyObject *bits;
    if (!PyArg_ParseTuple(args, "O!", &PyDict_Type, &bits)) return NULL;
    Py_ssize_t nkeys = PyDict_GET_SIZE(bits), size = 16, total = 0, pos = 0;
    while (size < 2 * nkeys) size *= 2;
    PyObject *key, *value;
    while (PyDict_Next(bits, &pos, &key, &value)) {
        if (!PyUnicode_Check(key)) return PyErr_Format(PyExc_TypeError, "vocab: a key is not a str");
        total += PyUnicode_GET_LENGTH(key);
    }
    Vocab *v = PyMem_Calloc(1, sizeof(Vocab));
    if (v == NULL) return PyErr_NoMemory();
    v->size = size;
    v->code = PyMem_Calloc(size, sizeof(int64_t));
    v->off = PyMem_Malloc(size * sizeof(Py_ssize_t));
    v->len = PyMem_Calloc(size, sizeof(Py_ssize_t));
    v->chars = PyMem_Malloc((total + 1) * sizeof(Py_UCS4));
    if (!v->code || !v->off || !v->len || !v->chars) { vocab_free(v); return PyErr_NoMemory(); }
    for (Py_ssize_t i = 0; i < size; i++) v->off[i] = -1;
    Py_ssize_t used = 0;
    pos = 0;
    while (PyDict_Next(bits, &pos, &key, &value)) {
        long long code = PyLong_AsLongLong(value);
        if (code == -1 && PyErr_Occurred()) { vocab_free(v); return NULL; }
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        Py_ssize_t i = vocab_slot(v, kind, data, 0, len);  /* dict keys are distinct: empty */
        for (Py_ssize_t p = 0; p < len; p++) v->chars[used + p] = PyUnicode_READ(kind, data, p);
        v->off[i] = used;
        v->len[i] = len;
        v->code[i] = code;
        used += len;
        if (len > v->maxlen) v->maxlen = len;
    }
    PyObject *cap = PyCapsule_New(v, VOCAB, vocab_capsule_free);
    if (cap == NULL) vocab_free(v);
    return cap;
}

/* The pieces of a page: a str, or a list of str read as "\n".join(list) (the page's lines
 * one by one, without the joined copy). Sets *items and *count; -1 with TypeError. */
static int pieces_of(PyObject **page, PyObject ***items, Py_ssize_t *count) {
    if (PyUnicode_Check(*page)) {
        *items = page;
        *count = 1;
        return 0;
    }
    if (!PyList_Check(*page)) {
        PyErr_SetString(PyExc_TypeError, "a page: a str or a list of str");
        return -1;
    }
    if (PyList_GET_SIZE(*page) == 0) {  /* no lines: "\n".join([]), one empty line */
        static PyObject *empty_page;
        if (empty_page == NULL && (empty_page = PyUnicode_New(0, 0)) == NULL) return -1;
        *items = &empty_page;
        *count = 1;
        return 0;
    }
    *items = PySequence_Fast_ITEMS(*page);
    *count = PyList_GET_SIZE(*page);
    for (Py_ssize_t i = 0; i < *count; i++)
        if (!PyUnicode_Check((*items)[i])) {
            PyErr_Format(PyExc_TypeError, "a page's line %zd is not a str", i);
            return -1;
        }
    return 0;
}

/* stop_counts(page, vocab, nlang, words, hits, lang, totals) -> word tokens of the page (a str
 * or a list of lines, pieces_of). Per line (the first len(words) lines; a line is what lies
 * between newlines): words, its \w+ tokens; hits, those with nonzero bits in the vocabulary
 * (vocab()); lang (lines x nlang), those with each language's bit. totals: per language, the
 * page's tokens with its bit (every line). */
static PyObject *stop_counts(PyObject *self, PyObject *args) {
    PyObject *text, *o_vocab, *o_words, *o_hits, *o_lang, *o_totals;
    int nlang;
    PyObject **pieces;
    Py_ssize_t npieces;
    if (!PyArg_ParseTuple(args, "OOiOOOO", &text, &o_vocab, &nlang, &o_words, &o_hits, &o_lang, &o_totals))
        return NULL;
    if (pieces_of(&text, &pieces, &npieces) < 0) return NULL;
    const Vocab *voc = PyCapsule_GetPointer(o_vocab, VOCAB);
    if (voc == NULL) return NULL;
    if (nlang < 0 || nlang > MAX_LANGS)
        return PyErr_Format(PyExc_ValueError, "nlang: 0..%d", MAX_LANGS);
    Py_buffer v[4];
    if (get_buffer(o_words, &v[0], 8, -1, 1, "words") < 0) return NULL;
    Py_ssize_t n = v[0].len / 8;
    if (get_buffer(o_hits, &v[1], 8, n, 1, "hits") < 0) { release(v, 1); return NULL; }
    if (get_buffer(o_lang, &v[2], 8, n * nlang, 1, "lang") < 0) { release(v, 2); return NULL; }
    if (get_buffer(o_totals, &v[3], 8, nlang, 1, "totals") < 0) { release(v, 3); return NULL; }
    int64_t *words = (int64_t *)v[0].buf, *hits = (int64_t *)v[1].buf;
    int64_t *lang = (int64_t *)v[2].buf, *totals = (int64_t *)v[3].buf;
    memset(words, 0, n * 8);
    memset(hits, 0, n * 8);
    memset(lang, 0, n * nlang * 8);
    memset(totals, 0, nlang * 8);
    Py_ssize_t line = 0, tokens = 0;
    const uint64_t lang_mask = nlang ? (~0ULL >> (64 - nlang)) : 0;
    for (Py_ssize_t piece = 0; piece < npieces; piece++) {
        if (piece) line++;  /* the newline joining it to the piece before */
        int kind = PyUnicode_KIND(pieces[piece]);
        const void *data = PyUnicode_DATA(pieces[piece]);
        Py_ssize_t len = PyUnicode_GET_LENGTH(pieces[piece]), p = 0;
        while (p < len) {
            Py_UCS4 c = PyUnicode_READ(kind, data, p);
            if (c == '\n') { line++; p++; continue; }
            if (!is_word(c)) { p++; continue; }
            Py_ssize_t s = p;
            while (p < len && is_word(PyUnicode_READ(kind, data, p))) p++;
            tokens++;
            int64_t code = 0;
            if (p - s <= voc->maxlen) {
                Py_ssize_t i = vocab_slot(voc, kind, data, s, p);
                if (voc->off[i] >= 0) code = voc->code[i];
            }
            /* each language bit of the token's code (the bits below nlang), lowest first */
            uint64_t bits = (uint64_t)code & lang_mask;
            if (line < n) {
                words[line]++;
                hits[line] += code != 0;
                for (int64_t *row = lang + line * nlang; bits; bits &= bits - 1) {
                    int b = __builtin_ctzll(bits);
                    totals[b]++;
                    row[b]++;
                }
            }
            for (; bits; bits &= bits - 1) totals[__builtin_ctzll(bits)]++;
        }
    }
    release(v, 4);
    return PyLong_FromSsize_t(tokens);
}

/* word_count(text) -> the number of maximal runs of \w characters (is_word) in text. */
static PyObject *word_count(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) return PyErr_Format(PyExc_TypeError, "word_count: a str");
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t words = 0;
    int in_word = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const int w = is_word(PyUnicode_READ(kind, data, i));
        words += w && !in_word;
        in_word = w;
    }
    return PyLong_FromSsize_t(words);
}


#include "_columns_repeat.h"
#include "_columns_marks.h"

static PyMethodDef methods[] = {
    {"line_counts", line_counts, METH_VARARGS,
     "line_counts(texts, table, incs, k, word_bit, word_start, counts, blens, first, last)"},
    {"vocab", vocab, METH_VARARGS, "vocab(bits: dict[str, int]) -> a stopword table for stop_counts"},
    {"stop_counts", stop_counts, METH_VARARGS,
     "stop_counts(page, vocab, nlang, words, hits, lang, totals) -> word tokens"},
    {"word_count", word_count, METH_O, "word_count(text) -> its \\w+ tokens"},
    {"repeat_counts", repeat_counts, METH_VARARGS, "repeat_counts(page, out)"},
    {"mark_gaps", mark_gaps, METH_VARARGS, "mark_gaps(mask, cap, prev, next)"},
    {"shape_counts", shape_counts, METH_VARARGS, "shape_counts(code, window, cap, gp, gn, num, den)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef columns_module = {
    PyModuleDef_HEAD_INIT, "_columns",
    "The line labeller's per-line counts in C (see native_columns.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__columns(void) {
    for (Py_UCS4 c = 0; c < 128; c++) ascii_word[c] = Py_UNICODE_ISALNUM(c) || c == '_';
    return PyModule_Create(&columns_module);
}
