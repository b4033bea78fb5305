"""Importing a Zooniverse classification export in the app: researchers only, CSRF, a size
limit enforced while the body arrives, the labelling library's reader (user_ip never read,
names pseudonymised), labels and log rows in one go; on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text
from web_helpers import add_users, client_as, labels, make_study, zooniverse_export

from wildsift.store.label_log import verify
from wildsift.web import routes_import
from wildsift.web.app import create_app

MAPPING = b'''
[[task]]
task = "T0"
field = "relevant"
answers = { "Yes" = "1", "No" = "0" }
'''


def _upload(client, path, mapping: bytes | None = None, csrf: str | None = "session"):
    files = {"file": (path.name, path.read_bytes(), "text/csv")}
    if mapping is not None:
        files["mapping"] = ("zoo-mapping.toml", mapping, "application/toml")
    data = {} if csrf is None else {"csrf": client.csrf if csrf == "session" else csrf}
    return client.post("/import/zooniverse", data=data, files=files)


def _all_text(engine) -> str:
    """Every value of the label tables, to look for what must not be stored."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT field, value, annotator FROM labels")).all()
        rows += conn.execute(text("SELECT field, value, annotator FROM label_log")).all()
    return " ".join(" ".join(map(str, row)) for row in rows)


def test_a_researcher_imports_a_classification_export(tmp_path, db_url):
    study = make_study(tmp_path, 12, db_url=db_url)
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    ids = study.store.posts.frame(("post_id",))["post_id"].tolist()
    export = zooniverse_export(tmp_path / "wildlife-trade-check-classifications.csv", [
        ("zoo_maya", ids[0], "Yes"), ("zoo_maya", ids[1], "No"), ("zoo_tom", ids[0], "Yes"),
        ("zoo_tom", "not-in-this-study", "Yes"), ("zoo_tom", ids[2], "Maybe")])
    client = client_as(app, users["researcher"])
    page = client.get("/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    response = _upload(client, export, MAPPING)
    assert response.status_code == 200, response.text
    assert 'id="stored">3<' in response.text
    assert "1 for posts not in this study" in response.text
    assert "wildlife-trade-check-classifications.csv:6: task T0" in response.text  # the line
    stored = labels(study)
    assert sorted(zip(stored["post_id"], stored["value"])) == sorted(
        [(ids[0], "1"), (ids[1], "0"), (ids[0], "1")])
    assert stored["annotator"].str.match(r"^a_[0-9a-f]{16}$").all()
    assert stored["annotator"].nunique() == 2
    everything = _all_text(study.store.engine)
    assert "zoo_maya" not in everything and "zoo_tom" not in everything
    assert "10.20.30" not in everything  # user_ip is never read
    log = [e for pk in stored["post_pk"].unique() for e in
           __import__("wildsift.store.label_log", fromlist=["x"]).entries_for(
               study.store.engine, int(pk))]
    assert sorted(e["action"] for e in log) == ["import"] * 3
    assert verify(study.store.engine)[1] is None
    again = _upload(client, export)  # the same file again: the same labels, not twice
    assert again.status_code == 200 and len(labels(study)) == 3
    study.close()


def test_import_is_refused_without_csrf_to_other_roles_and_for_non_files(tmp_path):
    study = make_study(tmp_path, 4)
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    post_id = study.store.posts.frame(("post_id",))["post_id"].iloc[0]
    export = zooniverse_export(tmp_path / "c.csv", [("zoo_maya", post_id, "Yes")])
    researcher = client_as(app, users["researcher"])
    assert _upload(researcher, export, csrf=None).status_code == 403
    assert _upload(researcher, export, csrf="forged").status_code == 403
    for role in ("annotator", "volunteer"):
        assert _upload(client_as(app, users[role]), export).status_code == 403
    url = researcher.post("/import/zooniverse", data={
        "csrf": researcher.csrf, "file": "https://example.org/classifications.csv"})
    assert url.status_code == 400 and "field &#39;file&#39;" in url.text  # never fetched
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00" * 50)
    refused = _upload(researcher, binary)
    assert refused.status_code == 400 and "photo.csv" in refused.text
    not_export = tmp_path / "posts.csv"
    not_export.write_text("post_id,text\n1,hello\n")
    refused = _upload(researcher, not_export)
    assert refused.status_code == 400 and "posts.csv: line 1: missing column" in refused.text
    assert "/tmp" not in refused.text  # the temporary file's path is not shown
    bad_mapping = _upload(researcher, export, b"[[task]]\nfield = 'relevant'\n")
    assert bad_mapping.status_code == 400 and "zoo-mapping.toml: task entry 1" in \
        bad_mapping.text
    assert labels(study).empty
    study.close()


def test_uploads_over_the_limit_are_refused_while_they_arrive(tmp_path, monkeypatch):
    monkeypatch.setattr(routes_import, "MAX_UPLOAD", 20_000)
    study = make_study(tmp_path, 4)
    app = create_app(study, fast_hashing=True)
    users = add_users(app)
    post_id = study.store.posts.frame(("post_id",))["post_id"].iloc[0]
    big = zooniverse_export(tmp_path / "big.csv", [("zoo_maya", post_id, "Yes")] * 400)
    assert big.stat().st_size > 100_000
    researcher = client_as(app, users["researcher"])
    assert _upload(researcher, big).status_code == 413  # declared length
    body = (f'--b0\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{researcher.csrf}'
            '\r\n--b0\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            'Content-Type: text/csv\r\n\r\n').encode() + big.read_bytes() + b"\r\n--b0--\r\n"

    def chunks():  # no Content-Length: counted as it comes
        for start in range(0, len(body), 8192):
            yield body[start:start + 8192]

    response = researcher.post("/import/zooniverse", content=chunks(),
                               headers={"content-type": "multipart/form-data; boundary=b0"})
    assert response.status_code == 413
    label_form = researcher.post(f"/label/{1}", data={"csrf": researcher.csrf,
                                                      "note": "x" * 300_000})
    assert label_form.status_code == 413  # any other form: 256 KiB at most
    assert labels(study, None).empty
    study.close()
