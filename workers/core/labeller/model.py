"""The line labeller's model: LightGBM multiclass trees over the line features.

The committed model lives in ``workers/core/labeller/data/``: ``labeller.txt.gz`` (the
LightGBM text model, gzip'd: the trees that label plain-text input), ``labeller-html.txt.gz``
(when the metadata names it: the trees that label HTML input, trained apart, see
docs/model.md "Two models") and ``labeller.json`` (version, feature names, label order,
the decoder's transition matrix and weights, what it was trained on). It is loaded once
per process (``load()`` caches it; the stage runner's warm-up calls it). ``make train``
rebuilds the files (``workers.training``). Serving evaluates the trees with the compiled
``_trees`` extension (``native_trees``: the same probabilities as LightGBM's, bit for bit)
when ``make install`` built it; else with LightGBM, after one warning log line at load.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from workers.core.labeller import native_trees
from workers.core.labeller.labels import LABELS

log = logging.getLogger("winnow.labeller")

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = "labeller.txt.gz"
HTML_MODEL_FILE = "labeller-html.txt.gz"  # the HTML input's own trees (metadata "html_model")
META_FILE = "labeller.json"
FORMAT = 1  # bump when the metadata layout changes

# LightGBM parameters: fixed seed, deterministic, small (why: reproducible, fast to apply).
# min_data_in_leaf 150, feature_fraction 0.5, lambda_l2 5 (were 40 / 0.7 / 1): leaves of
# fewer lines and splits leaning on one column are what a site's own habits look like; out of
# fold by site the stronger setting scored HTML mean of five 0.904 vs 0.902 (docs/model.md)
PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": len(LABELS),
    "learning_rate": 0.1,
    "num_leaves": 31,
    "max_depth": 8,
    "min_data_in_leaf": 150,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.7,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "max_bin": 63,
    "seed": 20261129,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbose": -1,
}
ROUNDS = 60


@dataclass
class Labeller:
    """A loaded model: the booster, its metadata, and the decoder's parameters;
    ``booster_html``: the trees for HTML input when the model has its own (else ``booster``
    labels both kinds of input); ``trees`` / ``trees_html``: the same trees evaluated in C
    (``native_trees.NativeTrees``), or None: the booster predicts."""
    booster: Any
    meta: dict[str, Any]
    booster_html: Any = None
    trees: Any = None
    trees_html: Any = None
    transitions: np.ndarray = field(init=False)
    log_prior: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.transitions = np.asarray(self.meta["transitions"], dtype=np.float64)
        self.log_prior = np.log(np.asarray(self.meta["prior"], dtype=np.float64))

    @property
    def version(self) -> str:
        return str(self.meta["version"])

    @property
    def feature_names(self) -> list[str]:
        return list(self.meta["feature_names"])

    def predict(self, X: np.ndarray, html: bool = False) -> np.ndarray:
        """Per-line class probabilities (lines x labels), label order of ``LABELS``;
        ``html``: the page is HTML input (scored by the HTML trees when the model has them)."""
        if X.shape[0] == 0:
            return np.zeros((0, len(LABELS)))
        if html and self.booster_html is not None:
            booster, trees = self.booster_html, self.trees_html
        else:
            booster, trees = self.booster, self.trees
        if trees is not None:
            return trees.predict(X)
        return booster.predict(X, num_threads=1)


def version_of(model_text: str, decoder: dict[str, Any] | None = None, html_text: str | None = None) -> str:
    """``labeller-<format>-<8 hex>``: a hash of the trees (both sets when the HTML input has
    its own) and, when given, of the decoder settings (a new decoder labels differently, so
    it is a new version)."""
    h = hashlib.sha256(model_text.encode("utf-8"))
    if html_text is not None:
        h.update(b"\0html\0" + html_text.encode("utf-8"))
    if decoder:
        h.update(json.dumps(decoder, sort_keys=True).encode("utf-8"))
    return "labeller-%d-%s" % (FORMAT, h.hexdigest()[:8])


def train_booster(X: np.ndarray, y: np.ndarray, w: np.ndarray | None, feature_names: list[str],
                  rounds: int = ROUNDS, params: dict[str, Any] | None = None):
    import lightgbm as lgb

    ds = lgb.Dataset(X, label=y, weight=w, feature_name=[_safe(f) for f in feature_names],
                     free_raw_data=True, params={"max_bin": (params or PARAMS)["max_bin"], "verbose": -1})
    return lgb.train(dict(params or PARAMS), ds, num_boost_round=rounds)


def _safe(name: str) -> str:
    """LightGBM feature names may not contain JSON special characters."""
    name = name.replace("@-", "_prev").replace("@+", "_next").replace("~", "_avg")
    return "".join(c if c.isalnum() or c == "_" else "_" for c in name)


def save(booster, meta: dict[str, Any], directory: Path = DATA_DIR, booster_html=None) -> str:
    """Write the model (``booster_html``: HTML input's own trees, or None) and its metadata;
    returns the version string."""
    text = booster.model_to_string()
    html_text = booster_html.model_to_string() if booster_html is not None else None
    decoders = meta.get("decoder")
    if meta.get("decoder_html"):  # both decoders label: both are in the version
        decoders = {"text": meta.get("decoder"), "html": meta["decoder_html"]}
    meta = dict(meta, version=version_of(text, decoders, html_text), labels=list(LABELS), format=FORMAT)
    meta.pop("html_model", None)
    if html_text is not None:
        meta["html_model"] = HTML_MODEL_FILE
    directory.mkdir(parents=True, exist_ok=True)
    for name, t in ((MODEL_FILE, text), (HTML_MODEL_FILE, html_text)):
        if t is None:
            (directory / name).unlink(missing_ok=True)  # no stale HTML trees beside a one-model save
            continue
        with gzip.GzipFile(directory / name, "wb", mtime=0) as f:  # mtime 0: same bytes every run
            f.write(t.encode("utf-8"))
    (directory / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return meta["version"]


_CACHE: dict[Path, Labeller] = {}


def load(directory: Path = DATA_DIR) -> Labeller:
    """The model in ``directory``, loaded once per process."""
    hit = _CACHE.get(directory)
    if hit is not None:
        return hit
    from workers.core.lgb import lightgbm

    lgb = lightgbm()
    meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    if tuple(meta.get("labels", ())) != LABELS:
        raise ValueError(f"model labels {meta.get('labels')} differ from {LABELS}: retrain (make train)")
    with gzip.open(directory / MODEL_FILE, "rt", encoding="utf-8") as f:
        text = f.read()
    html_text = None
    if meta.get("html_model"):
        with gzip.open(directory / str(meta["html_model"]), "rt", encoding="utf-8") as f:
            html_text = f.read()
    booster = lgb.Booster(model_str=text)
    booster_html = lgb.Booster(model_str=html_text) if html_text is not None else None
    trees = _native(text, html_text)
    lab = Labeller(booster, meta, booster_html, *trees)
    _CACHE[directory] = lab
    return lab


def _native(text: str, html_text: str | None) -> tuple[Any, Any]:
    """The C evaluator of both tree sets, or (None, None) after one warning: the extension
    is not built, or it refuses the model (e.g. categorical splits); LightGBM then predicts."""
    if not native_trees.AVAILABLE:
        log.warning("line labeller: the compiled tree evaluator (_trees) is not built; "
                    "LightGBM evaluates the trees (same output, slower; make install builds it)")
        return None, None
    try:
        return (native_trees.NativeTrees(text),
                native_trees.NativeTrees(html_text) if html_text is not None else None)
    except ValueError as err:
        log.warning("line labeller: LightGBM evaluates the trees: %s", err)
        return None, None


def committed_version(directory: Path = DATA_DIR) -> str:
    """The committed model's version (from its metadata, without loading it); "none" when
    no model file is installed."""
    try:
        return str(json.loads((directory / META_FILE).read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "none"


def available(directory: Path = DATA_DIR) -> bool:
    """The model's files are installed in ``directory``: the metadata, the text trees and the
    HTML trees the metadata names. Reads the disk each time; a worker asks ``ready``."""
    meta_file = directory / META_FILE
    if not (meta_file.is_file() and (directory / MODEL_FILE).is_file()):
        return False
    try:
        html_model = json.loads(meta_file.read_text(encoding="utf-8")).get("html_model")
    except (OSError, ValueError, AttributeError):  # unreadable, not JSON, not an object
        return False
    return not html_model or (directory / str(html_model)).is_file()


def ready(directory: Path = DATA_DIR) -> bool:
    """The model serves in this process: loaded already (once per worker: then the files are
    not read again, and a worker keeps the model it started with), or installed."""
    return directory in _CACHE or available(directory)
