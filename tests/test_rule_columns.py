"""features._rule_features: the rule evidence columns read from one-hot rows are the columns
of the comparisons they stand for (each id compared with each value, cast to float32), bit for
bit, on random evidence with unknown reasons, roles and hints and with no DOM hints at all."""
from __future__ import annotations

from itertools import repeat

import numpy as np
import pytest

from workers.core.heuristics import line_features as LF
from workers.core.labeller import features as F


def _reference(ev: F.Evidence, n: int) -> dict[str, np.ndarray]:
    f32 = np.float32
    gid = np.array([F._REASON_GID_NONE.get(r, F._GROUP_ID["other"]) for r in ev.reasons])
    rid = np.array([F._ROLE_ID.get(r, -1) for r in ev.roles])
    hid = np.array([F._HINT_ID.get(h, -1) for h in ev.dom_hints]) if len(ev.dom_hints) else np.full(n, -1)
    out = {f"rule_group_{g}": (gid == i).astype(f32) for g, i in F._GROUP_ID.items()}
    out.update({f"rule_role_{r}": (rid == i).astype(f32) for r, i in F._ROLE_ID.items()})
    out.update({name: (hid == F._HINT_ID[h]).astype(f32) for h, name in LF.DOM_HINTS.items()})
    out["rule_kept"] = out["rule_group_kept"]
    out["rule_comment"] = ((gid == F._GROUP_ID["comment"]) | (rid >= F._ROLE_ID["comment-author"])).astype(f32)
    for name, values in (("rule_template", ev.template), ("rule_prose", ev.prose), ("sig_comment", ev.sig_comment),
                         ("sig_author", ev.sig_author), ("sig_dateline", ev.dateline), ("dom_removed", ev.dom_removed)):
        out[name] = np.asarray(values, dtype=f32)
    sp = np.asarray(ev.sig_page)
    out["sig_page"], out["sig_weak"] = (sp > 0).astype(f32), (sp == 2).astype(f32)
    sr = np.array([{"start": 1, "end": 2}.get(r, 0) for r in ev.sig_role])
    out["sig_start"], out["sig_end"] = (sr == 1).astype(f32), (sr == 2).astype(f32)
    return out


def _evidence(n: int, seed: int, hints: bool) -> F.Evidence:
    rng = np.random.default_rng(seed)
    reasons = [None, "no-such-reason"] + [r for rs in LF.RULE_GROUPS.values() for r in rs]
    roles = [None, "no-such-role", *LF.RULE_ROLES]
    pick = lambda xs: [xs[i] for i in rng.integers(0, len(xs), n)]  # noqa: E731
    flags = lambda: [bool(x) for x in rng.random(n) < 0.3]  # noqa: E731
    return F.Evidence(reasons=pick(reasons), roles=pick(roles), template=flags(), prose=flags(),
                      sig_page=[int(x) for x in rng.integers(0, 3, n)], sig_comment=flags(), sig_author=flags(),
                      dateline=flags(), sig_role=pick([None, "start", "end", "middle"]), dom_removed=flags(),
                      dom_hints=pick([None, "no-such-hint", *LF.DOM_HINTS]) if hints else ())


@pytest.mark.parametrize("n", [1, 2, 17, 400])
@pytest.mark.parametrize("hints", [True, False])
def test_rule_columns_equal_comparisons(n, hints):
    for seed in range(4):
        ev = _evidence(n, seed, hints)
        got, want = F._rule_features(ev, n), _reference(ev, n)
        assert sorted(got) == sorted(want)
        for name in want:
            assert got[name].dtype == np.float32 and got[name].shape == (n,), name
            assert got[name].tobytes() == want[name].tobytes(), name
        if n == 400:  # every value drawn: no column is all zeros
            assert all(v.any() for k, v in got.items() if hints or not k.startswith("dom_") or k == "dom_removed")


@pytest.mark.parametrize("form", ["numpy-bools", "numpy-array", "ints", "tuples"])
def test_rule_columns_flags_any_form(form):
    """The flags are read as bytes when they are lists of small ints (bools); any other form
    (numpy scalars, arrays, tuples) gives the same columns."""
    n = 50
    ev = _evidence(n, 7, True)
    conv = {"numpy-bools": lambda xs: [np.bool_(x) for x in xs], "numpy-array": np.asarray,
            "ints": lambda xs: [int(x) for x in xs], "tuples": tuple}[form]
    for name in ("template", "prose", "sig_comment", "sig_author", "dateline", "dom_removed", "sig_page"):
        setattr(ev, name, conv(getattr(ev, name)))
    got, want = F._rule_features(ev, n), _reference(ev, n)
    for name in want:
        assert got[name].tobytes() == want[name].tobytes(), name


def test_byte_rows():
    from workers.core.labeller.arrays import byte_rows
    rows = byte_rows([[True, False, True], [0, 2, 255], (1, 1, 0)], 3)
    assert rows.dtype == np.uint8 and rows.tolist() == [[1, 0, 1], [0, 2, 255], [1, 1, 0]]
    assert byte_rows([[True, False]], 3) is None              # another length
    assert byte_rows([[1, 256, 0]], 3) is None                # past a byte
    assert byte_rows([[1, -1, 0]], 3) is None
    assert byte_rows([[0.0, 1.0, 0.0]], 3) is None            # floats
    assert byte_rows([[np.bool_(True)] * 3], 3) is None       # numpy scalars
    assert byte_rows([np.ones(3, dtype=np.int64)], 3) is None  # 8 bytes an item
    assert byte_rows([np.array([1, -1, 0], dtype=np.int8)], 3) is None  # its bytes are not its values
    assert byte_rows([3], 3) is None                          # an int is not a row of three


def test_small_rows():
    from workers.core.labeller.arrays import small_rows
    rows = small_rows([[True, False], (2, 255)], 2, np.float32)        # read as bytes
    assert rows.dtype == np.uint8 and rows.tolist() == [[1, 0], [2, 255]]
    for seqs, dtype in (([[0.5, 1.0]], np.float32), ([np.array([1, -1], dtype=np.int8)], np.int8),
                        ([[np.bool_(True), np.bool_(False)]], np.float32)):
        got = small_rows(seqs, 2, dtype)                                 # np.array's conversion
        assert got.dtype == dtype and got.tobytes() == np.array(seqs, dtype=dtype).tobytes()
