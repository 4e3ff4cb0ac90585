"""A page's line-labeller feature matrix held as its parts (``features.page_rows``), any run of
rows built on demand: a large page is scored a run of rows at a time (``predict.page_proba``)
without its whole matrix in memory, and ``features.page_features`` is the parts' rows 0..n."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workers.core.labeller.arrays import smooth_rows, window_rows


@dataclass(slots=True)
class PageRows:
    """A page's feature matrix held as its parts, any run of rows built on demand (``rows``):
    the base columns, the window columns zero-padded, the moving-average columns' cumulative
    sums, the page and span columns, the DOM matrix and its context. The whole matrix of a
    large page is ~1.4 KB a line; its parts are about a third of that."""
    base: np.ndarray            # lines x _NB, float32
    padded: np.ndarray          # window columns, zero rows above and below (arrays.padded), float32
    sums: np.ndarray            # (lines + 1) x smooth columns: cumulative sums (arrays.smooth)
    page: np.ndarray            # lines x len(LF.PAGE)
    span: np.ndarray            # lines x len(LF.SPAN)
    dom: np.ndarray | None      # lines x DOM columns (None: NaN columns, or no DOM columns)
    context: np.ndarray | None  # lines x DOM context columns
    width: int                  # the matrix's column count
    dom_width: int              # DOM columns (0: a matrix without DOM columns)
    bounds: tuple[int, int, int, int, int]  # where the window, smooth, page, span, DOM columns start

    @property
    def n(self) -> int:
        return self.base.shape[0]

    def rows(self, a: int, b: int, out: np.ndarray | None = None) -> np.ndarray:
        """Rows ``a:b`` of the matrix, the same values as the whole matrix's rows."""
        X = np.empty((b - a, self.width), dtype=np.float32) if out is None else out
        nb, nw, ns, np_, nx = self.bounds
        if not (a == 0 and self.base.base is X):  # (page_features: the base columns are X's already)
            X[:, :nb] = self.base[a:b]
        window_rows(self.padded, a, b, out=X[:, nb:nw])
        smooth_rows(self.sums, a, b, self.n, out=X[:, nw:ns])
        X[:, ns:np_] = self.page[a:b]
        X[:, np_:nx] = self.span[a:b]
        if self.dom_width:
            nd = nx + self.dom_width
            if self.dom is None:
                X[:, nx:] = np.nan
            else:
                X[:, nx:nd] = self.dom[a:b]
                X[:, nd:] = self.context[a:b]
        return X
