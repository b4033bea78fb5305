"""The LLM labeller against a local server answering in the real chat-completions shape."""

from __future__ import annotations

import json
import logging
import pickle

import numpy as np
import pytest
from werkzeug import Request, Response

from wildsift.errors import ModelError
from wildsift.sift.models.llm import LLMLabeller, parse_answer
from wildsift.study import LLMSettings

pytest.importorskip("openai")

PATH = "/v1/chat/completions"


def completion(content: str) -> dict:
    """The JSON an OpenAI-compatible server (OpenAI, Ollama, vLLM) returns for a chat request."""
    return {
        "id": "chatcmpl-123", "object": "chat.completion", "created": 1764300000,
        "model": "llama3.1:8b", "system_fingerprint": "fp_ollama",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 12, "total_tokens": 132},
    }


class FakeLLM:
    """Answers by keyword; 'ivory' is relevant. Scripted failures come first."""

    def __init__(self, script: list[Response] | None = None):
        self.script = list(script or [])
        self.requests: list[dict] = []
        self.headers: list[dict] = []

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data())
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        if self.script:
            return self.script.pop(0)
        post = body["messages"][-1]["content"]
        if "garbled" in post:
            content = "Sure! I think this post is relevant."
        else:
            content = json.dumps({"relevant": "ivory" in post, "confidence": 0.9})
        return Response(json.dumps(completion(content)), content_type="application/json")


@pytest.fixture
def llm_server(httpserver):
    def start(script=None):
        fake = FakeLLM(script)
        httpserver.expect_request(PATH, method="POST").respond_with_handler(fake)
        return fake, httpserver.url_for("/v1")
    return start


def labeller(url: str, **params) -> LLMLabeller:
    return LLMLabeller(**{"base_url": url, "model": "llama3.1:8b", "few_shot": 2, "timeout": 5.0,
                          **params})


TRAIN = ["carved ivory bangle for sale", "ivory white wedding dress", "raw ivory tusk, DM",
         "jaguar car parts"]


def test_scores_follow_the_answers_and_prompt_holds_taxa_and_examples(llm_server):
    fake, url = llm_server()
    model = labeller(url).fit(TRAIN, [1, 0, 1, 0])
    scores = model.decision_scores(["old ivory carving", "a paint colour chart"])
    np.testing.assert_allclose(scores, [0.9, 0.1])
    assert model.predict(["ivory netsuke"]).tolist() == [1]
    first = fake.requests[0]
    assert first["model"] == "llama3.1:8b" and first["temperature"] == 0
    assert first["response_format"] == {"type": "json_object"}
    system = first["messages"][0]["content"]
    assert "pangolin" in system and "scales" in system  # taxa with lexicon products
    roles = [m["role"] for m in first["messages"]]
    assert roles == ["system", "user", "assistant", "user", "assistant", "user"]
    shots = [json.loads(m["content"])["relevant"] for m in first["messages"]
             if m["role"] == "assistant"]
    assert sorted(shots) == [False, True]  # balanced few-shot examples
    assert model.n_requests_ == 3 and model.n_malformed_ == 0


def test_rate_limit_is_retried_with_backoff(llm_server):
    limited = Response(json.dumps({"error": {"message": "slow down", "type": "rate_limit"}}),
                       status=429, content_type="application/json",
                       headers={"retry-after-ms": "20"})
    failing = Response("upstream down", status=503, headers={"retry-after-ms": "20"})
    fake, url = llm_server([limited, failing])
    model = labeller(url, few_shot=0).fit(TRAIN, [1, 0, 1, 0])
    assert model.decision_scores(["ivory chopsticks"]).tolist() == [0.9]
    assert len(fake.requests) == 3


def test_retries_exhausted_raise_a_model_error(llm_server):
    limited = [Response("{}", status=429, content_type="application/json",
                        headers={"retry-after-ms": "10"}) for _ in range(3)]
    _, url = llm_server(limited)
    model = labeller(url, max_retries=2).fit(TRAIN, [1, 0, 1, 0])
    with pytest.raises(ModelError, match="HTTP 429 after 2 retries"):
        model.decision_scores(["ivory"])


def test_malformed_answers_are_counted_not_guessed(llm_server):
    _, url = llm_server()
    model = labeller(url).fit(TRAIN, [1, 0, 1, 0])
    scores = model.decision_scores(["ivory seal", "garbled post", "sofa"])
    assert scores[0] == pytest.approx(0.9) and scores[2] == pytest.approx(0.1)
    assert np.isnan(scores[1])
    assert model.n_malformed_ == 1
    fallback = labeller(url, fallback_score=0.0).fit(TRAIN, [1, 0, 1, 0])
    assert fallback.decision_scores(["garbled again"]).tolist() == [0.0]
    assert fallback.n_malformed_ == 1


@pytest.mark.parametrize("content", [
    "yes", '{"relevant": "yes"}', '{"relevant": true, "confidence": 1.5}', "[true]",
    '```json\n{"relevant": true}\n```', '{"relevant": true, "confidence": true}', "",
])
def test_parse_answer_is_strict(content):
    assert parse_answer(content) is None


def test_parse_answer_accepts_the_contract():
    assert parse_answer(' {"relevant": false, "confidence": 0.75} ') == pytest.approx(0.25)
    assert parse_answer('{"relevant": true}') == 1.0


def test_api_key_comes_from_the_environment_and_is_never_logged(llm_server, monkeypatch,
                                                                caplog):
    fake, url = llm_server()
    monkeypatch.setenv("WILDSIFT_TEST_LLM_KEY", "sk-very-secret")
    model = labeller(url, api_key_env="WILDSIFT_TEST_LLM_KEY").fit(TRAIN, [1, 0, 1, 0])
    with caplog.at_level(logging.DEBUG):
        model.decision_scores(["ivory"])
    assert fake.headers[0]["Authorization"] == "Bearer sk-very-secret"
    assert "sk-very-secret" not in caplog.text
    assert b"sk-very-secret" not in pickle.dumps(model)
    monkeypatch.delenv("WILDSIFT_TEST_LLM_KEY")
    with pytest.raises(ModelError, match="WILDSIFT_TEST_LLM_KEY"):
        model.decision_scores(["ivory"])


def test_unreachable_endpoint_says_how_to_fix():
    model = LLMLabeller(base_url="http://127.0.0.1:9/v1", few_shot=0, max_retries=0,
                        timeout=2.0).fit(TRAIN, [1, 0, 1, 0])
    with pytest.raises(ModelError, match="cannot reach the LLM endpoint"):
        model.decision_scores(["ivory"])


def test_from_settings_uses_the_study_block():
    settings = LLMSettings(base_url="http://127.0.0.1:1234/v1", model="qwen2.5:7b", few_shot=3,
                           max_retries=1)
    model = LLMLabeller.from_settings(settings, ["pangolin"])
    assert (model.base_url, model.model, model.few_shot, model.max_retries, model.taxa) == \
        ("http://127.0.0.1:1234/v1", "qwen2.5:7b", 3, 1, ("pangolin",))


def test_evaluate_can_pick_the_llm_backend_by_name(monkeypatch):
    """`wildsift evaluate --model llm` builds the labeller from the environment."""
    from wildsift.sift.models.llm import LLMLabeller
    from wildsift.sift.models.registry import make_model

    monkeypatch.setenv("WILDSIFT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("WILDSIFT_LLM_MODEL", "tiny")
    model = make_model("llm", use_lexicon=True)
    assert isinstance(model, LLMLabeller)
    assert (model.base_url, model.model, model.fallback_score) == ("http://127.0.0.1:9/v1",
                                                                   "tiny", 0.0)
    assert model.api_key_env == "WILDSIFT_LLM_API_KEY"
