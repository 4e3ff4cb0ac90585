"""What the record-container columns (bench/container_columns.py) look like on the hidden-copies
harness's real pages (bench/hidden_copies_oof.py's cache): per data set (the leak check: a column
must not tell the data sets apart), the Dragnet comment lines ``--container-gate`` would take, and
the containers of the CleanEval pages whose content is a series of posts:

    nice -n 10 .venv/bin/python bench/container_report.py
"""
from __future__ import annotations

import pickle
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import hidden_copies_oof as O  # noqa: E402
from bench.container_columns import (GATE_SHARE, NAMES, POST_SERIES_PAGES, columns,  # noqa: E402
                                     gated_threads, per_set)


def main() -> int:
    """Print ``per_set`` over the harness's real pages and ``gated_threads``."""
    pages, srcs = O.load(lambda s: None)
    rows = pickle.loads(O.CTR_CACHE.read_bytes()) if O.CTR_CACHE.exists() else {}
    for p in pages:
        if p.page_id not in rows:
            rows[p.page_id] = columns(srcs[p.page_id].content, p, NAMES)
    print("set lines n in " + " ".join(f"med:{c}" for c in NAMES[1:]))
    for r in per_set(pages, rows):
        print(" ".join(str(v) for v in r.values()))
    print("Dragnet comment lines under --container-gate:", gated_threads(pages, rows, GATE_SHARE))
    for k in POST_SERIES_PAGES:  # the CleanEval pages whose content is a series of posts
        x = rows.get(f"cleaneval:cleaneval-dev-{k}:dom")
        if x is not None and len(x):
            print(f"cleaneval-dev-{k}: largest container share {x[:, 2].max():.2f}, its records "
                  f"{2 ** x[x[:, 2].argmax(), 1] - 1:.0f}, run before it {x[x[:, 2].argmax(), 5]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
