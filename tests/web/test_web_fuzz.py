"""Schemathesis over the web app's own OpenAPI, once per role and once anonymous: every
operation gets generated paths, queries and forms, sent in-process (ASGI), signed in as that
role with its CSRF token. No answer may be a server error, and a role the access table refuses
must be refused (401/403, or a redirect to /login) whatever the input.

The handlers that read ``request.form()`` or ``request.query_params`` themselves declare no
body or query, so their fields are added to the schema here (``UNDECLARED``) for schemathesis
to fuzz them too. Examples per operation: ``WILDSIFT_FUZZ_EXAMPLES`` (default 25).
"""

from __future__ import annotations

import copy
import os
import secrets
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra")
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from web_helpers import add_users, make_study

from wildsift.web import access
from wildsift.web.app import create_app
from wildsift.web.form import FLAGS, questions
from wildsift.web.routes_review import FILTERS
from wildsift.web.security import SESSION_COOKIE

EXAMPLES = int(os.environ.get("WILDSIFT_FUZZ_EXAMPLES", "25"))
ANONYMOUS = "anonymous"
TEXT = {"type": "string", "maxLength": 40}


def _form(names: list[str], binary: bool = False) -> dict:
    kind = "multipart/form-data" if binary else "application/x-www-form-urlencoded"
    field = {"type": "string", "format": "binary"} if binary else TEXT
    return {"content": {kind: {"schema": {
        "type": "object", "properties": {n: field for n in names}}}}}


def undeclared(app) -> dict[tuple[str, str], dict]:
    """(method, path) -> what the handler reads from the request without declaring it."""
    asked = [q.name for q in questions(app.state.ctx.settings.schema_)]
    return {
        ("get", "/posts"): {"parameters": [
            {"name": n, "in": "query", "required": False, "schema": TEXT}
            for n in [*FILTERS, "page"]]},
        ("post", "/label/{post_pk}"): {"requestBody": _form([*asked, *FLAGS, "reason"])},
        ("post", "/adjudicate/{post_pk}"): {"requestBody": _form([*asked, "value"])},
        ("post", "/import/zooniverse"): {"requestBody": _form(["file", "mapping"], True)},
    }


def full_schema(app) -> dict:
    raw = copy.deepcopy(app.openapi())
    for (method, path), extra in undeclared(app).items():
        operation = raw["paths"][path][method]
        operation.setdefault("parameters", []).extend(extra.get("parameters", []))
        if "requestBody" in extra:
            operation["requestBody"] = extra["requestBody"]
    return raw


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    study = make_study(tmp_path_factory.mktemp("fuzz"), 24)
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    schema = schemathesis.openapi.from_dict(full_schema(app))
    operations = [result.ok() for result in schema.get_all_operations()]
    yield app, users, operations
    study.close()


def _signed_in(app, user) -> tuple[dict, dict]:
    """Cookies and headers of a fresh session of ``user`` (fuzzed logouts end sessions, and a
    fuzzed admin may disable another role's account: it is enabled again each time)."""
    if user is None:
        return {}, {}
    context = app.state.ctx
    context.users.update(user.id, disabled=False)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    context.users.open_session(user.id, token, csrf, timedelta(hours=1))
    return {SESSION_COOKIE: context.signer.sign(token)}, {"x-csrf-token": csrf}


def _refused(response) -> bool:
    """schemathesis' Response keeps each header as a list of values."""
    return response.status_code in (401, 403) or (
        response.status_code == 303 and response.headers.get("location") == ["/login"])


def test_the_schema_covers_every_ruled_route(served):
    """Every route of the access table but the static mount is an operation fuzzed here."""
    _, _, operations = served
    fuzzed = {(op.method.upper(), op.path) for op in operations}
    assert fuzzed == set(access.RULES) - {("GET", "/static")}


@pytest.mark.parametrize("who", [*access.ROLES, ANONYMOUS])
def test_no_server_error_and_the_access_table_holds(served, who):
    app, users, operations = served
    user = None if who == ANONYMOUS else users[who]
    role = None if user is None else who
    sent = []

    def check(case) -> None:
        cookies, headers = _signed_in(app, user)
        response = case.call(app=app, cookies=cookies, headers=headers, allow_redirects=False)
        sent.append((case.method, case.operation.path, response.status_code))
        case.validate_response(response, checks=[not_a_server_error])
        if not access.allowed(case.method, case.operation.path, role):
            assert _refused(response), (
                f"{who} got {response.status_code} from {case.method} {case.formatted_path}")

    for operation in operations:
        fuzz = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                        suppress_health_check=list(HealthCheck))(
            given(operation.as_strategy())(lambda case: check(case)))
        fuzz()
    covered = {(m, p) for m, p, _ in sent}
    assert len(covered) == len(operations), f"operations never called: {len(covered)}"
    assert len(sent) >= len(operations) * min(EXAMPLES, 3)
    print(f"{who}: {len(sent)} requests over {len(covered)} operations")


@pytest.mark.parametrize("method,path", [
    ("POST", "/label/{n}"), ("POST", "/label/{n}/skip"), ("POST", "/urgent/{n}/ack"),
    ("POST", "/adjudicate/{n}"), ("GET", "/posts/{n}"), ("POST", "/admin/users/{n}/disable")])
def test_a_row_id_beyond_64_bits_is_a_422_naming_it(served, method, path):
    """Found by the fuzz above: 2**63 made SQLite raise OverflowError (a 500)."""
    app, users, _ = served
    cookies, headers = _signed_in(app, users["admin"])
    client = TestClient(app, cookies=cookies, headers=headers, follow_redirects=False)
    for n in (2**63, 0, -1):
        response = client.request(method, path.format(n=n))
        assert response.status_code == 422, (path, n, response.text)
        assert ("post_pk" if "{n}" in path and "users" not in path else "user_id") \
            in response.text


def test_acknowledging_an_unknown_post_is_a_404(served):
    """Found by the fuzz above: the label's foreign key failed (a 500)."""
    app, users, _ = served
    cookies, headers = _signed_in(app, users["researcher"])
    client = TestClient(app, cookies=cookies, headers=headers, follow_redirects=False)
    response = client.post("/urgent/999999/ack")
    assert (response.status_code, response.text) == (404, "no such post")
