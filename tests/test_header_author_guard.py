"""header_author's shortcuts (stages/author_lines.py; docs/performance.md, tenth round) answer as its
plain definition: the two lead patterns are searched only where a line can open with a lead,
the user-id pattern only where the text holds a "(", and the line is normalised once."""
from __future__ import annotations

from tests.test_comment_speed import _lines
from workers.core.heuristics.header_lines import NAME_LEAD_WORDS
from workers.core.stages import author_lines as A
from workers.core.stages.authors import NAME_LEAD, tidy_name
from workers.core.stages.text import normalise

TAILS = ("", " ", "x", "y Mara", "osted by Mara", " Mara says:", "3 Mara", ") Mara", ": Mara", "(12) Mara")
EXTRA = ("by cpu6502 (1960974) writes:", "• Mara says:", "(1) Mike says:", "1. 09. Jul, 2012 / Courtney says:",
         "#3 Bram", "# 12 Bram says:", "Posted by Mara (12345) on May 3, 2012", "ſubmitted by Mara",
         "Commented by: Mara", "DOOR Mara op 3 mei 2012", "przez Mara", "* Mara said...", "", " ",
         "Mara " + "x" * 150 + " (123456) says:", "by Mara" + " (123456)" * 30 + " writes:")


def _plain(text: str, trailing: bool = False):
    """header_author as written before the shortcuts."""
    parsed = A.parse_author_line(text, trailing)
    if parsed is None:
        t = normalise(text)
        m = A._HEADER_LEAD.search(t)
        if m is not None and m.end() < len(t):
            parsed = A.parse_author_line(t[m.end():], trailing)
        if parsed is None:
            m = NAME_LEAD.search(t)
            bare = A._USER_ID.sub("", t[m.end():] if m is not None else t)
            if bare != t and bare:
                parsed = A.parse_author_line(bare, trailing)
    if parsed is None:
        return None
    return tidy_name(parsed[0]), parsed[1], parsed[2]


def test_no_lead_starts_match_no_lead() -> None:
    for c in sorted(A._NO_LEAD_STARTS - {""}):
        for tail in TAILS:
            assert A._HEADER_LEAD.search(c + tail) is None, repr(c + tail)
            assert NAME_LEAD.search(c + tail).end() == 0, repr(c + tail)
    for w in NAME_LEAD_WORDS:   # every lead word is one the guard lets through, in either case
        for t in (w + " Mara", w.upper() + ": Mara"):
            assert NAME_LEAD.search(t).end() > 0 and t[0] not in A._NO_LEAD_STARTS


def test_no_header_lead_starts_match_no_mark() -> None:
    for c in sorted(A._NO_HEADER_LEAD_STARTS - {""}):
        for tail in TAILS + tuple(w[1:] + " Mara" for w in NAME_LEAD_WORDS) + ("1. Mara", "(1) Mara"):
            assert A._HEADER_LEAD.search(c + tail) is None, repr(c + tail)
    for t in ("* Mara", "(12) Mara", "#3 Mara", "# 12. Mara", "3. Mara", "12) Mara", "• Mara"):
        assert A._HEADER_LEAD.search(t) is not None and t[0] not in A._NO_HEADER_LEAD_STARTS, t


def test_header_author_answers_as_plain() -> None:
    texts = [t for t in _lines() if t.strip()] + list(EXTRA)
    texts += [p + t for t in texts[:2000] for p in ("by ", "#3 ", "• ", "(12) ", "Posted by ", "3. ")]
    for trailing in (False, True):
        for t in texts:
            assert A.header_author(t, trailing) == _plain(t, trailing), (t, trailing)


def test_long_lines_without_a_paren_read_no_author() -> None:
    """Past ``UNREAD_CHARS`` (the pattern length limit plus the longest lead either lead
    pattern takes off a normalised line), a line without "(" is no author line: on lines of
    every length around the limit, with the longest leads, as the plain reading answers."""
    assert A._LEAD_CHARS == [9, 23] and A.UNREAD_CHARS == A.AUTHOR_LINE_MAX_CHARS + 24
    leads = ("", "#1 ", "# 12345. ", "(1234) ", "• ", "12. ", "Commented by: ", "# 12345. Commented by: ",
             "# 12345.  commented  by:  ", "• submitted by ", "(12) przez ", "ſubmitted by ")
    cores = ("Mara says:", "Mara Lee on May 3, 2012 at 10:15 am", "Posted by Mara on May 3, 2012",
             "Mara said...", "by Mara")
    found = 0
    for lead in leads:
        for core in cores:
            for size in range(A.AUTHOR_LINE_MAX_CHARS - 30, A.UNREAD_CHARS + 8):
                name = "Mara " + "x" * max(0, size - len(lead) - len(core) - 5)
                for t in (lead + core.replace("Mara", name), lead + core + " " + "y" * (size - len(lead) - len(core))):
                    want = _plain(t)
                    assert A.header_author(t) == want, t
                    found += want is not None
                    if len(normalise(t)) > A.UNREAD_CHARS and "(" not in t:
                        assert want is None, t
    assert found >= 4
    # a Drupal line as long as a pattern reads (its time is free text) behind the longest leads
    core = "Submitted by Maria Antonia Fernandez de la Cruz Lopez on Mon, 02/12/2024 - 18:03 "
    long_found = 0
    for lead in leads:
        for size in range(A.AUTHOR_LINE_MAX_CHARS - 3, A.AUTHOR_LINE_MAX_CHARS + 3):
            u = lead + core + "x" * (size - len(core))
            want = _plain(u)
            assert A.header_author(u) == want, u
            long_found += want is not None and len(normalise(u)) > A.AUTHOR_LINE_MAX_CHARS + 5
    assert long_found >= 4
    # the corpus's author lines behind every lead, padded past the limit in their name or after them
    for t in [t for t in _lines() if A.header_author(t) is not None][:300]:
        for lead in leads:
            for pad in ("", " " + "z" * (A.UNREAD_CHARS - len(t) - len(lead)), "Zed " * 8):
                u = lead + pad.strip() + " " + t if pad.startswith("Zed") else lead + t + pad
                assert A.header_author(u) == _plain(u), u
    assert A._max_chars(r"a\s*b") == 3 and A._max_chars(r"a+") is None and A._max_chars(r"\\s*") is None


def test_user_id_core_is_in_every_user_id() -> None:
    """``_USER_ID_CORE`` (searched before ``_USER_ID``'s substitution) matches inside every
    ``_USER_ID`` match, so a text it misses is one the substitution leaves as it is: corpus lines,
    random texts and ids at the edges (other scripts' digits, the lengths 2, 3, 12, 13, no space
    before or after, a text's start and end)."""
    import random

    from tests.test_path_speed import _random_texts
    rnd = random.Random(17)
    ids = ("(12)", "(123)", "(123456789012)", "(1234567890123)", "(١٢٣٤)", "(१२३)", "(12a3)", "( 123)", "(#123)")
    around = ("", " ", "x ", "x", "\u3000", "\t", "x\u00a0", "Mara ")
    edge = [a + i + b for i in ids for a in around for b in ("", " ", "x", " says:", "\n", ")")]
    texts = [t for t in _lines() if "(" in t] + _random_texts(rnd) + edge
    texts += ["by " + rnd.choice(around) + rnd.choice(ids) + rnd.choice(around) + rnd.choice(ids) for _ in range(3000)]
    matched = 0
    for t in texts:
        whole = [m.span() for m in A._USER_ID.finditer(t)]
        core = [m.span() for m in A._USER_ID_CORE.finditer(t)]
        assert all(any(c0 >= s0 and c1 <= s1 for c0, c1 in core) for s0, s1 in whole), t
        if not core:
            assert A._USER_ID.sub("", t) == t, t
        matched += bool(whole)
    assert matched > 500
