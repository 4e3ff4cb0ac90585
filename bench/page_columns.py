"""Experimental page-level columns for the hidden-copies harness (bench/hidden_copies_oof.py,
issue #10), appended to a page's rows; none is a model column. Each is meant to tell, without
class words, a thread *under* an article from a thread that *is* the page's content: the article's
prose comes before the thread, and a board's posts or a front page's signed posts hold the page's
prose.

All read only the line texts, the class-free tag path (``path_bucket``) or the page's URL, so the
hiding of class and id words in the copies leaves them as they are. Measured in docs/model.md
("Page-level columns with the copies").
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workers.core.heuristics import dom_features as DF  # noqa: E402
from workers.core.stages.page_kind import _url_kind  # noqa: E402

# a prose line: at least this many characters (a paragraph, not a name, date or menu item)
PROSE_CHARS = 60
_PATH = DF.DOM_FEATURE_INDEX["path_bucket"]


def _prose_and_paths(page) -> tuple[np.ndarray, np.ndarray]:
    chars = np.array([len(ln.text) if len(ln.text) >= PROSE_CHARS else 0 for ln in page.lines], dtype=np.float64)
    path = np.nan_to_num(np.asarray(page.dom)[:, _PATH], nan=-1).astype(np.int64) + 1
    return chars, path


def path_prose_share(chars: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Share of the page's prose on lines of this line's tag path (content holds most of it)."""
    per = np.bincount(path, weights=chars, minlength=DF.PATH_BUCKETS + 1)
    return per[path] / max(chars.sum(), 1.0)


def prose_before(chars: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Share of the page's prose on the lines before this one."""
    return (np.cumsum(chars) - chars) / max(chars.sum(), 1.0)


def run_prose_before(chars: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Share of the page's prose on other tag paths before the first line of this line's path: an
    article before the run this line belongs to (a thread under an article), or none (a thread,
    list of posts or article that opens the page's content)."""
    n = len(chars)
    first = np.full(DF.PATH_BUCKETS + 1, n, dtype=np.int64)
    np.minimum.at(first, path, np.arange(n))
    cum = np.concatenate([[0.0], np.cumsum(chars)])  # prose before index i: cum[i]
    # prose of this path before its first line is zero, so cum[first] is the other paths' prose
    return cum[first[path]] / max(chars.sum(), 1.0)


def other_path_prose(chars: np.ndarray, path: np.ndarray) -> np.ndarray:
    """The largest share of the page's prose held by one tag path other than this line's: an
    article elsewhere on the page (high) or this line's run being the page's prose (low)."""
    per = np.bincount(path, weights=chars, minlength=DF.PATH_BUCKETS + 1) / max(chars.sum(), 1.0)
    order = np.argsort(per)[::-1]
    top, second = order[0], order[1]
    return np.where(path == top, per[second], per[top])


def _article_run(chars: np.ndarray, share: bool = True) -> tuple[int, float]:
    """(last line, share of the page's prose, or its characters) of the page's largest run of consecutive prose lines:
    an article's paragraphs follow one another, a thread's posts have names and dates between."""
    best_end, best, run = -1, 0.0, 0.0
    for i, c in enumerate(chars):
        run = run + c if c else 0.0
        if run > best:
            best_end, best = i, run
    return best_end, best / max(chars.sum(), 1.0) if share else best


def article_share(chars: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Share of the page's prose in its largest run of consecutive prose lines (a page-level value)."""
    return np.full(len(chars), _article_run(chars)[1])


def after_article(chars: np.ndarray, path: np.ndarray) -> np.ndarray:
    """That share on the lines after the run (a thread under an article), 0 on the run and before."""
    end, share = _article_run(chars)
    return np.where(np.arange(len(chars)) > end, share, 0.0)


def after_article_chars(chars: np.ndarray, path: np.ndarray) -> np.ndarray:
    """log2 of the run's characters on the lines after it (an article of some size before this
    line, whatever the thread's own prose), 0 on the run and before."""
    end, n = _article_run(chars, share=False)
    return np.where(np.arange(len(chars)) > end, np.log2(1.0 + n), 0.0)


# URL kinds whose pages are series of posts by design (the page-kind rules' URL evidence, which no
# class word feeds: the copies' hiding leaves it as it is)
POST_SERIES_URL_KINDS = frozenset({"forum"})


def url_post_series(page) -> float:
    """1 when the page's URL names a forum (``page_kind``'s URL rules), 0 otherwise, NaN without one."""
    url = getattr(page, "url", None)
    return float("nan") if not url else float(_url_kind(url) in POST_SERIES_URL_KINDS)


COLUMNS = {"path_prose_share": path_prose_share, "prose_before": prose_before,
           "run_prose_before": run_prose_before, "other_path_prose": other_path_prose,
           "article_share": article_share, "after_article": after_article,
           "after_article_chars": after_article_chars}
def url_post_series_filled(page) -> float:
    """The same, 0 without a URL: in the corpus, which pages have a URL names their data set
    (Dragnet's and Readability's have none), so a NaN is the set's identity, not evidence."""
    v = url_post_series(page)
    return 0.0 if v != v else v


# columns of one value a page, read from the page itself
PAGE_VALUES = {"url_post_series": url_post_series, "url_post_series_filled": url_post_series_filled}
NAMES = (*COLUMNS, *PAGE_VALUES)


def columns(page, names: tuple[str, ...]) -> np.ndarray:
    """The page's rows of the named columns (NaN without a DOM)."""
    n = len(page.lines)
    if page.dom is None or n == 0:
        return np.full((n, len(names)), np.nan, dtype=np.float32)
    chars, path = _prose_and_paths(page)
    return np.stack([np.full(n, PAGE_VALUES[c](page)) if c in PAGE_VALUES else COLUMNS[c](chars, path)
                     for c in names], axis=1).astype(np.float32)


def append_columns(items, names: tuple[str, ...]) -> None:
    """Append the named columns to every item's feature rows (in place)."""
    if not names:
        return
    for it in items:
        it.X = np.concatenate([it.X, columns(it.page, names)], axis=1)
