"""Deletion compliance: erase_posts (cascade, audit without raw ids) on SQLite and PostgreSQL,
id lists (X, Reddit, Bluesky) and `wildsift comply` with --deleted-ids and --jetstream."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import func, select
from sources.test_source_jetstream import FakeJetstream, events
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.privacy.ingest import Protector
from wildsift.records import Label, Post, RawPost
from wildsift.sources.compliance import normalise_id, read_deleted_ids
from wildsift.sources.ingest import ingest
from wildsift.store import Store, schema
from wildsift.store.erasure import erasure_hash

RHINO_URI = "at://did:plc:hornseller4n7q2vx3c5kd/app.bsky.feed.post/3l3qo2vuowo2b"




def _count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_erase_posts_takes_scores_matches_and_labels_along(store):
    posts = [Post(platform="x", post_id=f"p_{i}", text=f"ivory {i}",
                  created_at=datetime(2025, 1, 1, tzinfo=UTC)) for i in range(3)]
    store.posts.add(posts)
    batch = next(store.posts.iter())
    batch["relevance"] = 0.9
    store.scores.write("relevance", "v1", batch, ["relevance"])
    store.matches.replace(pd.DataFrame([{"post_pk": pk, "taxon": "elephant", "product": "ivory",
                                         "lang": "en", "term": "ivory", "kind": "product"}
                                        for pk in batch["pk"]]))
    store.labels.add([Label(post_id=f"p_{i}", field="relevant", value="1", annotator="a",
                            platform="x") for i in range(3)])
    assert store.erasures.erase("x", ["p_0", "p_2", "p_9", "p_0"], "test") == 2
    assert store.erasures.erase("mastodon", ["p_1"], "other platform") == 0
    assert list(store.posts.frame(["post_id"])["post_id"]) == ["p_1"]
    for table in (schema.scores, schema.matches, schema.labels):
        assert _count(store, table) == 1  # only what belongs to p_1 is left
    audit = store.erasures.frame()
    assert sorted(audit["post_hash"]) == sorted([erasure_hash("x", "p_0"), erasure_hash("x", "p_2")])
    assert set(audit["reason"]) == {"test"} and "p_0" not in audit.to_csv()
    assert store.erasures.erase("x", ["p_0"], "again") == 0  # idempotent


def test_store_without_erasures_table_is_upgraded(tmp_path):
    from alembic import command
    from alembic.config import Config

    from wildsift.store.migrate import MIGRATIONS, current_revision

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store.open(url)
    with store.engine.begin() as conn:  # a store as revision 0001 left it
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert "erasures" not in _tables(store)
    store.close()
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config).get_current_head()
    reopened = Store.open(url)
    assert current_revision(reopened.engine) == head and "erasures" in _tables(reopened)
    reopened.close()


def _tables(store) -> set[str]:
    from sqlalchemy import inspect
    return set(inspect(store.engine).get_table_names())


def test_id_lists_are_normalised_per_platform(tmp_path):
    assert normalise_id("reddit", "abc123") == "t3_abc123"
    assert normalise_id("reddit", "T3_ABC123") == "t3_abc123"
    assert normalise_id("x", "1790000000000000001") == "1790000000000000001"
    assert normalise_id("x", "@someone") is None
    assert normalise_id("bluesky", RHINO_URI) == RHINO_URI
    assert normalise_id("bluesky", "https://bsky.app/profile/x/post/1") is None
    path = tmp_path / "ids.txt"
    path.write_text("# X compliance job result\n1790000000000000001\n\n"
                    '{"id": "1790000000000000002", "action": "delete", "reason": "deleted"}\n'
                    "not-an-id\n{broken\n", encoding="utf-8")
    listed = read_deleted_ids(path, "x")
    assert listed.ids == ["1790000000000000001", "1790000000000000002"]
    assert listed.problems == [f"{path}:5: not a numeric tweet id", f"{path}:6: not valid JSON"]


def _ingest_x(study) -> None:
    records = [RawPost(platform="x", source_id=f"179000000000000000{i}", text=f"ivory bangle {i}",
                       author=f"seller{i}", source="x:test") for i in range(1, 4)]
    ingest(study, records, workers=1)


def test_comply_deleted_ids_erases_and_a_later_export_lacks_the_post(study, tmp_path):
    _ingest_x(study)
    pseudonym = Protector.for_study(study).post_id("x", "1790000000000000001")
    assert pseudonym in set(study.store.posts.frame(["post_id"])["post_id"])
    ids = tmp_path / "deleted.txt"
    ids.write_text("1790000000000000001\n1790000000000000009\n", encoding="utf-8")
    study.close()
    runner = CliRunner()
    result = runner.invoke(app, ["--study", str(study.root), "comply", "--deleted-ids", str(ids),
                                 "--platform", "x"])
    assert result.exit_code == 0, result.output
    assert "2 ids listed, 1 erased, 1 not found" in result.output
    assert study.store.posts.count() == 2
    audit = study.store.erasures.frame()
    assert len(audit) == 1 and audit["platform"][0] == "x"
    assert "1790000000000000001" not in audit.to_csv() and pseudonym not in audit.to_csv()
    out = tmp_path / "export.csv"
    exported = runner.invoke(app, ["--study", str(study.root), "export", str(out)])
    assert exported.exit_code == 0, exported.output
    csv = out.read_text(encoding="utf-8")
    assert "ivory bangle 1" not in csv and pseudonym not in csv and "ivory bangle 2" in csv


def test_comply_with_kept_source_ids_leaves_no_raw_id_in_the_audit(study, tmp_path):
    config = study.root / "wildsift.toml"
    config.write_text(config.read_text().replace("keep_source_ids = false",
                                                 "keep_source_ids = true"), encoding="utf-8")
    assert "keep_source_ids = true" in config.read_text()
    from wildsift.study import Study
    kept = Study.open(study.root)
    _ingest_x(kept)
    assert "1790000000000000002" in set(kept.store.posts.frame(["post_id"])["post_id"])
    kept.close()
    ids = tmp_path / "deleted.txt"
    ids.write_text("1790000000000000002\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--study", str(study.root), "comply", "--deleted-ids",
                                      str(ids), "--platform", "x"])
    assert result.exit_code == 0 and "1 erased" in result.output, result.output
    reopened = Study.open(study.root)
    assert "1790000000000000002" not in reopened.store.erasures.frame().to_csv()
    assert reopened.store.posts.count() == 2
    reopened.close()


def test_comply_jetstream_erases_what_was_deleted_on_bluesky(study):
    ingest(study, [RawPost(platform="bluesky", source_id=RHINO_URI, text="rhino horn for sale",
                           author="did:plc:hornseller4n7q2vx3c5kd", source="bluesky:search")],
           workers=1)
    stream = FakeJetstream()
    try:
        stream.batches = [events("events.jsonl") + events("events_delete.jsonl")]
        config = study.root / "wildsift.toml"
        config.write_text(config.read_text() + f'\n[[sources]]\ntype = "jetstream"\nname = "jet"'
                          f'\nbase_url = "{stream.url}"\nqueries = ["rhinoceros"]\n'
                          "options = {idle_seconds = 0.3}\n", encoding="utf-8")
        study.close()
        result = CliRunner().invoke(app, ["--study", str(study.root), "comply", "--jetstream"])
    finally:
        stream.close()
    assert result.exit_code == 0, result.output
    assert "jet: 3 deletions read, 1 erased, 2 not found" in result.output
    assert study.store.posts.count() == 0
    assert "cursor=" in stream.paths[0]  # a first compliance run looks back in time
    assert study.store.cursors.get("jet", "deletions") == "1725911170000004"


def test_comply_explains_what_it_needs(study, tmp_path):
    runner = CliRunner()
    nothing = runner.invoke(app, ["--study", str(study.root), "comply"])
    assert nothing.exit_code != 0 and "--jetstream" in (nothing.stderr or nothing.output)
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n", encoding="utf-8")
    no_platform = runner.invoke(app, ["--study", str(study.root), "comply", "--deleted-ids",
                                      str(ids)])
    assert no_platform.exit_code != 0 and "--platform" in (no_platform.stderr
                                                            or no_platform.output)
    no_stream = runner.invoke(app, ["--study", str(study.root), "comply", "--jetstream"])
    assert no_stream.exit_code != 0 and "jetstream" in (no_stream.stderr or no_stream.output)
