"""Strip stage: label every line of a document as content or boilerplate (with a reason).

The input is split into ``Line``s (plain text: number, blank lines before, stripped text;
HTML: the DOM walk's lines, with the DOM's own reasons and hints), then labelled by one of
two labellers, chosen by ``WINNOW_LABELLER``: the trained line labeller
(``workers.core.labeller``, the default) or the rule labeller alone (``workers.core.rules``,
which is also the trained labeller's evidence).

Kept lines have ``reason=None``; their ``hint`` carries the role the labeller gave them
("title", "body", "comment-author", "comment-start", "comment"), which the segment stage
reads. (For text/html the DOM hint of a kept line is replaced by that role.)
"""
from __future__ import annotations

from typing import Any

from topics.records import Line, RawDocument, StrippedDocument
from workers.core.stages.ingest import site_key
from workers.core.rules import label
from workers.core.stages.text import split_lines


def _html_lines(html: str, with_dom: bool = False) -> tuple[list[Line], dict[str, Any]]:
    from workers.core.stages import html as H

    if with_dom:  # the trained labeller reads the DOM feature matrix too (same lines)
        lines, dom, meta = H.html_page(html)
        return [ln if isinstance(ln, Line) else Line.from_dict(ln) for ln in lines], dict(meta or {}, _dom=dom)
    fn = getattr(H, "flatten_html_lines", None)
    if fn is not None:
        lines, meta = fn(html)
        return [ln if isinstance(ln, Line) else Line.from_dict(ln) for ln in lines], dict(meta or {})
    text, meta = H.flatten_html(html)
    return split_lines(text), dict(meta or {})


RULES = "rules"
MODEL = "model"
# "auto": the trained model for HTML input and plain text alike (docs/model.md: the model leads
# the rules out of fold on every HTML set and on the blind plain-text pages)
AUTO = "auto"


def effective_labeller(labeller: str) -> str:
    """The labeller that serves one record under the WINNOW_LABELLER setting ``labeller``."""
    low = labeller.lower()
    if low == AUTO:
        return MODEL
    return low


def labeller_version(labeller: str = RULES) -> str:
    """What ``label_lines`` stamps for this setting, without loading the model: "rules",
    or the installed model's version when ``labeller`` is "model" or "auto" and a model is
    installed."""
    if effective_labeller(labeller) == MODEL:
        from workers.core.labeller.model import available, committed_version

        if available():
            return committed_version()
    return RULES


def label_lines(lines: list[Line], profile: dict | None, url: str | None, doc_id: str | None,
                labeller: str = RULES, dom: Any = None) -> tuple[list[str | None], list[str | None], str]:
    """(reasons, roles, labeller used): the rules alone ("rules", the default) or the trained
    model ("model"; the rule labeller's answers are its evidence; the rules also serve when no
    model file is installed). ``dom``: the HTML input's per-line DOM matrix (model only)."""
    if labeller.lower() == "model":
        from workers.core.labeller import apply as LA

        if LA.model_available():
            pl = LA.label_page(lines, profile, url, doc_id, dom=dom)
            return pl.reasons, pl.roles, LA.model_version()
    reasons, roles = label(lines, profile, url, doc_id)
    return reasons, roles, RULES


def strip(raw: RawDocument, profile: dict[str, Any] | None = None, site: str | None = None,
          labeller: str = RULES) -> StrippedDocument:
    """Label every line of ``raw``; ``profile``: the site's template profile; ``site``: its
    site key when the caller has it already; ``labeller``: "rules", "model" or "auto"
    (``effective_labeller``, ``label_lines``)."""
    html_meta: dict[str, Any] = {}
    labeller = effective_labeller(labeller)
    if raw.content_type == "text/html":
        lines, html_meta = _html_lines(raw.content, with_dom=labeller == MODEL)
    else:
        lines = split_lines(raw.content)
    reasons, roles, used = label_lines(lines, profile, raw.url, raw.id, labeller, html_meta.pop("_dom", None))
    # positional (n, text, blank_before, reason, hint): a third faster than keywords, per line
    out = [Line(ln.n, ln.text, ln.blank_before, r, role if r is None else ln.hint)
           for ln, r, role in zip(lines, reasons, roles)]
    return StrippedDocument(
        id=raw.id or "", url=raw.url, content_type=raw.content_type or "text/plain",
        fetched_at=raw.fetched_at, source=raw.source, site=site if site is not None else site_key(raw.url, raw.source),
        lines=out, html_meta=html_meta, model_version=used,
    )
