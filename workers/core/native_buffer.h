/* The buffer check every C extension of workers/core shares (labeller/_columns.c with its
 * _columns_marks.h, labeller/_viterbi.c, stages/enrich/_langid.c): a C-contiguous view of a
 * buffer the caller allocated (numpy arrays), of `itemsize`-byte items, `count` of them
 * (negative: any number), writable when asked. A buffer of another item size or length is a
 * ValueError naming `what`, never a read past its end. Included by each module's .c file
 * (listed in its pyproject.toml `depends`): static, so each module has its own copy. */
#ifndef WINNOW_NATIVE_BUFFER_H
#define WINNOW_NATIVE_BUFFER_H

#include <Python.h>

static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, Py_ssize_t count,
                      int writable, const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    if (view->itemsize != itemsize || (count >= 0 && view->len != count * itemsize)) {
        if (count >= 0)
            PyErr_Format(PyExc_ValueError, "%s: %zd bytes of %zd-byte items, expected %zd items of "
                         "%zd bytes", what, view->len, view->itemsize, count, itemsize);
        else
            PyErr_Format(PyExc_ValueError, "%s: %zd bytes of %zd-byte items, expected items of %zd "
                         "bytes", what, view->len, view->itemsize, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

#endif
