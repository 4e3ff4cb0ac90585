"""The body's language: py3langid restricted to two-letter codes, loaded once.
"""
from __future__ import annotations

import re

import numpy as np

from topics.records import SegmentedDocument
from workers.core.stages.enrich.quality import round4


_LANGID = None


def _identifier():
    """py3langid's identifier restricted to ISO 639-1 (two-letter) languages, loaded once."""
    global _LANGID
    if _LANGID is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        li = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        li.set_languages([c for c in li.nb_classes if len(c) == 2])
        # the restricted table comes out column-major, so each document's gather of its
        # feature rows was strided: the same values row-major (same memory) gather ~5x faster
        li.nb_ptc = np.ascontiguousarray(li.nb_ptc)
        _LANGID = li
    return _LANGID


def detect_language(doc: SegmentedDocument, body: str) -> tuple[str | None, float | None]:
    text = body[:1000]
    letters = sum(map(str.isalpha, text[:400]))
    if letters < 40:
        extra = " ".join([doc.title or ""] + [c.text for c in doc.comments[:20]])
        text = (text + "\n" + extra)[:1000]
    if sum(map(str.isalpha, text[:400])) < 40:
        # nothing left but chrome (an error page): the page's own words still tell the language
        extra = " ".join(r.text for r in doc.removed[:200])
        text = (text + "\n" + extra)[:1000]
    if sum(map(str.isalpha, text[:400])) < 10:
        lang = str((doc.html_meta or {}).get("lang") or "").lower()
        code = re.split(r"[-_]", lang)[0] if lang else ""
        return (code, None) if len(code) == 2 and code.isalpha() else (None, None)
    code, prob = _identifier().classify(text)
    return code, round4(prob)
