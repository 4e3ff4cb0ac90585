"""A trained model committed as JSON: read it only when it was built for the feature list the
code computes (the file's ``features``, in order, are its contract with the code)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence


def read_model_file(path: str | Path, features: Sequence[str]) -> dict[str, Any] | None:
    """The model file's content, or None when it is missing, unreadable, or built for another
    feature list (the caller then falls back to its rules)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or tuple(data.get("features") or ()) != tuple(features):
        return None
    return data
