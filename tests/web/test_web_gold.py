"""Gold questions for volunteers: served at the study's rate from what researchers settled,
answers scored (tests, never votes), skill on the Skill page, and a volunteer below the bar
no longer retires posts; on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from web_helpers import add_users, client_as, labels, make_study

from wildsift.web.app import create_app


@pytest.fixture
def web(tmp_path, db_url):
    study = make_study(tmp_path, 40, db_url=db_url)
    app = create_app(study, fast_hashing=True)
    yield app, add_users(app), study
    study.close()


def _current(client) -> int | None:
    found = re.search(r'action="/label/(\d+)"', client.get("/label").text)
    return int(found.group(1)) if found else None


def _answer(client, pk, relevant, **more):
    response = client.post(f"/label/{pk}", data={"csrf": client.csrf, "relevant": relevant,
                                                 **more})
    assert response.status_code == 303, response.text
    return pk


def _reasons(study, who: str) -> dict[int, str]:
    frame = labels(study, "queue_reason")
    mine = frame[frame["annotator"] == who]
    return dict(zip(mine["post_pk"].astype(int), mine["value"]))


def test_volunteers_get_gold_at_the_rate_and_their_answers_are_tests(web):
    app, users, study = web
    queue = app.state.ctx.queue
    researcher = client_as(app, users["researcher"])
    gold = [_answer(researcher, _current(researcher), "1", intent="offer") for _ in range(4)]
    assert set(gold) <= set(queue.gold.answers)  # a researcher's answer is gold at once
    admin = client_as(app, users["admin"])
    for pk in gold:  # a second expert agrees: the posts retire (volunteers meet them as tests)
        _answer(admin, pk, "1", intent="offer", reason="uncertain")
        assert queue.state_of(pk) == "retired"
    volunteer = client_as(app, users["volunteer"])
    page = volunteer.get("/label").text
    assert not re.search(r"\bgold\b", page) and "chosen:" not in page  # no test says so
    served = [_answer(volunteer, _current(volunteer), "0") for _ in range(20)]
    reasons = _reasons(study, users["volunteer"].annotator)
    tests = [pk for pk in served if reasons.get(pk) == "gold"]
    assert len(tests) == 2 and set(tests) <= set(gold)  # gold_rate = 0.1 of 20 posts
    assert served[0] in tests and served[10] in tests  # GoldRate.due keeps the share even
    for pk in tests:  # a test is not a vote: its "no" puts no post in dispute
        assert queue.state_of(pk) == "retired" and pk not in queue.disputed()
        assert len(queue.votes[pk]) == 2
    me = users["volunteer"].annotator
    assert (queue.gold.answered[me], queue.gold.correct[me]) == (2, 0)
    before = queue.gold.table()
    queue.build()  # a restart reads the same from the store
    assert queue.gold.table() == before
    assert queue.gold.gold_served[me] == 2 and queue.gold.served[me] == 20
    page = researcher.get("/skill").text
    assert me in page and "0.25" in page  # (0 right + 1) / (2 answered + 2)
    assert client_as(app, users["annotator"]).get("/skill").status_code == 403


def test_undoing_a_gold_answer_takes_its_score_back_and_serves_the_test_again(web):
    app, users, study = web
    queue = app.state.ctx.queue
    researcher = client_as(app, users["researcher"])
    gold = _answer(researcher, _current(researcher), "1")
    volunteer = client_as(app, users["volunteer"])
    me = users["volunteer"].annotator
    assert _current(volunteer) == gold
    _answer(volunteer, gold, "0")
    assert queue.gold.answered[me] == 1 and queue.gold.correct[me] == 0
    volunteer.post("/undo", data={"csrf": volunteer.csrf})
    assert queue.gold.answered[me] == 0
    assert _current(volunteer) == gold  # shown again, still as the test
    _answer(volunteer, gold, "1")
    assert (queue.gold.answered[me], queue.gold.correct[me]) == (1, 1)
    assert _reasons(study, me)[gold] == "gold"


def test_a_volunteer_below_the_skill_bar_stops_counting_toward_retirement(tmp_path, db_url):
    study = make_study(tmp_path, 40, db_url=db_url)
    settings = study.settings.labeling
    settings.gold_rate, settings.skill_after, settings.min_skill = 1.0, 2, 0.5
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    queue = app.state.ctx.queue
    researcher = client_as(app, users["researcher"])
    for _ in range(2):
        _answer(researcher, _current(researcher), "1")
    volunteer = client_as(app, users["volunteer"])
    me = users["volunteer"].annotator
    for _ in range(2):  # both gold tests answered wrong: skill 1/4
        _answer(volunteer, _current(volunteer), "0")
    assert not queue.gold.counts(me)
    pk = _current(volunteer)  # no gold left: a post of the queue
    assert pk not in queue.gold.answers
    _answer(volunteer, pk, "1", reason="uncertain")
    _answer(client_as(app, users["annotator"]), pk, "1", reason="uncertain")
    assert queue.state_of(pk) == "in progress"  # two agree, but one does not count
    page = researcher.get("/skill").text
    assert "no: below the bar" in page
    settings.min_skill = 0.2  # the same answers with a lower bar: the post retires
    queue.build()
    assert queue.gold.counts(me) and queue.state_of(pk) == "retired"
    study.close()


def test_an_adjudicated_post_is_gold_from_then_on(web):
    app, users, _ = web
    queue = app.state.ctx.queue
    annotator, volunteer = (client_as(app, users[r]) for r in ("annotator", "volunteer"))
    pk = _current(annotator)
    _answer(annotator, pk, "1", intent="offer", reason="uncertain")
    _answer(volunteer, pk, "0", reason="uncertain")
    assert pk in queue.disputed()
    researcher = client_as(app, users["researcher"])
    done = researcher.post(f"/adjudicate/{pk}", data={"csrf": researcher.csrf,
                                                      "relevant": "1", "intent": "wanted"})
    assert done.status_code == 303
    assert queue.gold.answers[pk] == {"relevant": "1", "intent": "wanted"}
    me = users["annotator"].annotator
    queue.build()  # earlier answers are scored against the decision at the next build
    assert queue.gold.answers[pk] == {"relevant": "1", "intent": "wanted"}
    assert (queue.gold.answered[me], queue.gold.correct[me]) == (2, 1)  # relevant yes, intent no
