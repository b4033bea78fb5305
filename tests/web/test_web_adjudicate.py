"""Adjudication of every question of the label form (not relevance only), the review page's
decision filter on the stored decision, and the urgent-flag hook; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest
from web_helpers import add_users, client_as, labels, make_study

from wildsift.store.label_log import entries_for
from wildsift.web.app import create_app


@pytest.fixture
def web(tmp_path, db_url):
    study = make_study(tmp_path, 24, db_url=db_url)
    app = create_app(study, fast_hashing=True)
    yield app, add_users(app), study
    study.close()


def _current(client) -> int:
    return int(re.search(r'action="/label/(\d+)"', client.get("/label").text).group(1))


def _answer(client, pk, **values):
    response = client.post(f"/label/{pk}", data={"csrf": client.csrf, "reason": "uncertain",
                                                 **values})
    assert response.status_code == 303, response.text


def test_a_dispute_on_intent_alone_is_adjudicated_field_by_field(web):
    app, users, study = web
    queue = app.state.ctx.queue
    annotator, volunteer = (client_as(app, users[r]) for r in ("annotator", "volunteer"))
    pk = _current(annotator)
    _answer(annotator, pk, relevant="1", intent="offer", taxon="pangolin", origin="wild")
    _answer(volunteer, pk, relevant="1", intent="wanted", taxon="pangolin")
    assert queue.state_of(pk) == "retired"  # relevance agrees: retired...
    assert pk in queue.disputed()  # ... but the intents differ: a researcher decides
    researcher = client_as(app, users["researcher"])
    page = researcher.get("/adjudicate").text
    card = page[page.index(f'id="post-{pk}"'):]
    card = card[:card.index("</form>")]
    assert 'data-name="intent"' in card and "answers differ" in card
    assert 'value="offer" checked' not in card or 'value="wanted" checked' not in card
    for bad, field in (({"relevant": "1", "intent": "smuggle"}, "intent"),
                       ({"intent": "offer"}, "relevant"),
                       ({"relevant": "1", "taxon": "unicorn"}, "taxon")):
        refused = researcher.post(f"/adjudicate/{pk}", data={"csrf": researcher.csrf, **bad})
        assert refused.status_code == 400 and field in refused.text
    done = researcher.post(f"/adjudicate/{pk}", data={
        "csrf": researcher.csrf, "relevant": "1", "intent": "wanted", "taxon": "pangolin",
        "origin": "wild", "scam": "", "stance": "neutral"})
    assert done.status_code == 303
    stored = labels(study, None)
    decided = stored[stored["field"].str.startswith("adjudicated_")]
    assert dict(zip(decided["field"], decided["value"])) == {
        "adjudicated_relevant": "1", "adjudicated_intent": "wanted",
        "adjudicated_taxon": "pangolin", "adjudicated_origin": "wild",
        "adjudicated_stance": "neutral"}
    assert set(decided["annotator"]) == {users["researcher"].annotator}
    logged = [e for e in entries_for(study.store.engine, pk) if e["action"] == "adjudicate"]
    assert len(logged) == 5
    assert queue.state_of(pk) == "adjudicated" and pk not in queue.disputed()
    assert f'id="post-{pk}"' not in researcher.get("/adjudicate").text
    assert len(stored[(stored["post_pk"] == pk) & (stored["field"] == "intent")]) == 2


def test_not_relevant_drops_the_follow_up_answers_and_the_old_form_still_works(web):
    app, users, study = web
    annotator, volunteer = (client_as(app, users[r]) for r in ("annotator", "volunteer"))
    researcher = client_as(app, users["researcher"])
    first = _current(annotator)
    _answer(annotator, first, relevant="1", intent="offer")
    _answer(volunteer, first, relevant="0")
    researcher.post(f"/adjudicate/{first}", data={"csrf": researcher.csrf, "relevant": "0",
                                                  "intent": "offer"})
    decided = labels(study, None)
    decided = decided[decided["field"].str.startswith("adjudicated_")]
    assert decided[["field", "value"]].values.tolist() == [["adjudicated_relevant", "0"]]
    second = _current(annotator)
    _answer(annotator, second, relevant="1")
    _answer(volunteer, second, relevant="0")
    researcher.post(f"/adjudicate/{second}", data={"csrf": researcher.csrf, "value": "1"})
    final = labels(study, "adjudicated_relevant")
    assert dict(zip(final["post_pk"], final["value"])) == {first: "0", second: "1"}


def test_the_decision_filter_reads_the_stored_decision(web):
    app, users, study = web
    frame = study.store.posts.frame(("pk",))
    # a later stage (fusion) decided otherwise than a 0.5 cut of the relevance score would
    fused = frame.assign(relevance=[0.6] * len(frame),
                         relevant=[float(i % 3 == 0) for i in range(len(frame))])
    study.store.scores.write("fusion", "fusion-1", fused, ["relevance", "relevant"])
    latest = study.store.scores.latest(["relevant"])
    expected = {1: set(latest[latest["relevant"] == 1]["post_pk"]),
                0: set(latest[latest["relevant"] == 0]["post_pk"])}
    assert expected[1] and expected[0]
    researcher = client_as(app, users["researcher"])
    app.state.ctx.__dict__.pop("_cache", None)  # the score versions are cached for a minute
    for decision in (1, 0):
        page = researcher.get(f"/posts?decision={decision}").text
        assert f"{len(expected[decision])} posts" in page
        shown = {int(pk) for pk in re.findall(r'<td><a href="/posts/(\d+)">', page)}
        assert shown == expected[decision]
    scores = study.store.scores.latest(["relevance"])
    cut = set(scores[pd.to_numeric(scores["relevance"]) >= 0.5]["post_pk"])
    assert cut != expected[1]  # the old rule (score >= 0.5) would have listed other posts


def test_an_urgent_flag_calls_the_hook_and_a_failing_hook_loses_nothing(web):
    app, users, _ = web
    context = app.state.ctx
    assert context.urgent_hooks == []  # no [alerts] notifier in a new study
    called = []
    context.urgent_hooks.append(called.append)

    def broken(_flag):
        raise RuntimeError("the mail server is down")

    context.urgent_hooks.append(broken)
    annotator = client_as(app, users["annotator"])
    pk = _current(annotator)
    _answer(annotator, pk, relevant="1", urgent="1")
    assert [(f.post_pk, f.annotator, f.url_path) for f in called] == [
        (pk, users["annotator"].annotator, f"/posts/{pk}")]
    assert not hasattr(called[0], "text")  # a notification carries no post text
    assert client_as(app, users["researcher"]).get("/urgent/count").json() == {"open": 1}
    _answer(annotator, _current(annotator), relevant="0")  # no flag: no call
    assert len(called) == 1


def test_an_urgent_flag_goes_to_the_alerts_webhook_when_one_is_configured(
        tmp_path, monkeypatch, httpserver):
    study = make_study(tmp_path, 8)
    monkeypatch.setenv("WS_TEST_HOOK", httpserver.url_for("/hook"))
    study.settings.alerts.webhook_url_env = "WS_TEST_HOOK"
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    assert len(app.state.ctx.urgent_hooks) == 1  # the monitoring notifier, connected
    annotator = client_as(app, users["annotator"])
    pk = _current(annotator)
    _answer(annotator, pk, relevant="1", urgent="1")
    for _ in range(100):  # sent from a background thread
        if httpserver.log:
            break
        time.sleep(0.05)
    (request, _response), = httpserver.log
    body = request.get_json()
    assert body["study"] == "web test" and body["count"] == 1
    alert = body["alerts"][0]
    assert alert["kind"] == "urgent" and alert["post_pk"] == pk
    assert alert["path"] == f"/posts/{pk}"
    sent = request.get_data(as_text=True)
    text = study.store.posts.frame(("pk", "text")).set_index("pk")["text"][pk]
    assert text[:20] not in sent and users["annotator"].annotator not in sent
    study.close()
