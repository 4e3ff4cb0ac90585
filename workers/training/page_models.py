"""``make train``'s last step: the page-kind model (``page_kind_train``), then the title chooser
(``title_train``), in one process so the WCXB pages go through the pipeline once for both
(``page_kind_train.segmented_pages``; the documents up to segment do not read the page-kind
model, so each model is the same as its own module writes).

    python -m workers.training.page_models [--shared ../shared] [--no-save]

Exit code: the first non-zero of the two (each prints its own one-line reason), else 0.
"""
from __future__ import annotations

import sys

from workers.training import page_kind_train, title_train


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    rc = page_kind_train.main(args)
    return rc or title_train.main(args)


if __name__ == "__main__":
    raise SystemExit(main())
