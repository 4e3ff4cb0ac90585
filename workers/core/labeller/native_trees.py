"""The line labeller's trees evaluated by the compiled ``_trees`` extension.

``NativeTrees(model_text)`` parses a LightGBM text model once into flat arrays (a node's
feature, threshold, decision type and children; a leaf's value) and hands them to
``_trees.Forest`` (C, ``_trees.c``), whose ``predict`` gives the probabilities
``lightgbm.Booster.predict(X, num_threads=1)`` gives, bit for bit (tests/test_native_trees.py).
LightGBM stays the trainer and the reference. Only what the committed models use is read:
a multiclass (softmax) model of numerical splits; a model with categorical splits, linear
trees or another objective is refused with ``ValueError`` at load.

``make install`` builds the extension (setuptools ``ext-modules`` in pyproject.toml, optional:
an install without a C compiler still succeeds); ``AVAILABLE`` says whether it was built.
"""
from __future__ import annotations

from typing import Any

import numpy as np

try:
    from workers.core.labeller import _trees
except ImportError:  # not built (no compiler at install time): model.py serves with LightGBM
    _trees = None  # type: ignore[assignment]

AVAILABLE = _trees is not None


def _header(lines: list[str]) -> dict[str, str]:
    head: dict[str, str] = {}
    for line in lines:
        if line.startswith("Tree="):
            break
        key, sep, value = line.partition("=")
        if sep:
            head[key] = value
    return head


def _tree_blocks(lines: list[str]) -> list[dict[str, str]]:
    """Each ``Tree=`` block's ``key=value`` lines, in file order, up to ``end of trees``."""
    blocks: list[dict[str, str]] = []
    cur: dict[str, str] | None = None
    for line in lines:
        if line.startswith("end of trees"):
            break
        if line.startswith("Tree="):
            cur = {}
            blocks.append(cur)
        elif cur is not None and "=" in line:
            key, _, value = line.partition("=")
            cur[key] = value
    return blocks


def _ints(text: str) -> list[int]:
    return [int(v) for v in text.split()]


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split()]  # correctly rounded, as LightGBM's parser


def parse(model_text: str) -> dict[str, Any]:
    """The model's trees as flat arrays (node and leaf indices over all trees; a child < 0 is
    ``~leaf``); ``ValueError`` for what the evaluator does not do."""
    lines = model_text.splitlines()
    head = _header(lines)
    objective = head.get("objective", "").split()
    num_class = int(head.get("num_class", "0"))
    if not objective or objective[0] != "multiclass" or num_class < 2:
        raise ValueError(f"native trees: only multiclass (softmax) models, not {head.get('objective')!r}")
    if int(head.get("num_tree_per_iteration", "0")) != num_class:
        raise ValueError("native trees: num_tree_per_iteration differs from num_class")
    num_feature = int(head["max_feature_idx"]) + 1
    root: list[int] = []
    feature: list[int] = []
    threshold: list[float] = []
    dtype: list[int] = []
    left: list[int] = []
    right: list[int] = []
    leaf: list[float] = []
    for t, tree in enumerate(_tree_blocks(lines)):
        if int(tree.get("num_cat", "0")) != 0:
            raise ValueError(f"native trees: tree {t} has categorical splits (num_cat="
                             f"{tree['num_cat']}), which the C evaluator does not support")
        if int(tree.get("is_linear", "0")) != 0:
            raise ValueError(f"native trees: tree {t} is a linear tree, not supported")
        values = _floats(tree["leaf_value"])
        if int(tree["num_leaves"]) != len(values):
            raise ValueError(f"native trees: tree {t}: num_leaves differs from its leaf values")
        node0, leaf0 = len(feature), len(leaf)
        leaf.extend(values)
        if len(values) == 1:  # a one-leaf tree: its value, no split
            root.append(~leaf0)
            continue
        root.append(node0)
        feature.extend(_ints(tree["split_feature"]))
        threshold.extend(_floats(tree["threshold"]))
        dtype.extend(_ints(tree["decision_type"]))
        for side, out in (("left_child", left), ("right_child", right)):
            out.extend(node0 + c if c >= 0 else ~(leaf0 + ~c) for c in _ints(tree[side]))
        if not len(feature) == len(threshold) == len(dtype) == len(left) == len(right):
            raise ValueError(f"native trees: tree {t}: node arrays differ in length")
    if any(d & 1 for d in dtype):
        raise ValueError("native trees: a categorical decision type without num_cat")
    return {"num_class": num_class, "num_feature": num_feature,
            "root": np.asarray(root, dtype=np.int32), "feature": np.asarray(feature, dtype=np.int32),
            "threshold": np.asarray(threshold, dtype=np.float64),
            "decision_type": np.asarray(dtype, dtype=np.uint8),
            "left": np.asarray(left, dtype=np.int32), "right": np.asarray(right, dtype=np.int32),
            "leaf": np.asarray(leaf, dtype=np.float64)}


def rows(X: Any, num_feature: int) -> np.ndarray:
    """``X`` as a C-contiguous matrix the evaluator reads, converted as LightGBM's ``predict``
    converts a numpy matrix: float64 and float32 kept (the evaluator widens float32 values as
    LightGBM does), other dtypes through float32; a wrong shape is a ``ValueError``."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError("Input numpy.ndarray or list must be 2 dimensional")
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float32)
    if X.shape[1] != num_feature:
        raise ValueError(f"The number of features in data ({X.shape[1]}) is not the same as it "
                         f"was in training data ({num_feature}).")
    return np.ascontiguousarray(X)


class NativeTrees:
    """A LightGBM multiclass model's trees, evaluated in C (``predict`` as the booster's)."""

    def __init__(self, model_text: str) -> None:
        if _trees is None:
            raise ImportError("the _trees extension is not built (make install)")
        arrays = parse(model_text)
        self.num_class = int(arrays["num_class"])
        self.num_feature = int(arrays["num_feature"])
        self.forest = _trees.Forest(**arrays)

    def predict(self, X: Any) -> np.ndarray:
        """Per-row class probabilities (rows x classes), float64."""
        X = rows(X, self.num_feature)
        out = np.empty((X.shape[0], self.num_class), dtype=np.float64)
        self.forest.predict(X, out)
        return out
