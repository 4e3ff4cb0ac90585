"""``make train`` = ``python -m workers.training``: rebuild the line labeller from ../shared.

    python -m workers.training [--shared ../shared] [--folds 4] [--rounds N] [--no-save] [--inject measure]

Prints the site-split validation figures next to the training figures and the rules'
figures, then writes ``workers/core/labeller/data/``. Exit codes: 0 done; 2 the training
data is missing (one line says which file; the committed model keeps serving); 1 the
training itself failed (one line).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m workers.training", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared data (../shared)")
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache", help="where the built training data is cached")
    ap.add_argument("--folds", type=int, default=None, help="site-split folds (1: no validation)")
    ap.add_argument("--rounds", type=int, default=None, help="boosting rounds")
    ap.add_argument("--no-save", action="store_true", help="report only; keep the committed model")
    ap.add_argument("--inject", choices=("train", "measure", "off"), default=None,
                    help="pages with injected widgets: trained on and measured (default), measured only, none")
    args = ap.parse_args(argv)
    from workers.core.labeller import model as M
    from workers.training import inject as INJ
    from workers.training import train as T

    try:
        from workers.training.dataset import build_dataset, missing_inputs
    except ImportError as exc:
        print(f"make train: the training-data builder is not available ({exc}); the committed model still serves",
              file=sys.stderr)
        return 2
    missing = missing_inputs(args.shared)
    if missing:
        print(f"make train: training data missing: {missing[0]} (needs ../shared/corpus); "
              f"the committed model still serves", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    try:
        pages = build_dataset(args.shared, cache=args.cache, verbose=True)
        print(f"training data: {len(pages)} pages ({time.monotonic() - t0:.0f} s)", flush=True)
        T.run(pages, folds=args.folds or T.FOLDS, rounds=args.rounds or M.ROUNDS,
              save_dir=None if args.no_save else M.DATA_DIR, log=lambda s: print(s, flush=True),
              shared=None if args.inject == "off" else args.shared,
              inject_train=INJ.TRAIN if args.inject is None else args.inject == "train")
    except Exception as exc:  # noqa: BLE001 - one line, no traceback (project rule)
        print(f"make train: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"make train: done in {time.monotonic() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
