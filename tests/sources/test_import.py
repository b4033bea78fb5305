"""Importing researchers' CSV / JSONL exports: mapping, quarantine, idempotence, labels, privacy."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.errors import ConfigError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import FileSourceError
from wildsift.sources.fields import normalise_label, parse_datetime, parse_mapping
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest

FILES = Path(__file__).parents[1] / "fixtures" / "files"
runner = CliRunner()


def read_all(path: Path, **options) -> tuple[list[RawPost], list[Quarantined], FileReader]:
    reader = FileReader(path, **options)
    records = list(reader)
    posts = [r for r in records if isinstance(r, RawPost)]
    bad = [r for r in records if isinstance(r, Quarantined)]
    return posts, bad, reader


def by_location(bad: list[Quarantined]) -> dict[str, Quarantined]:
    return {q.location: q for q in bad}


# -- reading ------------------------------------------------------------------------------
def test_csv_fields_are_parsed():
    posts, _bad, reader = read_all(FILES / "posts.csv")
    assert [p.source_id for p in posts] == ["1", "2", "6"]
    first = posts[0]
    assert first.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert (first.lat, first.lon, first.country) == (10.77, 106.70, "VN")
    assert first.mentions == ["buyer_one", "buyer_two"]
    assert first.hashtags == ["#rhinohorn", "ivory"]
    assert [(m.url, m.kind) for m in first.media] == [
        ("photos/horn.jpg", "image"), ("https://cdn.example/v.mp4", "video")]
    assert first.platform == reader.platform and first.source == "import:posts.csv"
    assert reader.platform.startswith("file-")  # no platform column: the file's own
    assert first.label == "1"
    assert posts[1].text == "Rhino 3D\nsoftware tutorial"  # a quoted multi-line cell
    assert posts[1].created_at == datetime(2024, 5, 1, 11, 30, tzinfo=UTC)  # naive -> UTC
    assert posts[2].created_at == datetime.fromtimestamp(1714600000, UTC)  # Unix epoch
    assert reader.unknown_columns == ["likes"]


def test_csv_bad_rows_are_quarantined_with_file_line_and_field():
    _, bad, _ = read_all(FILES / "posts.csv")
    where = by_location(bad)
    assert set(where) == {"posts.csv:5", "posts.csv:6", "posts.csv:7", "posts.csv:8"}
    assert where["posts.csv:5"].field == "created_at"  # line numbers count the multi-line cell
    assert where["posts.csv:6"].field == "lat" and "out of range" in where["posts.csv:6"].reason
    assert where["posts.csv:7"].field == "text"
    assert where["posts.csv:8"].field == "id"
    assert all(q.source == "posts.csv" for q in bad)


def test_jsonl_records_and_quarantine():
    posts, bad, reader = read_all(FILES / "posts.jsonl")
    assert [p.source_id for p in posts] == ["101", "102", "105"]
    assert posts[0].created_at == datetime(2024, 5, 1, 3, 0, tzinfo=UTC)  # +07:00 -> UTC
    assert posts[0].hashtags == ["sungtegiac"] and posts[0].label == "1"
    assert posts[1].created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)  # Twitter format
    assert posts[1].label == "0"
    where = by_location(bad)
    assert set(where) == {"posts.jsonl:3", "posts.jsonl:4", "posts.jsonl:5"}
    assert "not valid JSON" in where["posts.jsonl:3"].reason
    assert "not a JSON object" in where["posts.jsonl:4"].reason
    assert where["posts.jsonl:5"].field == "lat"
    assert reader.unknown_columns == ["retweets", "views"]


@pytest.mark.parametrize("name,content,bad_line", [
    ("bad.csv", b"id,text\n1,fine\n2,caf\xe9 cr\xe8me\n3,also fine\n", 3),
    ("bad.jsonl", (b'{"id": "1", "text": "fine"}\n{"id": "2", "text": "caf\xe9"}\n'
                  b'{"id": "3", "text": "also fine"}\n'), 2),
])
def test_undecodable_bytes_quarantine_one_record(tmp_path, name, content, bad_line):
    path = tmp_path / name
    path.write_bytes(content)
    posts, bad, _ = read_all(path)
    assert [p.source_id for p in posts] == ["1", "3"]
    (q,) = bad
    assert q.location == f"{name}:{bad_line}"
    offset = content.index(b"\xe9")
    assert q.reason == f"not valid UTF-8 at byte {offset}"
    if name.endswith(".csv"):
        assert q.field == "text"


def test_mapping_from_flags_and_unknown_columns():
    mapping = parse_mapping(["id=tweet_id", "text=body", "author=user", "created_at=posted",
                             "label=relevant"])
    posts, bad, reader = read_all(FILES / "mapped.csv", mapping=mapping, platform="twitter")
    assert not bad
    assert [(p.source_id, p.text, p.label, p.platform) for p in posts] == [
        ("a1", "Rhino horn bracelet", "1", "twitter"),
        ("a2", "Jaguar car for sale", "0", "twitter")]
    assert posts[0].author == "Mapped Author"
    assert reader.unknown_columns == ["extra_col"]


def test_mapping_dotted_paths_in_jsonl():
    mapping = {"id": "id_str", "text": "full_text", "author": "user.screen_name",
               "author_description": "user.description"}
    (post,), _bad, reader = read_all(FILES / "nested.jsonl", mapping=mapping)
    assert (post.source_id, post.author, post.author_description) == (
        "n1", "nested_seller", "wholesale")
    assert reader.unknown_columns == []


def test_csv_without_required_column_says_how_to_map():
    with pytest.raises(FileSourceError, match=r"no column for 'id'.*--map id=COLUMN"):
        list(FileReader(FILES / "mapped.csv"))


def test_bad_mapping_and_unreadable_files(tmp_path):
    with pytest.raises(ConfigError, match="FIELD=COLUMN"):
        parse_mapping(["text"])
    with pytest.raises(ConfigError, match="unknown field"):
        parse_mapping(["body=text"])
    with pytest.raises(FileSourceError, match="missing.csv"):
        FileReader(tmp_path / "missing.csv")
    with pytest.raises(FileSourceError, match="--format"):
        FileReader(tmp_path / "x.txt")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(FileSourceError, match="folder"):
        FileReader(tmp_path / "dir.csv")


@pytest.mark.parametrize("value,expected", [
    ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ("2024-05-01T12:00:00+02:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ("2024/05/01 10:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ("Wed, 01 May 2024 10:00:00 GMT", datetime(2024, 5, 1, 10, tzinfo=UTC)),
    ("1714557600000", datetime(2024, 5, 1, 10, tzinfo=UTC)),
])
def test_dates_become_aware_utc(value, expected):
    assert parse_datetime(value) == expected


def test_labels_normalise():
    assert [normalise_label(v) for v in ("1", "0", "TRUE", "no", "Relevant", "irrelevant", 1.0,
                                         False, "")] == ["1", "0", "1", "0", "1", "0", "1", "0",
                                                         None]
    with pytest.raises(ValueError):
        normalise_label("maybe")


# -- ingesting ----------------------------------------------------------------------------
def test_ingest_stores_quarantines_and_labels(study):
    counts = ingest(study, FileReader(FILES / "posts.csv"), batch_size=2)
    assert (counts.read, counts.stored, counts.duplicates, counts.quarantined) == (7, 3, 0, 4)
    assert counts.labels == 3
    assert study.store.posts.count() == 3
    labels = study.store.labels.frame("relevant")
    assert sorted(labels["value"]) == ["0", "0", "1"]
    assert set(labels["annotator"]) == {"import"}
    assert len(study.store.quarantine.all()) == 4
    frame = study.store.posts.frame(["platform", "hashtags", "reply_to", "author"])
    assert frame["hashtags"][0] == ["rhinohorn", "ivory"]
    # the reply in row 2 points at the author of row 1: same pseudonym, no name
    assert frame["reply_to"][1] == frame["author"][0] and frame["author"][0].startswith("u_")


def test_reimport_adds_nothing(study):
    ingest(study, FileReader(FILES / "posts.csv"))
    again = ingest(study, FileReader(FILES / "posts.csv"))
    assert (again.read, again.stored, again.duplicates, again.quarantined) == (7, 0, 3, 4)
    assert study.store.posts.count() == 3
    assert len(study.store.quarantine.all()) == 4  # not listed twice
    assert len(study.store.labels.frame()) == 3


def test_duplicates_inside_one_file_are_counted(study, tmp_path):
    path = tmp_path / "dups.csv"
    path.write_text("id,text\n1,a\n1,a again\n2,b\n", encoding="utf-8")
    counts = ingest(study, FileReader(path))
    assert (counts.stored, counts.duplicates) == (2, 1)


def test_author_names_never_reach_the_database(study):
    ingest(study, FileReader(FILES / "posts.csv"))
    ingest(study, FileReader(FILES / "posts.jsonl"))
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    assert blob  # the database was written
    for name in ("Nguyen Van Trader", "Design Guy", "Carver Chen", "Tran Seller", "buyer_one",
                 "Scale Trader"):
        assert name.encode() not in blob


# -- the command --------------------------------------------------------------------------
def cli(study, *args):
    return runner.invoke(app, ["--study", str(study.root), "import", *map(str, args)])


def test_cli_import_prints_counts_and_unknown_columns_once(study):
    result = cli(study, FILES / "posts.csv")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "read 7, stored 3, duplicates 0, quarantined 4, labels 3" in out
    assert out.count("likes") == 1
    again = cli(study, FILES / "posts.csv")
    assert "stored 0, duplicates 3" in again.output


def test_cli_map_flags_win_over_the_study_table(study):
    config = study.root / "wildsift.toml"
    config.write_text(config.read_text() + '\n[import-map]\nid = "tweet_id"\ntext = "extra_col"\n')
    result = cli(study, FILES / "mapped.csv", "--map", "text=body", "--platform", "twitter")
    assert result.exit_code == 0, result.output
    study.close()
    frame = study.store.posts.frame(["platform", "text"])
    assert list(frame["text"]) == ["Rhino horn bracelet", "Jaguar car for sale"]
    assert set(frame["platform"]) == {"twitter"}


def test_cli_unreadable_file_exits_with_one_line(study, tmp_path):
    result = cli(study, tmp_path / "nope.csv")
    assert result.exit_code != 0
    lines = [line for line in (result.stderr or result.output).splitlines() if line.strip()]
    assert len(lines) == 1 and "nope.csv" in lines[0]
    result = cli(study, FILES / "posts.csv", "--format", "xml")
    assert result.exit_code != 0 and "xml" in (result.stderr or result.output)
    result = cli(study, FILES / "posts.csv", "--map", "nonsense")
    assert result.exit_code != 0 and "FIELD=COLUMN" in (result.stderr or result.output)
