"""Zero- or few-shot relevance labelling through an OpenAI-compatible chat endpoint (the ``llm``
extra: ``pip install 'wildsift[llm]'``), e.g. a local Ollama at http://127.0.0.1:11434/v1.

Why: with no labels yet, or in a language the study has few labels for, a capable LLM can label
posts from the study's taxa and products alone; its labels seed the linear model and the cascade.
It is slow (one request per post) and never part of the default path.

The prompt names the study's taxa and their product words from the lexicon, and gives
``few_shot`` labelled examples (balanced, chosen at ``fit``). The answer must be a JSON object
``{"relevant": true|false, "confidence": 0..1}`` and nothing else: anything else is counted in
``n_malformed_`` and scored ``fallback_score`` (NaN by default), never guessed. The official
``openai`` SDK retries 408/409/429/5xx with exponential backoff (honouring Retry-After) up to
``max_retries`` times. The API key is read from the environment variable named ``api_key_env``
at call time and is never stored, pickled or logged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from wildsift.errors import ModelError, WildsiftError
from wildsift.sift.models.text import prepare

MAX_EXAMPLE_CHARS = 400
MAX_POST_CHARS = 2000
NOT_RELEVANT_EXAMPLES = ("the colour ivory", "Jaguar or Ram cars", "Rhino 3D software",
                         "faux, imitation or toy animals", "conservation news without trade")


def _taxa_description(taxa: Sequence[str]) -> str:
    """Each taxon with the product words the lexicon knows for its group (English)."""
    try:
        from wildsift.lexicon.lexicon import Lexicon

        lexicon = Lexicon.default()
    except (WildsiftError, OSError):  # the prompt still works from the names alone
        return ", ".join(taxa)
    parts = []
    for name in taxa:
        found = lexicon.find_taxa(name)
        products = sorted(lexicon.products(found[0].group)) if found else []
        parts.append(f"{name} (products: {', '.join(products[:8])})" if products else name)
    return "; ".join(parts)


def parse_answer(content: str | None) -> float | None:
    """P(relevant) from a strict JSON answer, or None when the answer is malformed."""
    if not content:
        return None
    try:
        answer = json.loads(content.strip())
    except json.JSONDecodeError:
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("relevant"), bool):
        return None
    confidence = answer.get("confidence", 1.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) \
            or not 0.0 <= float(confidence) <= 1.0:
        return None
    return float(confidence) if answer["relevant"] else 1.0 - float(confidence)


class LLMLabeller(ClassifierMixin, BaseEstimator):
    """Relevance from an OpenAI-compatible ``/v1/chat/completions`` endpoint, post by post."""

    def __init__(self, base_url: str = "http://127.0.0.1:11434/v1", model: str = "llama3.1:8b",
                 api_key_env: str | None = None, few_shot: int = 8, timeout: float = 60.0,
                 taxa: Sequence[str] = ("rhinoceros", "elephant", "pangolin"),
                 max_retries: int = 4, fallback_score: float | None = None,
                 random_state: int = 0):
        self.base_url = base_url
        self.model = model
        self.api_key_env = api_key_env
        self.few_shot = few_shot
        self.timeout = timeout
        self.taxa = taxa
        self.max_retries = max_retries
        self.fallback_score = fallback_score
        self.random_state = random_state

    @classmethod
    def from_settings(cls, llm: Any, taxa: Sequence[str], **params: Any) -> LLMLabeller:
        """From the study's ``[sift.llm]`` settings (LLMSettings) and ``[study] taxa``."""
        return cls(base_url=llm.base_url, model=llm.model, api_key_env=llm.api_key_env,
                   few_shot=llm.few_shot, timeout=llm.timeout,
                   max_retries=llm.max_retries, taxa=tuple(taxa), **params)

    # -- fitting: choose the few-shot examples --------------------------------------------
    def fit(self, X: Any, y: Sequence[int]) -> LLMLabeller:
        """Keep ``few_shot`` examples, as balanced between the classes as the labels allow."""
        frame = prepare(X, use_lexicon=False)
        y = np.asarray(y, dtype=int)
        self.classes_ = np.array([0, 1])
        rng = np.random.default_rng(self.random_state)
        pools = [list(rng.permutation(np.flatnonzero(y == label))) for label in (1, 0)]
        chosen: list[int] = []
        while len(chosen) < self.few_shot and any(pools):
            for pool in pools:
                if pool and len(chosen) < self.few_shot:
                    chosen.append(int(pool.pop(0)))
        texts = frame["text"].tolist()
        self.examples_ = [(texts[i][:MAX_EXAMPLE_CHARS], int(y[i])) for i in chosen]
        self.n_requests_ = 0
        self.n_malformed_ = 0
        return self

    # -- prompting -------------------------------------------------------------------------
    def messages(self, text: str) -> list[dict[str, str]]:
        """The chat messages for one post: instructions, few-shot turns, the post."""
        system = (
            "You label social-media posts and online marketplace listings for a wildlife trade "
            f"study. Taxa of interest: {_taxa_description(self.taxa)}. A post is relevant when "
            "it offers, seeks or advertises wild animals or products made from them (alive or "
            "dead, parts, derivatives), in any language. It is not relevant when it only "
            f"mentions such words in another sense, e.g. {', '.join(NOT_RELEVANT_EXAMPLES)}. "
            'Reply with one JSON object and nothing else: {"relevant": true or false, '
            '"confidence": a number from 0 to 1}.'
        )
        turns = [{"role": "system", "content": system}]
        for example, label in getattr(self, "examples_", []):
            turns.append({"role": "user", "content": f"Post:\n{example}"})
            turns.append({"role": "assistant",
                          "content": json.dumps({"relevant": bool(label), "confidence": 1.0})})
        turns.append({"role": "user", "content": f"Post:\n{text[:MAX_POST_CHARS]}"})
        return turns

    def _client(self) -> Any:
        try:
            import openai
        except ImportError as exc:
            raise ModelError("the LLM backend needs the openai SDK: "
                             "pip install 'wildsift[llm]'") from exc
        api_key = "not-needed"  # local servers such as Ollama ignore it; the SDK requires one
        if self.api_key_env:
            api_key = os.environ.get(self.api_key_env, "")
            if not api_key:
                raise ModelError(f"the LLM endpoint needs an API key in the environment "
                                 f"variable {self.api_key_env}; export it before running")
        return openai.OpenAI(base_url=self.base_url, api_key=api_key, timeout=self.timeout,
                             max_retries=self.max_retries)

    def _ask(self, client: Any, text: str) -> str | None:
        import openai

        try:
            response = client.chat.completions.create(
                model=self.model, messages=self.messages(text), temperature=0,
                response_format={"type": "json_object"})
        except openai.AuthenticationError as exc:
            raise ModelError(f"the LLM endpoint {self.base_url} refused the API key "
                             f"(HTTP {exc.status_code}); check the variable "
                             f"{self.api_key_env or '(api_key_env is not set)'}") from None
        except openai.APIConnectionError as exc:
            raise ModelError(f"cannot reach the LLM endpoint {self.base_url} ({type(exc).__name__})"
                             "; start the server (e.g. 'ollama serve') or fix [sift.llm] "
                             "base_url") from None
        except openai.APIStatusError as exc:
            raise ModelError(f"the LLM endpoint {self.base_url} answered HTTP {exc.status_code} "
                             f"after {self.max_retries} retries; check the model name "
                             f"'{self.model}' and the server's log") from None
        self.n_requests_ = getattr(self, "n_requests_", 0) + 1
        choices = getattr(response, "choices", None) or []
        return choices[0].message.content if choices else None

    # -- scoring ---------------------------------------------------------------------------
    def decision_scores(self, X: Any) -> np.ndarray:
        """P(relevant) per post; malformed answers get ``fallback_score`` and are counted."""
        texts = prepare(X, use_lexicon=False)["text"].tolist()
        client = self._client()
        fallback = np.nan if self.fallback_score is None else float(self.fallback_score)
        scores = np.empty(len(texts), dtype=np.float64)
        try:
            for row, text in enumerate(texts):
                score = parse_answer(self._ask(client, text))
                if score is None:
                    self.n_malformed_ = getattr(self, "n_malformed_", 0) + 1
                    score = fallback
                scores[row] = score
        finally:
            client.close()
        return scores

    def predict_proba(self, X: Any) -> np.ndarray:
        scores = self.decision_scores(X)
        return np.column_stack([1.0 - scores, scores])

    def predict(self, X: Any) -> np.ndarray:
        return (self.decision_scores(X) >= 0.5).astype(int)
