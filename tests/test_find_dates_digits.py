"""find_dates answers [] at once for a text without a digit (every date pattern holds \\d): the
same dates as the three passes run on every text, on the corpus's lines and random texts
with and without digits of other scripts."""
import json
import random
from pathlib import Path

from workers.core.stages import dates as D


def _passes(text: str, month_first):
    """find_dates without the digit test: the three passes on every text."""
    text = (text or "")[:5000]
    out, spans = [], D._Spans()
    D._name_dates(text, spans, out)
    D._ymd_dates(text, spans, out)
    D._numeric_dates(text, spans, out, month_first)
    out.sort(key=lambda x: x[0])
    return out


def test_find_dates_without_digits_is_the_passes():
    texts = ["", "Posted on May 3, 2023", "3 mai 2023", "Mittwoch, 3. Mai 2023", "2023年5月3日",
             "٣ مايو ٢٠٢٣", "May ３, ２０２３", "03.05.2023", "Monday, May", "Mai", "x" * 6000 + " 3 May 2023"]
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    for f in sorted(corpus.glob("*/*.json")):
        texts.extend(json.loads(f.read_text(encoding="utf-8"))["input"]["content"].split("\n"))
    rng = random.Random(10)
    alphabet = "Mayo Mai janvier 年月日 ,./-" + "0123456789" + "٠١٢٣٤٥٦٧٨٩" + "０１２３"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(3000)]
    found = 0
    for t in texts:
        for mf in (None, True, False):
            got = D.find_dates(t, mf)
            assert got == _passes(t, mf), t
            found += bool(got)
    assert found > 100  # dates were found, not only nothing
