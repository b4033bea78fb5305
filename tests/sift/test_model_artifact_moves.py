"""A model trained before sift/ was split into subpackages still loads: its pickle names the old
module of its class (wildsift.sift.baseline), which the loader maps to the new one."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from wildsift.errors import ModelError
from wildsift.sift.models import artifact, baseline
from wildsift.sift.models.artifact import load_model, save_model
from wildsift.sift.models.baseline import BaselineModel

TEXTS = ["rhino horn for sale", "ivory bangle sale cheap", "pangolin scales kg price",
         "jaguar car for sale", "ivory colour paint", "rhino 3d software licence"] * 4
LABELS = [1, 1, 1, 0, 0, 0] * 4


def _save_as_before_the_split(model, models_dir):
    """Pickle ``model`` as a wildsift before the split did: its class in wildsift.sift.baseline."""
    sys.modules["wildsift.sift.baseline"] = baseline
    BaselineModel.__module__ = "wildsift.sift.baseline"
    try:
        return save_model(model, models_dir, {"threshold": 0.5, "data_size": len(TEXTS),
                                              "class_balance": {"0": 12, "1": 12}})
    finally:
        BaselineModel.__module__ = "wildsift.sift.models.baseline"
        del sys.modules["wildsift.sift.baseline"]


def test_a_model_pickled_under_the_old_module_name_loads(tmp_path, monkeypatch):
    model = BaselineModel(Cs=(1.0,), inner_folds=2).fit(TEXTS, LABELS)
    _save_as_before_the_split(model, tmp_path)
    with monkeypatch.context() as patch:  # without the map the old name does not resolve
        patch.setattr(artifact, "MOVED_MODULES", {})
        with pytest.raises(ModelError, match="modules have since moved"):
            load_model(tmp_path)
    loaded, _card = load_model(tmp_path)
    assert type(loaded) is BaselineModel
    assert np.array_equal(loaded.decision_scores(TEXTS), model.decision_scores(TEXTS))
    assert "wildsift.sift.baseline" not in sys.modules  # the alias lives only while loading
