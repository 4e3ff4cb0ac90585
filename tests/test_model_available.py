"""labeller.model.available answers the files on disk; model.ready (what the strip stage asks
per page) answers from the loaded model once it is loaded, without reading a file again."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workers.core.labeller import model as M


def _install(tmp: Path, meta: dict) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / M.MODEL_FILE).write_bytes(b"trees")
    (tmp / M.META_FILE).write_text(json.dumps(meta), encoding="utf-8")


def test_available_answers_the_files_on_disk(tmp_path):
    assert not M.available(tmp_path)
    _install(tmp_path, {"version": "v1"})
    assert M.available(tmp_path)
    meta_file = tmp_path / M.META_FILE
    meta_file.write_text(json.dumps({"version": "v2", "html_model": M.HTML_MODEL_FILE}), encoding="utf-8")
    assert not M.available(tmp_path)  # names HTML trees that are not installed
    (tmp_path / M.HTML_MODEL_FILE).write_bytes(b"html trees")
    assert M.available(tmp_path)
    for bad in ("not json", "[1, 2]"):
        meta_file.write_text(bad, encoding="utf-8")
        assert not M.available(tmp_path)
    assert not M.ready(tmp_path)  # never loaded: ready is the disk's answer


@pytest.mark.skipif(not M.available(), reason="no committed model")
def test_ready_reads_no_file_once_the_model_is_loaded(tmp_path, monkeypatch):
    for name in (M.META_FILE, M.MODEL_FILE, M.HTML_MODEL_FILE):
        if (M.DATA_DIR / name).is_file():
            shutil.copy(M.DATA_DIR / name, tmp_path / name)
    monkeypatch.setattr(M, "_CACHE", {})
    assert M.ready(tmp_path)
    lab = M.load(tmp_path)
    assert lab.version == M.committed_version(tmp_path)
    reads = []
    for cls_name in ("read_text", "read_bytes", "stat", "is_file"):
        real = getattr(Path, cls_name)

        def counting(self, *a, _real=real, **k):
            reads.append(self)
            return _real(self, *a, **k)

        monkeypatch.setattr(Path, cls_name, counting)
    assert all(M.ready(tmp_path) for _ in range(50)) and reads == []
    monkeypatch.undo()
    monkeypatch.setattr(M, "_CACHE", {tmp_path: lab})
    for name in (M.META_FILE, M.MODEL_FILE):
        (tmp_path / name).unlink()
    # the files gone while the worker runs: the loaded model keeps serving, the disk says no
    assert M.ready(tmp_path) and not M.available(tmp_path) and M.load(tmp_path) is lab
