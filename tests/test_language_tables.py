"""The language identifier keeps less of py3langid's model in memory (the unrestricted
table, the Python lists of its byte walk) and scores exactly as py3langid restricted to
the same two-letter languages: same language, same probability, on corpus pages, mixed
scripts, random bytes and a text without a single feature."""
from __future__ import annotations

import random

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from tests.conftest import gold_cases
from workers.core.stages.enrich import language as L


def test_scores_equal_py3langids_own():
    li = L._identifier()
    ref = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ref.set_languages([c for c in ref.nb_classes if len(c) == 2])
    assert li.nb_classes == ref.nb_classes
    rng = random.Random(5)
    alphabet = "abcxyz ÄéßøЖжλ日本語ابت\n.,!?0123456789"
    texts = [case["input"]["content"][:1000] for case in gold_cases()]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400))) for _ in range(100)]
    texts += [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))) for _ in range(100)]
    texts += ["", b""]
    for t in texts:
        assert li.classify(t) == ref.classify(t), t[:80]


def test_the_identifier_drops_what_it_does_not_use():
    li = L._identifier()
    assert li._full_model[0] is li.nb_ptc and li.nb_ptc.shape[1] == len(li.nb_classes)
    assert li.walk is not None and li._rowbase == [] and li.tk_output == []
