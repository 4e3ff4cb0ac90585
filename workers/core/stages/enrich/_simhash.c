/* The enrich stage's 64-bit simhash in C: quality.simhash's value over the word 3-shingles of a
 * body, each shingle hashed with BLAKE2b (8-byte digest, no key). quality.py's Python code stays
 * the reference (hashlib's BLAKE2b, numpy's bit counts); workers/core/stages/enrich/
 * native_simhash.py calls this module, and tests/test_native_simhash.py holds the two equal.
 *
 * BLAKE2b is implemented here from its specification (RFC 7693, sections 2.1-3.3): the
 * SHA-512 initialisation vector, the ten message schedules, the mixing function G with
 * rotations 32, 24, 16 and 63, twelve rounds per 128-byte block, the byte counter and the
 * final-block flag, the parameter block folded into the first state word (digest length,
 * key length 0, fanout 1, depth 1). An 8-byte digest is the first state word in little-endian
 * byte order.
 *
 * A shingle is three words joined by one space (one or two words when the body has fewer), as
 * UTF-8: the words of a chunk are encoded once, one space after each, and a shingle is one
 * slice of that buffer. Bit b of the simhash is set when more than half of the shingles' hashes,
 * read as big-endian 64-bit numbers, have bit b set.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static const uint64_t IV[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const uint8_t SIGMA[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

#define BLOCK 128
#define DIGEST 8

static inline uint64_t rotr(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static inline uint64_t load_le64(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
#else
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--) x = (x << 8) | p[i];
    return x;
#endif
}

#define G(a, b, c, d, x, y)                 \
    do {                                    \
        v[a] = v[a] + v[b] + (x);           \
        v[d] = rotr(v[d] ^ v[a], 32);       \
        v[c] = v[c] + v[d];                 \
        v[b] = rotr(v[b] ^ v[c], 24);       \
        v[a] = v[a] + v[b] + (y);           \
        v[d] = rotr(v[d] ^ v[a], 16);       \
        v[c] = v[c] + v[d];                 \
        v[b] = rotr(v[b] ^ v[c], 63);       \
    } while (0)

/* Round r: the columns, then the diagonals, the message words in schedule r mod 10. */
#define ROUND(r)                                                           \
    do {                                                                   \
        G(0, 4, 8, 12, m[SIGMA[(r) % 10][0]], m[SIGMA[(r) % 10][1]]);      \
        G(1, 5, 9, 13, m[SIGMA[(r) % 10][2]], m[SIGMA[(r) % 10][3]]);      \
        G(2, 6, 10, 14, m[SIGMA[(r) % 10][4]], m[SIGMA[(r) % 10][5]]);     \
        G(3, 7, 11, 15, m[SIGMA[(r) % 10][6]], m[SIGMA[(r) % 10][7]]);     \
        G(0, 5, 10, 15, m[SIGMA[(r) % 10][8]], m[SIGMA[(r) % 10][9]]);     \
        G(1, 6, 11, 12, m[SIGMA[(r) % 10][10]], m[SIGMA[(r) % 10][11]]);   \
        G(2, 7, 8, 13, m[SIGMA[(r) % 10][12]], m[SIGMA[(r) % 10][13]]);    \
        G(3, 4, 9, 14, m[SIGMA[(r) % 10][14]], m[SIGMA[(r) % 10][15]]);    \
    } while (0)

/* The compression function F: one 128-byte block into the state h; t: bytes so far (< 2^64). */
static void compress(uint64_t h[8], const uint8_t block[BLOCK], uint64_t t, int last) {
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) m[i] = load_le64(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = IV[i];
    }
    v[12] ^= t;  /* the counter's high word is 0 */
    if (last) v[14] = ~v[14];
    /* the twelve rounds written out: each schedule index a constant, the words in registers */
    ROUND(0); ROUND(1); ROUND(2); ROUND(3); ROUND(4); ROUND(5);
    ROUND(6); ROUND(7); ROUND(8); ROUND(9); ROUND(10); ROUND(11);
    for (int i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

/* The 8-byte BLAKE2b digest of data[0:len] as the little-endian number of its bytes. */
static uint64_t blake2b_8(const uint8_t *data, size_t len) {
    uint64_t h[8];
    memcpy(h, IV, sizeof h);
    h[0] ^= 0x01010000ULL ^ DIGEST;  /* depth 1, fanout 1, no key, 8-byte digest */
    size_t done = 0;
    while (len - done > BLOCK) {  /* every block but the last (an empty input: one zero block) */
        done += BLOCK;
        compress(h, data + done - BLOCK, (uint64_t)done, 0);
    }
    uint8_t last[BLOCK] = {0};
    if (len > done) memcpy(last, data + done, len - done);
    compress(h, last, (uint64_t)len, 1);
    return h[0];
}

/* A word's UTF-8 bytes appended at buf[at:] (room checked by the caller: 4 bytes a code point);
 * returns the new end, or -1 with UnicodeEncodeError set for a surrogate (as str.encode). */
static Py_ssize_t put_utf8(PyObject *word, uint8_t *buf, Py_ssize_t at) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    if (PyUnicode_IS_ASCII(word)) {
        memcpy(buf + at, PyUnicode_DATA(word), (size_t)n);
        return at + n;
    }
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80) {
            buf[at++] = (uint8_t)c;
        } else if (c < 0x800) {
            buf[at++] = (uint8_t)(0xc0 | (c >> 6));
            buf[at++] = (uint8_t)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            if (c >= 0xd800 && c <= 0xdfff) {
                Py_XDECREF(PyUnicode_AsUTF8String(word));  /* raises str.encode's error */
                return -1;
            }
            buf[at++] = (uint8_t)(0xe0 | (c >> 12));
            buf[at++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
            buf[at++] = (uint8_t)(0x80 | (c & 0x3f));
        } else {
            buf[at++] = (uint8_t)(0xf0 | (c >> 18));
            buf[at++] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
            buf[at++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
            buf[at++] = (uint8_t)(0x80 | (c & 0x3f));
        }
    }
    return at;
}

/* words[lo:hi] encoded into *buf (grown as needed), one space after each; off[m] = where word
 * lo+m starts, off[hi-lo] = the end. Returns 0, or -1 with an exception set. */
static int encode_words(PyObject **words, Py_ssize_t lo, Py_ssize_t hi, uint8_t **buf,
                        size_t *cap, Py_ssize_t *off) {
    Py_ssize_t at = 0;
    for (Py_ssize_t w = lo; w < hi; w++) {
        PyObject *word = words[w];
        if (!PyUnicode_Check(word)) {
            PyErr_Format(PyExc_TypeError, "sequence item %zd: expected str instance, %.80s found", w,
                         Py_TYPE(word)->tp_name);
            return -1;
        }
        size_t need = (size_t)at + 4 * (size_t)PyUnicode_GET_LENGTH(word) + 1;
        if (need > *cap) {
            size_t grown = need > 2 * *cap ? need : 2 * *cap;
            uint8_t *b = PyMem_Realloc(*buf, grown);
            if (b == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            *buf = b;
            *cap = grown;
        }
        off[w - lo] = at;
        if ((at = put_utf8(word, *buf, at)) < 0) return -1;
        (*buf)[at++] = ' ';
    }
    off[hi - lo] = at;
    return 0;
}

#define CHUNK_SHINGLES (1 << 16)

/* SPREAD[v]: byte i is bit i of v. Adding SPREAD[byte k of a hash] to lanes[k] counts that
 * byte's 8 bits in 8 byte counters at once; the lanes are added to the 64 counts before a
 * counter can pass 255. */
static uint64_t SPREAD[256];
#define LANE_MAX 255

static void flush_lanes(uint64_t lanes[8], int64_t counts[64]) {
    for (int k = 0; k < 8; k++) {
        for (int i = 0; i < 8; i++) counts[8 * k + i] += (int64_t)((lanes[k] >> (8 * i)) & 0xff);
        lanes[k] = 0;
    }
}

/* Counts the set bits of n shingle hashes (shingle i: buf[off[i] : off[i+width]-1]), each hash
 * read as a big-endian number: counts[b] gets bit b. */
static void hash_shingles(const uint8_t *buf, const Py_ssize_t *off, Py_ssize_t n, Py_ssize_t width,
                          int64_t counts[64]) {
    uint64_t lanes[8] = {0};
    int pending = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        /* words i .. i+width-1 and the spaces between them: the last word's space left out */
        uint64_t x = __builtin_bswap64(blake2b_8(buf + off[i], (size_t)(off[i + width] - off[i] - 1)));
        for (int k = 0; k < 8; k++) lanes[k] += SPREAD[(x >> (8 * k)) & 0xff];
        if (++pending == LANE_MAX) {
            flush_lanes(lanes, counts);
            pending = 0;
        }
    }
    flush_lanes(lanes, counts);
}

/* Adds the bits of every shingle hash of the nw words of seq (PySequence_Fast, nw >= 1) to
 * counts; 0, or -1 on error. The hashing runs without the GIL, so the words are read afresh
 * for each chunk (a list another thread resized meanwhile is an error, not a stale read). */
static int count_bits(PyObject *seq, Py_ssize_t nw, int64_t counts[64]) {
    Py_ssize_t shingles = nw >= 3 ? nw - 2 : 1, width = nw >= 3 ? 3 : nw;
    Py_ssize_t *off = PyMem_Malloc((CHUNK_SHINGLES + 3) * sizeof(Py_ssize_t));
    uint8_t *buf = NULL;
    size_t cap = 0;
    int rc = off == NULL ? (PyErr_NoMemory(), -1) : 0;
    for (Py_ssize_t lo = 0; rc == 0 && lo < shingles; lo += CHUNK_SHINGLES) {
        Py_ssize_t n = shingles - lo < CHUNK_SHINGLES ? shingles - lo : CHUNK_SHINGLES;
        if (PySequence_Fast_GET_SIZE(seq) != nw) {
            PyErr_SetString(PyExc_RuntimeError, "simhash: the word list changed size");
            rc = -1;
            break;
        }
        PyObject **words = PySequence_Fast_ITEMS(seq);
        if ((rc = encode_words(words, lo, lo + n + width - 1, &buf, &cap, off)) < 0) break;
        Py_BEGIN_ALLOW_THREADS
        hash_shingles(buf, off, n, width, counts);
        Py_END_ALLOW_THREADS
    }
    PyMem_Free(buf);
    PyMem_Free(off);
    return rc;
}

/* simhash(words) -> int: the simhash value of a non-empty sequence of str. */
static PyObject *simhash(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "simhash: words must be a sequence");
    if (seq == NULL) return NULL;
    Py_ssize_t nw = PySequence_Fast_GET_SIZE(seq);
    if (nw < 1) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "simhash: no words");
        return NULL;
    }
    int64_t counts[64] = {0};
    int rc = count_bits(seq, nw, counts);
    Py_DECREF(seq);
    if (rc < 0) return NULL;
    Py_ssize_t shingles = nw >= 3 ? nw - 2 : 1;
    uint64_t value = 0;
    for (int b = 0; b < 64; b++)
        if (2 * counts[b] > (int64_t)shingles) value |= 1ULL << b;
    return PyLong_FromUnsignedLongLong(value);
}

/* blake2b_8(data: bytes-like) -> bytes: the 8-byte digest (hashlib.blake2b(data, digest_size=8)). */
static PyObject *py_blake2b_8(PyObject *self, PyObject *arg) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    uint64_t h = blake2b_8(view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    uint8_t out[DIGEST];
    for (int i = 0; i < DIGEST; i++) out[i] = (uint8_t)(h >> (8 * i));
    return PyBytes_FromStringAndSize((const char *)out, DIGEST);
}

static PyMethodDef methods[] = {
    {"simhash", simhash, METH_O, "simhash(words) -> int: 64-bit simhash over word 3-shingles"},
    {"blake2b_8", py_blake2b_8, METH_O, "blake2b_8(data) -> bytes: BLAKE2b with an 8-byte digest"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef simhash_module = {
    PyModuleDef_HEAD_INIT, "_simhash",
    "The enrich stage's simhash in C (see native_simhash.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__simhash(void) {
    for (int v = 0; v < 256; v++) {
        SPREAD[v] = 0;
        for (int i = 0; i < 8; i++) SPREAD[v] |= (uint64_t)((v >> i) & 1) << (8 * i);
    }
    return PyModule_Create(&simhash_module);
}
