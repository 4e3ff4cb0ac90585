"""text_columns.scan_lines: every whole-text scan's matches counted per line at once are each
pattern's ``finditer`` matches counted by the line they start on (a match may run past its
line's end: it counts on the line it starts on), on pages with dates, times, URLs, non-ASCII
text, empty lines and no match at all."""
from __future__ import annotations

import numpy as np
import pytest

from workers.core.labeller import text_columns as T

LINES = ["3 days ago", "03.05.2023, 07:41", "", "http://example.com www.x.org a@b.de", "Ünïcödé 1999 2024",
         "日本語 12:30 pm", "May 5, 2020", "nothing here", "mars 2021\tle 4 juin", "x" * 50, "\ud800 lone 1888",
         "11.30 uhr und 9h15", "just now", "yesterday at 5 pm"]


def _reference(texts: list[str]) -> dict[str, list[int]]:
    data = "\n".join(texts).encode("utf-8", "surrogatepass")
    line_of = np.cumsum(np.frombuffer(data, dtype=np.uint8) == 10)  # the line of each byte
    out = {}
    for name, rx in T.SCANS:
        counts = [0] * len(texts)
        for m in rx.finditer(data):
            counts[int(line_of[m.start()] - (data[m.start()] == 10))] += 1
        out[name] = counts
    return out


def _starts_b(texts: list[str]) -> np.ndarray:
    sizes = np.array([len(t.encode("utf-8", "surrogatepass")) + 1 for t in texts], dtype=np.int64)
    return np.concatenate([[0], np.cumsum(sizes[:-1])]).astype(np.int64)


@pytest.mark.parametrize("texts", [LINES, LINES[::-1], ["nothing"], [""], ["", ""], ["2020"] * 3,
                                   [" ".join(LINES)], ["a", "May", "2020", "mai"]])
def test_scan_counts_per_line(texts):
    data = "\n".join(texts).encode("utf-8", "surrogatepass")
    got = T.scan_lines(T.SCANS, data, _starts_b(texts), len(texts))
    want = _reference(texts)
    assert list(got) == [name for name, _ in T.SCANS]
    for name, counts in want.items():
        assert got[name].dtype == np.float32 and got[name].tolist() == counts, name
    if texts is LINES:
        assert all(sum(c) > 0 for c in want.values())  # every scan matches somewhere


def test_random_pages():
    rng = np.random.default_rng(4)
    for _ in range(30):
        texts = [LINES[i] for i in rng.integers(0, len(LINES), int(rng.integers(1, 40)))]
        data = "\n".join(texts).encode("utf-8", "surrogatepass")
        got = T.scan_lines(T.SCANS, data, _starts_b(texts), len(texts))
        assert {k: v.tolist() for k, v in got.items()} == _reference(texts)
