"""The rule labeller's view of a page, as evidence for the model (never as a verdict).

Runs the rule labeller's per-line features (signatures, author patterns, datelines, site
template) and its structure pass (reasons and roles), ``workers.core.rules``, and packs
them per line.
"""
from __future__ import annotations

from topics.records import Line
from workers.core.labeller.features import Evidence
from workers.core.labeller.native_columns import word_count
from workers.core.rules import label, line_features
from workers.core.stages.templates import template_view


def rule_evidence(lines: list[Line], profile: dict | None = None, url: str | None = None,
                  doc_id: str | None = None) -> Evidence:
    """The rules' evidence for ``lines``: (reasons, roles) of the structure pass plus the
    per-line signature hits."""
    feats = line_features(lines, profile, template_view(profile, doc_id, lines), word_count=word_count)
    reasons, roles = label(lines, profile, url, doc_id, feats=feats)
    return Evidence(
        reasons=reasons,
        roles=roles,
        template=[f.template for f in feats],
        prose=[f.good for f in feats],
        sig_page=[0 if f.sig is None else (2 if f.sig.weak else 1) for f in feats],
        sig_comment=[f.csig is not None for f in feats],
        sig_author=[f.author is not None or f.trailing is not None for f in feats],
        dateline=[f.dateline for f in feats],
        sig_role=[(f.sig.role if f.sig is not None else (f.csig.role if f.csig is not None else None))
                  for f in feats],
        dom_removed=[ln.reason is not None for ln in lines],
        dom_hints=[ln.hint for ln in lines],
    )
