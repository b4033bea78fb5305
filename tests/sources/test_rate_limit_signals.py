"""The rate-limit signals every connector reads through ``sources/retry.py``, whatever its SDK:
``header_wait`` on each client's header mapping and ``cut_page`` on each parser's error."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from wildsift.sources.retry import CutPage, cut_page, header_wait

SERVER_NOW = datetime(2026, 12, 7, 5, 0, 0, tzinfo=UTC)


def http(when: datetime) -> str:
    return format_datetime(when, usegmt=True)


def test_an_http_date_is_measured_from_the_answers_date_in_any_header_case():
    later = http(SERVER_NOW + timedelta(seconds=42))
    httplib2_style = {"retry-after": later, "date": http(SERVER_NOW)}  # lower-case dict
    requests_style = {"Retry-After": later, "Date": http(SERVER_NOW)}  # as sent
    assert header_wait(httplib2_style) == 42.0
    assert header_wait(requests_style) == 42.0


def test_reset_headers_when_there_is_no_retry_after():
    epoch = int((SERVER_NOW + timedelta(seconds=90)).timestamp())
    assert header_wait({"x-rate-limit-reset": str(epoch), "date": http(SERVER_NOW)}) == 90.0
    assert header_wait({"X-Ratelimit-Reset": "17"}) == 17.0  # Reddit: seconds left
    assert header_wait({"date": http(SERVER_NOW)}) is None
    assert header_wait(None) is None


def test_retry_after_wins_over_a_reset_header():
    assert header_wait({"Retry-After": "7", "x-ratelimit-reset": "600"}) == 7.0


@pytest.mark.parametrize("make", [
    lambda: json.loads('{"posts": [{"uri": "at://x'),
    lambda: _raise_from(ValueError("EOF while parsing a string at line 1 column 1234")),
    lambda: _raise_from(CutPage("the answer is not a JSON object")),
], ids=["json", "pydantic_core", "cut-page"])
def test_a_cut_page_is_retried_whichever_parser_saw_it(make):
    with pytest.raises(Exception) as info:
        make()
    wrapped = RuntimeError("the SDK's own error")
    wrapped.__cause__ = info.value
    assert cut_page(info.value) is not None and cut_page(wrapped) is not None
    assert cut_page(info.value).seconds is None  # backoff, not a platform wait


def test_other_value_errors_are_not_cut_pages():
    assert cut_page(ValueError("invalid literal for int() with base 10: 'x'")) is None
    assert cut_page(KeyError("data")) is None


def test_reddit_hook_turns_an_http_date_into_seconds_never_shorter():
    requests = pytest.importorskip("requests")
    from wildsift.sources.reddit.client import retry_after_in_seconds

    response = requests.Response()
    response.status_code = 429
    response.headers["Retry-After"] = http(SERVER_NOW + timedelta(seconds=30))
    response.headers["Date"] = http(SERVER_NOW)
    retry_after_in_seconds(response)
    assert response.headers["Retry-After"] == "30"
    assert float(response.headers["Retry-After"]) >= 30  # prawcore float()s it
    response.headers["Retry-After"] = "5"
    retry_after_in_seconds(response)
    assert response.headers["Retry-After"] == "5"  # seconds stay as they are


def _raise_from(exc: Exception):
    raise exc
