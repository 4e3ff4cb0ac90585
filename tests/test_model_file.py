"""workers/core/model_file.read_model_file: a committed model is used only when it was built
for the feature list the code computes."""
from __future__ import annotations

import json

from workers.core.model_file import read_model_file


def test_reads_a_model_built_for_these_features(tmp_path):
    p = tmp_path / "m.json"
    p.write_text(json.dumps({"features": ["a", "b"], "weights": [1, 2]}), encoding="utf-8")
    assert read_model_file(p, ("a", "b")) == {"features": ["a", "b"], "weights": [1, 2]}


def test_other_features_missing_or_broken_files_give_none(tmp_path):
    p = tmp_path / "m.json"
    p.write_text(json.dumps({"features": ["a", "b"]}), encoding="utf-8")
    assert read_model_file(p, ("b", "a")) is None          # same names, other order
    assert read_model_file(p, ("a",)) is None
    assert read_model_file(tmp_path / "absent.json", ("a", "b")) is None
    p.write_text("{not json", encoding="utf-8")
    assert read_model_file(p, ("a", "b")) is None
    p.write_text("[1, 2]", encoding="utf-8")
    assert read_model_file(p, ("a", "b")) is None
