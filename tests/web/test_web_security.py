"""Security of the web app: the secret, cookies, CSRF, throttling, headers, escaping, media,
filters and the hash-chained label log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from web_helpers import PASSWORD, add_users, client_as, csrf_of, labels, make_study

from wildsift.errors import ConfigError
from wildsift.store.label_log import verify
from wildsift.web.app import create_app
from wildsift.web.security import SESSION_COOKIE


@pytest.fixture
def web(tmp_path, db_url):
    study = make_study(tmp_path, 16, db_url=db_url)
    app = create_app(study, fast_hashing=True)
    yield app, add_users(app), study
    study.close()


def _login(app, name, password=PASSWORD, https=False):
    client = client_as(app, https=https)
    token = csrf_of(client.get("/login").text)
    return client, client.post("/login", data={"csrf": token, "name": name,
                                               "password": password})


def test_refuses_to_start_without_the_secret(tmp_path):
    study = make_study(tmp_path, 4)
    (study.root / ".wildsift-secret").unlink()
    with pytest.raises(ConfigError, match="secret"):
        create_app(study)


def test_session_cookie_is_httponly_strict_and_secure_behind_https(tmp_path):
    study = make_study(tmp_path, 4)
    for https in (False, True):
        app = create_app(study, https=https, fast_hashing=True)
        if https is False:
            add_users(app)
        _, response = _login(app, "annotator", https=https)
        assert response.status_code == 303
        cookie = response.headers["set-cookie"].lower()
        assert cookie.startswith(SESSION_COOKIE) and "httponly" in cookie
        assert "samesite=strict" in cookie
        assert ("secure" in cookie.split(";")[-1] or "; secure" in cookie) is https
    study.close()


def test_wrong_password_and_unknown_user_are_refused_alike(web):
    app, _, _ = web
    for name, password in (("annotator", "nope nope nope"), ("nobody", PASSWORD)):
        _, response = _login(app, name, password)
        assert response.headers["location"] == "/login?error=1"
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_login_is_throttled_after_five_failures(web):
    app, _, _ = web
    for _ in range(5):
        _login(app, "researcher", "wrong password!")
    _, response = _login(app, "researcher")  # the right password, too late
    assert response.status_code == 429
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_login_without_its_csrf_token_is_refused(web):
    app, _, _ = web
    response = client_as(app).post("/login", data={"name": "admin", "password": PASSWORD})
    assert response.status_code == 403


def test_every_post_needs_the_session_csrf_token(web):
    app, users, study = web
    client = client_as(app, users["annotator"])
    pk = re.search(r'action="/label/(\d+)"', client.get("/label").text).group(1)
    for token in (None, "forged", csrf_of(client_as(app, users["researcher"]).get(
            "/label").text)):
        data = {"relevant": "1"} | ({"csrf": token} if token else {})
        assert client.post(f"/label/{pk}", data=data).status_code == 403
    assert labels(study).empty
    assert client.post(f"/label/{pk}", data={"relevant": "0", "csrf": client.csrf}
                       ).status_code == 303
    assert len(labels(study)) == 1


def test_headers_and_no_inline_script(web):
    app, users, study = web
    client = client_as(app, users["admin"])
    pk = int(study.store.posts.frame(("pk",))["pk"].iloc[0])
    for path in ("/label", "/posts", f"/posts/{pk}", "/adjudicate", "/agreement", "/urgent",
                 "/admin/users", "/account"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        scripts = re.findall(r"<script([^>]*)>", response.text)
        assert scripts and all('src="/static/' in s for s in scripts), path
        assert " style=" not in response.text and "<style" not in response.text, path


def test_post_text_is_escaped(tmp_path):
    from wildsift.records import Post

    study = make_study(tmp_path, 2)
    study.store.posts.add([Post(platform="csv", post_id="x", lang="en",
                                text="<script>alert(1)</script> <img src=x onerror=alert(2)>")])
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    pk = int(study.store.posts.frame(("pk", "post_id")).query("post_id == 'x'")["pk"].iloc[0])
    page = client_as(app, users["researcher"]).get(f"/posts/{pk}").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page
    study.close()


def test_media_only_by_sha256_and_blurred_for_volunteers(web):
    app, users, study = web
    sha = study.store.images.frame(("sha256",))["sha256"].iloc[0]
    stored = next(study.media_dir.rglob(f"{sha}.*")).read_bytes()
    volunteer = client_as(app, users["volunteer"]).get(f"/media/{sha}")
    assert volunteer.status_code == 200 and volunteer.content != stored
    assert volunteer.headers["content-type"] == "image/jpeg"
    researcher = client_as(app, users["researcher"])
    for bad in ("..%2f..%2fwildsift.toml", "0" * 64, "http:%2f%2fexample.org%2fa.png",
                sha.upper()):
        assert researcher.get(f"/media/{bad}").status_code == 404


def test_filters_come_from_a_fixed_list(web):
    app, users, _ = web
    client = client_as(app, users["researcher"])
    assert client.get("/posts?platform=csv&decision=1&label_state=unlabelled").status_code == 200
    for query in ("order=pk;drop table posts", "platform=nowhere", "min_score=2",
                  "country=VN' OR 1=1", "label_state=all", "date_from=yesterday"):
        response = client.get(f"/posts?{query}")
        assert response.status_code == 400, query
    assert "posts" in client.get("/posts?text=%25").text


def test_one_time_password_must_be_changed_first(web):
    app, _, _ = web
    admin = client_as(app, app.state.ctx.users.by_login(app.state.ctx.login_of("admin")))
    page = admin.post("/admin/users", data={"csrf": admin.csrf, "name": "Nguyen Van A",
                                            "role": "annotator", "languages": "vi"}).text
    password = re.search(r'id="one-time">([^<]+)<', page).group(1)
    assert "Nguyen" not in str(app.state.ctx.users.all())  # only a keyed hash is stored
    client, response = _login(app, "nguyen van a", password)
    assert response.headers["location"] == "/account"
    assert client.get("/label").headers["location"] == "/account"
    changed = client.post("/account/password", data={
        "csrf": csrf_of(client.get("/account").text), "current": password,
        "new": "a much longer secret", "again": "a much longer secret"})
    assert changed.headers["location"] == "/login"
    client, response = _login(app, "Nguyen Van A", "a much longer secret")
    assert response.headers["location"] == "/"
    assert client.get("/label").status_code == 200


def test_label_log_is_hash_chained_and_tampering_is_found(web):
    app, users, study = web
    for role in ("annotator", "volunteer"):
        client = client_as(app, users[role])
        for _ in range(3):
            pk = re.search(r'action="/label/(\d+)"', client.get("/label").text).group(1)
            client.post(f"/label/{pk}", data={"relevant": "1", "intent": "offer",
                                              "csrf": client.csrf})
    client.post("/undo", data={"csrf": client.csrf})
    engine = study.store.engine
    checked, broken = verify(engine)
    assert broken is None and checked >= 12
    for change in ("UPDATE label_log SET value = '0' WHERE seq = 3",
                   "DELETE FROM label_log WHERE seq = 3", "DELETE FROM label_log"):
        with engine.begin() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text(change))
    assert verify(engine) == (checked, None)
    drop = ("DROP TRIGGER label_log_no_update" if engine.dialect.name == "sqlite"
            else "DROP TRIGGER label_log_no_change ON label_log")
    with engine.begin() as conn:  # someone with the database drops the trigger, edits a row
        conn.execute(text(drop))
        conn.execute(text("UPDATE label_log SET value = '0' WHERE seq = 3"))
    checked, broken = verify(engine)
    assert broken is not None and broken.seq == 3 and checked == 2
