"""What the record-container columns (bench/container_columns.py) look like on the hidden-copies
harness's real pages (bench/hidden_copies_oof.py's cache): per data set (the leak check: a column
must not tell the data sets apart), the Dragnet comment lines each of ``--gates``' rules would take,
the record evidence of the containers the board gate takes, and the containers of the CleanEval
pages whose content is a series of posts:

    nice -n 10 .venv/bin/python bench/container_report.py
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import hidden_copies_oof as O  # noqa: E402
from bench.container_columns import (EARLIER_RATIO, FIRST_RATIO, GATE_SHARE, NAMES,  # noqa: E402
                                     POST_SERIES_PAGES, earlier_board_lines, gated_records, gated_threads,
                                     per_set, record_board_lines)


def main() -> int:
    """Print ``per_set`` over the harness's real pages, ``gated_threads`` for each gate and the
    board gate's containers' record evidence (``gated_records``)."""
    pages, srcs = O.load(lambda s: None)
    O.load_ctr_cache()
    n = len(O._ctr_disk)
    rows = {p.page_id: O.container_rows(p, srcs[p.page_id].content) for p in pages}
    if len(O._ctr_disk) > n:
        O.save_ctr_cache()
    print("set lines n in " + " ".join(f"med:{c}" for c in NAMES[1:]))
    for r in per_set(pages, rows):
        print(" ".join(str(v) for v in r.values()))
    print("Dragnet comment lines under --gates board:", gated_threads(pages, rows, GATE_SHARE))
    print(f"Dragnet comment lines under --gates record (first record ratio {FIRST_RATIO}):",
          gated_threads(pages, rows, GATE_SHARE, record_board_lines))
    print(f"Dragnet comment lines under --gates earlier (earlier record ratio {EARLIER_RATIO}):",
          gated_threads(pages, rows, GATE_SHARE, earlier_board_lines))
    print("containers the board gate takes (Dragnet: with gold comments; other sets: all):")
    for r in gated_records(pages, rows):
        print(" ".join(f"{k}={v}" for k, v in r.items()))
    for k in POST_SERIES_PAGES:  # the CleanEval pages whose content is a series of posts
        x = rows.get(f"cleaneval:cleaneval-dev-{k}:dom")
        if x is not None and len(x):
            print(f"cleaneval-dev-{k}: largest container share {x[:, 2].max():.2f}, its records "
                  f"{2 ** x[x[:, 2].argmax(), 1] - 1:.0f}, run before it {x[x[:, 2].argmax(), 5]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
