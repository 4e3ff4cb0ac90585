"""labeller.model.available: the metadata's "html_model" is read once per version of the file
(path, modification time, size), not once per page, and a rewritten metadata file is read again."""
from __future__ import annotations

import json
import os
from pathlib import Path

from workers.core.labeller import model as M


def _install(tmp: Path, meta: dict) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / M.MODEL_FILE).write_bytes(b"trees")
    (tmp / M.META_FILE).write_text(json.dumps(meta), encoding="utf-8")


def test_metadata_read_once_per_file_version(tmp_path, monkeypatch):
    _install(tmp_path, {"version": "v1"})
    reads = []
    real = Path.read_text

    def counting(self, *a, **k):
        reads.append(self)
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", counting)
    assert all(M.available(tmp_path) for _ in range(50))
    assert len(reads) == 1
    # the metadata rewritten to name HTML trees that are not installed: read again, not available
    meta_file = tmp_path / M.META_FILE
    meta_file.write_text(json.dumps({"version": "v2", "html_model": "labeller-html.txt.gz"}), encoding="utf-8")
    st = meta_file.stat()
    os.utime(meta_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert not M.available(tmp_path) and len(reads) == 2
    (tmp_path / "labeller-html.txt.gz").write_bytes(b"html trees")
    assert M.available(tmp_path) and len(reads) == 2
    meta_file.write_text("not json", encoding="utf-8")
    assert not M.available(tmp_path)
