"""Versioned model artifacts with a model card, and their verified loading.

Layout (inside ``study.models_dir``)::

    text-relevance/
      latest                 the version to use (one line)
      <version>/model.joblib the fitted TextRelevanceModel
      <version>/card.json    version, date, data, class balance, CV metrics, features, libraries,
                             sha256 of model.joblib
      <version>/card.md      the same card for people

Loading checks the file's sha256 against the card and that scikit-learn's version matches the
one that saved it (pickles are not portable across scikit-learn versions).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import platform
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn

from wildsift import __version__
from wildsift.errors import ModelError

TEXT_MODEL = "text-relevance"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "pandas": pd.__version__, "joblib": joblib.__version__,
            "wildsift": __version__}


def _render_markdown(card: dict[str, Any]) -> str:
    lines = [f"# Model card: {card['name']} {card['version']}", "",
             f"- Trained: {card['date']}", f"- Training posts: {card['data_size']}",
             f"- Class balance: {card['class_balance']}", "", "## Cross-validated metrics", ""]
    for key, value in card.get("metrics", {}).items():
        lines.append(f"- {key}: {value:.4f}" if isinstance(value, float) else f"- {key}: {value}")
    if card.get("candidates"):
        lines += ["", "## Candidates (out of fold on the training posts)", "",
                  "| candidate | PR-AUC | MCC | threshold | kept |", "|---|---|---|---|---|"]
        lines += [f"| {name} | {f['pr_auc']:.4f} | {f['mcc']:.4f} | {f['threshold']:.4f} | "
                  f"{'**winner**' if f.get('won') else ''} |"
                  for name, f in card["candidates"].items()]
        lines += ["", f"Why: {card.get('why', '')}"]
    lines += ["", "## Features", ""] + [f"- {item}" for item in card.get("features", [])]
    lines += ["", "## Parameters", ""] + [f"- {k}: {v}" for k, v in card.get("params", {}).items()]
    lines += ["", "## Libraries", ""] + [f"- {k} {v}" for k, v in card["libraries"].items()]
    lines += ["", f"sha256 of model.joblib: `{card['sha256']}`", ""]
    return "\n".join(lines)


def save_model(model: Any, models_dir: Path, card: dict[str, Any],
               name: str = TEXT_MODEL) -> dict[str, Any]:
    """Write model + card under a new version and point ``latest`` at it; returns the card."""
    now = datetime.now(UTC)
    base = Path(models_dir) / name
    base.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    staging = base / f".staging-{stamp}-{id(model):x}"
    staging.mkdir()
    joblib.dump(model, staging / "model.joblib", compress=3)
    sha = _sha256(staging / "model.joblib")
    version = f"{stamp}-{sha[:8]}"
    card = dict(card, name=name, version=version, date=now.isoformat(timespec="seconds"),
                sha256=sha, libraries=library_versions())
    (staging / "card.json").write_text(json.dumps(card, indent=2, default=str) + "\n")
    (staging / "card.md").write_text(_render_markdown(card))
    target = base / version
    staging.rename(target)
    (base / "latest").write_text(version + "\n")
    return card


def latest_version(models_dir: Path, name: str = TEXT_MODEL) -> str | None:
    pointer = Path(models_dir) / name / "latest"
    if not pointer.exists():
        return None
    return pointer.read_text().strip() or None


def load_model(models_dir: Path, version: str | None = None,
               name: str = TEXT_MODEL) -> tuple[Any, dict[str, Any]] | None:
    """(model, card) of ``version`` (default: latest), or None when no model was trained yet."""
    version = version or latest_version(models_dir, name)
    if version is None:
        return None
    folder = Path(models_dir) / name / version
    card_path, model_path = folder / "card.json", folder / "model.joblib"
    if not card_path.exists() or not model_path.exists():
        raise ModelError(f"model {name} {version} is incomplete in {folder}; "
                         f"retrain with 'wildsift train' or fix {folder.parent / 'latest'}")
    card = json.loads(card_path.read_text())
    if _sha256(model_path) != card.get("sha256"):
        raise ModelError(f"{model_path} does not match its model card (sha256 differs): the file "
                         "was changed or damaged; retrain with 'wildsift train'")
    saved_with = card.get("libraries", {}).get("scikit-learn")
    if saved_with != sklearn.__version__:
        raise ModelError(f"model {version} was saved with scikit-learn {saved_with}, this is "
                         f"{sklearn.__version__}; retrain with 'wildsift train' (or install "
                         f"scikit-learn=={saved_with})")
    try:
        with _old_module_names():
            return joblib.load(model_path), card
    except (ModuleNotFoundError, AttributeError) as error:  # a class that moved or was renamed
        raise ModelError(f"model {name} {version} was saved by a wildsift whose modules have "
                         f"since moved ({error}); retrain with 'wildsift train'") from error


# Where the modules of pickled models lived before sift/ was split into subpackages
# (2026-12-07): a model trained before then still loads (its classes are the same).
MOVED_MODULES = {
    f"wildsift.sift.{old}": f"wildsift.sift.{new}" for old, new in (
        ("baseline", "models.baseline"), ("selection", "models.selection"),
        ("text", "models.text"), ("hashing", "models.hashing"), ("cascade", "models.cascade"),
        ("embed", "models.embed"), ("fusion", "models.fusion"),
        ("head_model", "models.head_model"), ("image_probe", "models.image_probe"),
        ("threshold", "models.threshold"), ("llm", "models.llm"),
        ("signals", "rules.signals"), ("cues", "rules.cues"), ("intent", "rules.intent"),
        ("origin", "rules.origin"), ("scam", "rules.scam"), ("phrasebook", "rules.phrasebook"))
}


@contextmanager
def _old_module_names() -> Iterator[None]:
    """The pre-split module names as aliases of the new modules while a model is unpickled."""
    added = []
    for old, new in MOVED_MODULES.items():
        if old not in sys.modules:
            sys.modules[old] = importlib.import_module(new)
            added.append(old)
    try:
        yield
    finally:
        for old in added:
            sys.modules.pop(old, None)
