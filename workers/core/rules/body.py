"""The article body: the maximum-sum run of lines before the comments (a 1-D densest-block
search), the list block that may close it, and the sign-up box blurbs around it.
"""
from __future__ import annotations

from topics.records import Line
from workers.core.heuristics import thresholds as T
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.rules.features import LineFeatures
from workers.core.stages.text import ends_sentence, words_of


BULLETS = frozenset("•◦▪▫‣∙●○■□➢➤►")


def body_span(feats: list[LineFeatures], lo: int, hi: int, lines: list[Line]) -> tuple[int, int] | None:
    """Maximum-sum contiguous run of lines in [lo, hi): the article body."""
    if hi <= lo:
        return None
    scores = []
    shorts = [False] * (hi - lo)
    bullets = [lines[k].text[:1] in BULLETS and len(lines[k].text) > 2 for k in range(lo, hi)]
    for k in range(lo, hi):
        f = feats[k]
        strong = f.sig is not None and not f.sig.weak
        shorts[k - lo] = (not f.good and not strong and f.words <= T.SHORT_MAX_WORDS and not bullets[k - lo])
    for k in range(lo, hi):
        f = feats[k]
        strong = (f.sig is not None and not f.sig.weak) or f.template
        if f.good and not f.template:
            s = min(f.words, T.SCORE_GOOD_CAP) * 0.5
            prev_good = k > lo and feats[k - 1].good
            next_good = k + 1 < hi and feats[k + 1].good
            if not prev_good and not next_good and k > lo:
                pf = feats[k - 1]
                nf = feats[k + 1] if k + 1 < hi else None
                headline_above = (pf.sig is None and 4 <= pf.words <= 20
                                  and not ends_sentence(lines[k - 1].text))
                between_links = (pf.words <= T.SHORT_MAX_WORDS and (pf.sig is None or pf.sig.weak)
                                 and nf is not None and nf.words <= T.SHORT_MAX_WORDS
                                 and (nf.sig is None or nf.sig.weak)
                                 and not lines[k].text.rstrip().endswith(":"))
                if headline_above or between_links:
                    s *= T.ISOLATED_GOOD_FACTOR   # a teaser under a headline link, not a run of paragraphs
        elif strong or f.dateline:
            s = T.SCORE_SIGNATURE
        elif bullets[k - lo]:
            s = T.SCORE_LIST_ITEM   # a bulleted list item: article lists, rarely menus in flattened text
        elif f.sig is not None:
            s = T.SCORE_WEAK_SIGNATURE
        elif f.words > T.SHORT_MAX_WORDS:
            s = T.SCORE_MEDIUM
        else:
            # a short line inside a run of short lines is menu-like
            a = k - lo
            run = 1
            b = a - 1
            while b >= 0 and shorts[b] and run < T.MENU_RUN:
                run += 1
                b -= 1
            b = a + 1
            while b < hi - lo and shorts[b] and run < T.MENU_RUN:
                run += 1
                b += 1
            s = T.SCORE_LINKLIKE_RUN if run >= T.MENU_RUN else T.SCORE_SHORT
        scores.append(s)
    best, best_span = 0.0, None
    cur, cur_start = 0.0, lo
    for k, s in enumerate(scores, start=lo):
        if cur <= 0:
            cur, cur_start = 0.0, k
        cur += s
        if cur > best:
            best, best_span = cur, (cur_start, k + 1)
    return best_span


_LINK_ROW_SEPS = (" | ", " · ", " • ", " » ", " › ", " / ")


def tail_block_end(lines: list[Line], feats: list[LineFeatures], prelim: list[str | None], reasons: list[str | None],
                    end: int, c_start: int) -> int:
    """The body span may stop at its last paragraph although a subheading and a short list
    follow it right before the comment widget ("What you need" / three items / "Add a
    comment"): the Kadane sum counts short lines as menu-like. Such a block is body when it
    directly follows prose and directly precedes the comment section (or a comment-widget
    line), and looks like a list: short unlabelled lines, no signature (so no nav words), no
    link-row separators, not only name-like lines (a bio, a byline). Returns the new end."""
    if end <= 0 or end >= c_start or not feats[end - 1].good:
        return end
    j = end
    while j < c_start and j - end <= T.TAIL_BLOCK_MAX_LINES:
        f = feats[j]
        text = lines[j].text
        if (reasons[j] is not None or prelim[j] is not None or f.sig is not None or f.template or f.dateline
                or f.author is not None or f.trailing is not None or not 1 <= f.words <= T.TAIL_BLOCK_MAX_WORDS
                or any(sep in text for sep in _LINK_ROW_SEPS)):
            break
        j += 1
    size = j - end
    if not T.TAIL_BLOCK_MIN_LINES <= size <= T.TAIL_BLOCK_MAX_LINES:
        return end
    if j < c_start:
        f = feats[j]
        if not (f.sig is not None and not f.sig.weak and f.sig.reason in COMMENT_REASONS
                and f.sig.role in ("start", "end", "empty")):
            return end
    # list items, not headlines: a related/recommended list under the article is a column of
    # Title Case headlines ("Transfer Contacts to iPhone Without iTunes"), "key: value" rows or links
    for k in range(end + 1, j):
        if _headline_case(lines[k].text) or ":" in lines[k].text or "http" in lines[k].text.lower() \
                or "www." in lines[k].text.lower():
            return end
    head = lines[end].text.rstrip()
    if ":" in head[:-1] or (_headline_case(head) and head.endswith(":")):
        return end  # "Image: Credit", "Related Articles:"
    return j


def _headline_case(text: str) -> bool:
    """Title Case: most words of 4+ letters start with a capital (a headline, a link title)."""
    long = [w for w in words_of(text) if len(w) >= 4 and w[0].isalpha()]
    if not long:
        return bool(words_of(text)) and all(w[0].isupper() for w in words_of(text) if w[0].isalpha())
    return sum(1 for w in long if w[0].isupper()) * 2 > len(long)


def newsletter_blurbs(lines: list[Line], feats: list[LineFeatures], prelim: list[str | None], reasons: list[str | None],
                       roles: list[str | None], in_region: list[bool]) -> None:
    """A short pitch line sandwiched in a sign-up box ("Sign up to our newsletter" / "The
    week's news, every Friday." / "Email address" / "Sign up") goes with the box: inside the
    article the body span bridges the box (its blurb would stay body), after it the blurb
    would get the region's generic reason."""
    n = len(lines)

    def box_line(i: int) -> bool:
        f = feats[i]
        return f.sig is not None and (f.sig.reason == "newsletter" or f.sig.name == "wp-form-fields")

    def free(i: int) -> bool:  # no signature, no DOM reason: labelled only by its region
        return (not in_region[i] and lines[i].reason is None and prelim[i] is None and feats[i].sig is None
                and not feats[i].dateline and feats[i].words <= T.BOX_BLURB_MAX_WORDS)

    for k in range(n):
        f = feats[k]
        if f.sig is None or f.sig.reason != "newsletter" or in_region[k]:
            continue
        run = []
        j = k + 1
        while j < n and len(run) <= T.BOX_BLURB_MAX_LINES and free(j):
            run.append(j)
            j += 1
        if not run or len(run) > T.BOX_BLURB_MAX_LINES or j >= n or not box_line(j):
            continue
        for i in run:
            reasons[i] = "newsletter"
            roles[i] = None
