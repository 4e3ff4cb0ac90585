"""Varied small synthetic text documents from many sites, for the crash tests
(``tests/test_crash_recovery.py`` and ``make crash-test``). Deterministic: the same
arguments give the same documents."""
from __future__ import annotations

import random

WORDS = ("river harbour council budget school library festival market railway bridge garden museum "
         "weather storm farmers election volunteers hospital orchestra bakery cyclists ferry lighthouse "
         "archive mayor residents tourism football theatre meadow").split()


def synthetic_documents(n: int, seed: int = 7, prefix: str = "crash") -> list[dict]:
    """``n`` raw records of a few hundred bytes over 97 sites, ids ``<prefix>-00000``..."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        site = f"site{i % 97:02d}.example"
        sentences = []
        for _ in range(rng.randint(2, 6)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(5, 14))]
            sentences.append(" ".join(words).capitalize() + ".")
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).title()
        body = "\n\n".join(" ".join(sentences[j:j + 2]) for j in range(0, len(sentences), 2))
        docs.append({"id": f"{prefix}-{i:05d}", "url": f"https://{site}/news/{i}", "source": "crash-test",
                     "fetched_at": "2024-05-01T12:00:00Z", "content_type": "text/plain",
                     "content": f"{title}\n\n{body}\n"})
    return docs
