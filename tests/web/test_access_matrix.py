"""Every route x every role x anonymous, generated from the app's own routes: a route without
a rule in web/access.py fails here, and each rule is checked by calling the route."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount
from web_helpers import add_users, client_as, make_study

from wildsift.web import access
from wildsift.web.app import create_app

ANONYMOUS = "anonymous"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    study = make_study(tmp_path_factory.mktemp("matrix"), 24)
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    context = app.state.ctx
    users["spare"] = context.users.add(context.login_of("spare"), context.annotator_of("spare"),
                                       "volunteer", [], "x", must_change=False)
    yield app, users, study
    study.close()


def _walk(routes):
    """Routes, with included routers opened (FastAPI >= 0.16x keeps them as one entry)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _walk(inner.routes)
        else:
            yield route


def _routes(app) -> list[tuple[str, str]]:
    found = []
    for route in _walk(app.routes):
        if isinstance(route, APIRoute):
            found += [(method, route.path) for method in sorted(route.methods)]
        elif isinstance(route, Mount):
            found.append(("GET", route.path))
    return found


def test_every_route_has_a_rule(served):
    app, _, _ = served
    missing = [r for r in _routes(app) if r not in access.RULES]
    assert not missing, f"routes without an access rule in web/access.py: {missing}"
    stale = set(access.RULES) - set(_routes(app))
    assert not stale, f"rules for routes that do not exist: {stale}"


def test_a_route_without_a_rule_is_refused_to_everyone(served):
    app, users, _ = served

    @app.get("/no-rule-here")
    def _unruled() -> dict:
        return {"leak": True}

    try:
        assert ("GET", "/no-rule-here") not in access.RULES
        for role in (*access.ROLES, None):
            response = client_as(app, users.get(role)).get("/no-rule-here")
            assert response.status_code in (303, 403), role
            assert "leak" not in response.text
    finally:
        app.router.routes.pop()


def _concrete(path: str, study, users) -> str:
    pk = int(study.store.posts.frame(("pk",))["pk"].iloc[0])
    sha = study.store.images.frame(("sha256",))["sha256"].iloc[0]
    return (path.replace("{post_pk}", str(pk)).replace("{sha256}", sha)
            .replace("{user_id}", str(users["spare"].id)))  # the one an admin may disable


def _request(client, method: str, path: str):
    if path == "/static":
        return client.get("/static/app.js")
    if method == "GET":
        return client.get(path)
    data = {"csrf": client.csrf or "none", "value": "1", "relevant": "0", "name": "someone",
            "role": "volunteer", "current": "x", "new": "y", "again": "y",
            "password": "wrong password"}
    return client.post(path, data=data)


@pytest.mark.parametrize("who", [*access.ROLES, ANONYMOUS])
def test_matrix(served, who):
    """Allowed: neither 401 nor 403 nor a redirect to sign-in. Refused: 403 signed in; 401
    (POST) or a redirect to /login (GET) when anonymous."""
    app, users, study = served
    rows = []
    for method, path in _routes(app):
        client = client_as(app, None if who == ANONYMOUS else users[who])
        if who == ANONYMOUS and (method, path) == ("POST", "/login"):
            client.csrf = None  # the pre-login token comes from GET /login: checked elsewhere
            continue
        response = _request(client, method, _concrete(path, study, users))
        allowed = access.allowed(method, path, None if who == ANONYMOUS else who)
        refused = response.status_code in (401, 403) or (
            response.status_code == 303 and response.headers["location"] == "/login"
            and path not in ("/logout", "/account/password"))
        rows.append((method, path, response.status_code))
        assert refused != allowed, f"{who} {method} {path}: {response.status_code}"
    assert len(rows) >= len(access.RULES) - 1


def test_volunteers_cannot_reach_authors_exports_or_other_posts(served):
    app, users, study = served
    client = client_as(app, users["volunteer"])
    pk = int(study.store.posts.frame(("pk",))["pk"].iloc[0])
    assert client.get("/export/labels.csv").status_code == 403
    assert client.get(f"/posts/{pk}").status_code == 403
    page = client.get("/label").text
    authors = set(study.store.posts.frame(("author",))["author"])
    assert not any(a in page for a in authors)
