"""HTML input: flatten raw HTML to WET-like text (one line per block) plus head metadata.

PLACEHOLDER, to be replaced.
"""
from __future__ import annotations

from typing import Any


def flatten_html(html: str) -> tuple[str, dict[str, Any]]:
    import re
    text = re.sub(r"<[^>]{0,2000}>", "\n", html)
    return text, {}
