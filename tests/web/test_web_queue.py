"""The labelling queue with several people per post: retirement, disagreement and
adjudication, language routing, one post per near-duplicate cluster, skip and undo; and the
label form's checks. Each on SQLite and on PostgreSQL (``db_url``, tests/web/conftest.py)."""

from __future__ import annotations

import re

import pytest
from web_helpers import add_users, client_as, labels, make_study

from wildsift.web.app import create_app
from wildsift.web.ordering import cluster_key


@pytest.fixture
def web(tmp_path, db_url):
    study = make_study(tmp_path, 24, db_url=db_url)
    app = create_app(study, fast_hashing=True)
    context = app.state.ctx
    people = {name: context.users.add(context.login_of(name), context.annotator_of(name),
                                      "annotator", [], "x", must_change=False)
              for name in ("ann", "bob", "cat", "dan")}
    yield app, people, study
    study.close()


def _current(client) -> int | None:
    found = re.search(r'action="/label/(\d+)"', client.get("/label").text)
    return int(found.group(1)) if found else None


def _answer(client, pk, relevant="1", **more):
    response = client.post(f"/label/{pk}", data={"csrf": client.csrf, "relevant": relevant,
                                                 "reason": "uncertain", **more})
    assert response.status_code == 303, response.text
    return response


def test_a_post_is_labelled_by_k_people_then_retires(web):
    app, people, study = web
    ann, bob, cat = (client_as(app, people[n]) for n in ("ann", "bob", "cat"))
    first = _current(ann)
    assert _current(bob) == first  # agree = 2: the post is open to a second person
    assert _current(cat) != first  # ... but not to a third while two hold it
    _answer(ann, first)
    _answer(bob, first)
    assert app.state.ctx.queue.state_of(first) == "retired"
    for _ in range(5):
        pk = _current(cat)
        assert pk != first
        client_as(app, people["cat"]).post(f"/label/{pk}/skip", data={"csrf": cat.csrf})
    frame = labels(study)
    assert sorted(frame[frame["post_pk"] == first]["annotator"]) == sorted(
        [people["ann"].annotator, people["bob"].annotator])


def test_disagreement_goes_on_then_waits_for_adjudication(web):
    app, people, study = web
    queue = app.state.ctx.queue
    queue.max_labels = 3
    clients = [client_as(app, people[n]) for n in ("ann", "bob", "cat", "dan")]
    pk = _current(clients[0])
    _answer(clients[0], pk, "1")
    assert _current(clients[1]) == pk
    _answer(clients[1], pk, "0")
    assert queue.state_of(pk) == "in progress"  # 1 vs 0: a third opinion is needed
    assert _current(clients[2]) == pk
    _answer(clients[2], pk, "0")
    # two agree now: it retires, but with a dissent it waits for a researcher
    assert queue.state_of(pk) == "disputed"
    assert _current(clients[3]) != pk
    researcher = add_users(app)["researcher"]
    client = client_as(app, researcher)
    page = client.get("/adjudicate").text
    assert f"post {pk}" in page
    client.post(f"/adjudicate/{pk}", data={"csrf": client.csrf, "value": "0"})
    assert queue.state_of(pk) == "adjudicated"
    assert f"post {pk}<" not in client.get("/adjudicate").text
    final = labels(study, "adjudicated_relevant")
    assert final["value"].tolist() == ["0"]


def test_posts_go_to_people_who_read_their_language(web):
    app, _, study = web
    context = app.state.ctx
    vi = context.users.add(context.login_of("vi"), context.annotator_of("vi"), "volunteer",
                           ["vi"], "x", must_change=False)
    client = client_as(app, vi)
    langs = dict(study.store.posts.frame(("pk", "lang")).itertuples(index=False))
    seen = []
    for _ in range(6):
        pk = _current(client)
        if pk is None:
            break
        seen.append(pk)
        client.post(f"/label/{pk}/skip", data={"csrf": client.csrf})
    assert seen and all(langs[pk] == "vi" for pk in seen)


def test_near_duplicate_reposts_are_queued_once(web):
    app, _, study = web
    frame = study.store.posts.frame(("pk", "text"))
    keys = frame["text"].map(cluster_key)
    assert keys.nunique() < len(frame)  # the study has reposts (same ad, another number)
    order = app.state.ctx.queue.order
    queued = frame[frame["pk"].isin(order.pks)]
    assert queued["text"].map(cluster_key).is_unique
    assert len(order.pks) == keys.nunique()
    assert sum(order.cluster_size[pk] for pk in order.pks) == len(frame)


def test_undo_takes_back_up_to_ten_answers(web):
    app, people, study = web
    client = client_as(app, people["ann"])
    done = []
    for _ in range(12):
        pk = _current(client)
        _answer(client, pk, "0")
        done.append(pk)
    assert len(labels(study)) == 12
    for step in range(11):
        client.post("/undo", data={"csrf": client.csrf})
    assert len(labels(study)) == 2  # ten undone; the eleventh undo does nothing
    assert _current(client) == done[2]  # the oldest undone post comes back last-in-first


def test_the_form_checks_answers_and_drops_follow_ups_when_not_relevant(web):
    app, people, study = web
    client = client_as(app, people["ann"])
    pk = _current(client)
    bad = client.post(f"/label/{pk}", data={"csrf": client.csrf, "relevant": "1",
                                            "intent": "smuggle"})
    assert bad.status_code == 400 and "intent" in bad.text
    bad = client.post(f"/label/{pk}", data={"csrf": client.csrf, "relevant": "1",
                                            "taxon": "unicorn"})
    assert bad.status_code == 400 and "taxon" in bad.text
    _answer(client, pk, "0", intent="offer", note="call 0912 345 678")
    stored = labels(study, None)
    assert set(stored["field"]) == {"relevant", "queue_reason"}
    pk = _current(client)
    _answer(client, pk, "1", intent="offer", taxon="pangolin", origin="wild",
            note="seller says call +84 912 345 678", urgent="1")
    stored = labels(study, None)
    mine = dict(stored[stored["post_pk"] == pk][["field", "value"]].itertuples(index=False))
    assert mine["intent"] == "offer" and mine["taxon"] == "pangolin" and mine["urgent"] == "1"
    assert "912" not in mine["note"]  # free text is redacted like post text


def test_a_country_question_takes_country_codes_or_none_for_the_place_threshold(tmp_path):
    from wildsift.study import LabelQuestion

    study = make_study(tmp_path, 12)
    study.settings.labeling.schema_.append(LabelQuestion(name="country", kind="country"))
    app = create_app(study, fast_hashing=True)
    context = app.state.ctx
    ann = context.users.add(context.login_of("ann"), context.annotator_of("ann"), "annotator",
                            [], "x", must_change=False)
    client = client_as(app, ann)
    page = client.get("/label").text
    assert re.search(r'<input name="country" maxlength="4"[^>]*placeholder="where the post is',
                     page)
    pk = _current(client)
    bad = client.post(f"/label/{pk}", data={"csrf": client.csrf, "relevant": "1",
                                            "country": "Vietnam"})
    assert bad.status_code == 400 and "field 'country': 'Vietnam' is not a country code" in \
        bad.text.replace("&#39;", "'")
    bad = client.post(f"/label/{pk}", data={"csrf": client.csrf, "relevant": "1",
                                            "country": "no"})
    assert bad.status_code == 400 and "type none for a post that says nowhere it is, or NO " \
        "for Norway" in bad.text
    _answer(client, pk, "1", country="vn")
    second = _current(client)
    _answer(client, second, "1", country="UK")  # the code people write for GB
    third = _current(client)
    _answer(client, third, "1", country="none")
    stored = dict(labels(study, "country")[["post_pk", "value"]].itertuples(index=False))
    assert stored == {pk: "VN", second: "GB", third: "none"}
    study.close()
