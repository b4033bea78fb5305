"""Importers of export formats: twarc2 (pages, flattened), Zeeschuimer, 4CAT (CSV, NDJSON) and
Telegram Desktop; format detection; quarantine with file:line; privacy of what is stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.errors import ConfigError
from wildsift.records import Quarantined, RawPost
from wildsift.sources.base import FileSourceError
from wildsift.sources.files.detect import FORMATS, detect_format, open_import
from wildsift.sources.files.lines import loads
from wildsift.sources.files.telegram_desktop import TelegramDesktopReader
from wildsift.sources.ingest import ingest

IMPORTS = Path(__file__).parents[1] / "fixtures" / "imports"
FILES = Path(__file__).parents[1] / "fixtures" / "files"
runner = CliRunner()

FIXTURES = {
    "twarc2_pages.jsonl": "twarc2", "twarc2_flat.jsonl": "twarc2-flat",
    "zeeschuimer.ndjson": "zeeschuimer", "4cat.csv": "4cat-csv", "4cat.ndjson": "4cat-ndjson",
    "result.json": "telegram-desktop",
}
# Account handles, display names and phone numbers written in the fixtures.
PERSONAL = [
    "scale_dealer_hn", "wildlife_watch_org", "Pangolin Scale Dealer", "Wildlife Watcher Org",
    "ivory_carver_tt", "Ivory Carver Studio", "buyer.tt", "exotic_birds_hub", "Exotic Birds Hub",
    "parrot_courier", "horn_trader_x", "Horn Trader", "vintage_shell_shop", "xiangya_shop",
    "象牙工艺店", "中药材老李", "pangolin_meds_tt", "Pangolin Meds Shop", "Tran Van Chim",
    "Le Thi Mua", "chimcanh_saigon", "0912 345 678", "0903 123 456", "0987 654 321",
    "1500000000000000001", "1600000000000000001", "222222222",
]


def read(name: str) -> tuple[list[RawPost], dict[str, Quarantined], object]:
    reader = open_import(IMPORTS / name)
    records = list(reader)
    posts = [r for r in records if isinstance(r, RawPost)]
    bad = {q.location: q for q in records if isinstance(q, Quarantined)}
    return posts, bad, reader


# -- detection ------------------------------------------------------------------------------
@pytest.mark.parametrize("name,fmt", [*FIXTURES.items(), ("posts.csv", "csv"),
                                      ("posts.jsonl", "jsonl"), ("nested.jsonl", "jsonl")])
def test_each_export_is_detected_from_its_content(name, fmt, tmp_path):
    source = (IMPORTS if name in FIXTURES else FILES) / name
    disguised = tmp_path / "export.txt"  # the extension says nothing
    disguised.write_bytes(source.read_bytes())
    assert detect_format(disguised) == fmt
    assert open_import(disguised).format == fmt


def test_a_twarc2_page_longer_than_the_sniffed_head_is_still_twarc2(tmp_path):
    tweets = [{"id": str(10**18 + i), "author_id": "1", "text": "x" * 500,
               "edit_history_tweet_ids": [str(10**18 + i)]} for i in range(1000)]
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"data": tweets, "includes": {"users": []}}) + "\n")
    assert path.stat().st_size > 256 * 1024
    assert detect_format(path) == "twarc2"


def test_unknown_content_lists_the_formats(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing tabular\n")
    with pytest.raises(FileSourceError) as info:
        detect_format(path)
    for name in FORMATS:
        assert name in str(info.value)
    (tmp_path / "empty.json").write_bytes(b"")
    with pytest.raises(FileSourceError, match="empty"):
        detect_format(tmp_path / "empty.json")


def test_fixed_formats_refuse_map_and_platform():
    with pytest.raises(ConfigError, match="--map"):
        open_import(IMPORTS / "twarc2_pages.jsonl", mapping={"text": "body"})
    with pytest.raises(ConfigError, match="--platform"):
        open_import(IMPORTS / "zeeschuimer.ndjson", platform="tiktok")
    with pytest.raises(FileSourceError, match="unknown format"):
        open_import(IMPORTS / "4cat.csv", format="xml")


# -- twarc2 ---------------------------------------------------------------------------------
def test_twarc2_pages_map_tweets_with_their_includes():
    posts, bad, _ = read("twarc2_pages.jsonl")
    assert [p.source_id for p in posts] == [
        "1790000000000000001", "1790000000000000002", "1790000000000000003"]
    first, reply = posts[0], posts[1]
    assert (first.platform, first.author, first.lang) == ("x", "1500000000000000001", "vi")
    assert first.created_at == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert first.author_description == "Hàng rừng, ship toàn quốc"  # from includes.users
    assert (first.place, first.country) == ("Hà Nội, Việt Nam", "VN")
    assert first.lat == pytest.approx(21.025) and first.lon == pytest.approx(105.85)
    assert [m.url for m in first.media] == ["https://pbs.twimg.com/media/Fscales01.jpg"]
    assert first.query == "tê tê OR pangolin"  # from __twarc.url
    assert first.source == "import:twarc2_pages.jsonl"
    assert reply.reply_to == "1500000000000000001" and reply.mentions == ["1500000000000000001"]
    assert reply.media[0].url.endswith("640x360/high.mp4") and reply.media[0].kind == "video"
    assert set(bad) == {"twarc2_pages.jsonl:2", "twarc2_pages.jsonl:3 (tweet 1790000000000000004)"}
    assert "not valid JSON" in bad["twarc2_pages.jsonl:2"].reason
    assert bad["twarc2_pages.jsonl:3 (tweet 1790000000000000004)"].field == "text"


def test_flattened_tweets_equal_the_pages_they_came_from():
    pages, _, _ = read("twarc2_pages.jsonl")
    flat, bad, _ = read("twarc2_flat.jsonl")
    fields = ("source_id", "text", "author", "author_description", "created_at", "lat", "lon",
              "place", "country", "reply_to", "mentions", "hashtags", "media", "query")
    for page_post, flat_post in zip(pages[:2], flat, strict=True):
        assert [getattr(flat_post, f) for f in fields] == [getattr(page_post, f) for f in fields]
    assert bad["twarc2_flat.jsonl:3"].field == "id"


# -- Zeeschuimer and 4CAT -------------------------------------------------------------------
def test_zeeschuimer_items_of_each_platform():
    posts, bad, _ = read("zeeschuimer.ndjson")
    by = {p.platform: p for p in posts}
    assert list(by) == ["tiktok", "instagram", "x", "threads", "douyin", "rednote"]
    tiktok = by["tiktok"]
    assert (tiktok.source_id, tiktok.author, tiktok.country) == (
        "7364000000000000001", "ivory_carver_tt", "VN")
    assert tiktok.hashtags == ["ngavoi", "ivory"] and tiktok.mentions == ["buyer.tt"]
    assert tiktok.created_at == datetime.fromtimestamp(1714550000, UTC)
    assert tiktok.media[0].kind == "video" and tiktok.media[0].thumbnail.endswith("cover1.jpeg")
    insta = by["instagram"]
    assert (insta.source_id, insta.author, insta.place) == (
        "C8abcDEFghi", "exotic_birds_hub", "Lagos, Nigeria")
    assert (insta.lat, insta.lon) == (6.4531, 3.3958)
    assert insta.media[0].url.endswith("parrot_1080.jpg")  # the largest candidate
    assert insta.mentions == ["parrot_courier"] and "africangrey" in insta.hashtags
    x = by["x"]
    assert (x.source_id, x.author, x.hashtags) == (
        "1791000000000000001", "1600000000000000001", ["rhinohorn"])
    assert x.created_at == datetime(2024, 5, 2, 3, 4, 5, tzinfo=UTC)
    assert by["threads"].source_id == "C9xyzTHRds"
    assert by["douyin"].hashtags == ["象牙", "收藏"] and by["douyin"].media[0].kind == "video"
    rednote = by["rednote"]
    assert rednote.text.startswith("穿山甲鳞片 药用\n") and rednote.hashtags == ["穿山甲", "中药"]
    assert rednote.media[0].url.endswith("/dft/scales.jpg")  # the WB_DFT scene
    assert rednote.created_at == datetime.fromtimestamp(1714590000, UTC)  # milliseconds
    assert bad["zeeschuimer.ndjson:7"].field == "id"
    assert bad["zeeschuimer.ndjson:8"].field == "source_platform"
    assert "pinterest.com" in bad["zeeschuimer.ndjson:8"].reason


def test_4cat_ndjson_is_zeeschuimer_items_with_import_meta():
    posts, bad, _ = read("4cat.ndjson")
    zee, _, _ = read("zeeschuimer.ndjson")
    assert [(p.platform, p.source_id, p.text) for p in posts] == [
        (p.platform, p.source_id, p.text) for p in zee[:2]]
    assert bad["4cat.ndjson:3"].field == "__import_meta"


def test_4cat_csv_rows():
    posts, bad, reader = read("4cat.csv")
    assert [p.source_id for p in posts] == ["7364000000000000011", "7364000000000000012"]
    first = posts[0]
    assert first.platform == "tiktok"  # from the tiktok_url column's domain
    assert first.created_at == datetime.fromtimestamp(1714550400, UTC)  # unix_timestamp wins
    assert first.text == "Vảy tê tê sao vàng, chữa bệnh\ngiao hàng toàn quốc"
    assert first.hashtags == ["vaytete", "thuoc"]  # comma-separated in 4CAT
    assert [(m.url.rsplit("/", 1)[1], m.kind) for m in first.media] == [("scales.mp4", "video")]
    assert bad["4cat.csv:5"].field == "created_at" and "not a date" not in bad["4cat.csv:5"].reason
    assert bad["4cat.csv:6"].field == "id"
    assert "likes" in reader.unknown_columns and "author_full" in reader.unknown_columns
    fixed = list(open_import(IMPORTS / "4cat.csv", platform="douyin"))
    assert {r.platform for r in fixed if isinstance(r, RawPost)} == {"douyin"}


# -- Telegram Desktop -----------------------------------------------------------------------
def test_telegram_desktop_export():
    posts, bad, reader = read("result.json")
    assert [p.source_id for p in posts] == ["1712345678_2", "1712345678_3", "1712345678_5"]
    plain, mixed, video = posts
    assert plain.platform == "telegram" and plain.author == "user:222222222"
    # date_unixtime (UTC) wins over the exporting computer's local date (09:00 at UTC+7)
    assert plain.created_at == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert mixed.text == "Vẹt con #vetxam liên hệ 0903 123 456 hoặc @chimcanh_saigon ship COD"
    assert mixed.hashtags == ["vetxam"] and mixed.mentions == ["chimcanh_saigon"]
    assert mixed.media[0].url == str(IMPORTS / "photos/photo_1@01-05-2024_09-05-00.jpg")
    assert video.author == "channel:1712345678" and video.media[0].kind == "video"
    assert (video.lat, video.lon) == (10.7769, 106.7009)
    assert bad["result.json:message 4"].field == "date_unixtime"
    assert reader.skipped == {"service messages": 1, "messages without text or media": 1}


def test_a_cut_off_telegram_export_keeps_what_came_before(tmp_path):
    text = (IMPORTS / "result.json").read_text(encoding="utf-8")
    cut = tmp_path / "result.json"
    cut.write_text(text[: text.index('"id": 4')], encoding="utf-8")
    records = list(TelegramDesktopReader(cut))
    assert [r.source_id for r in records if isinstance(r, RawPost)] == [
        "1712345678_2", "1712345678_3"]
    (last,) = [r for r in records if isinstance(r, Quarantined)]
    assert "cut off" in last.reason and last.location == "result.json:message #4"


def test_integers_beyond_64_bits_keep_their_digits():
    assert loads(b'{"id": 123456789012345678901234567890}')["id"] == 123456789012345678901234567890
    assert loads(b'{"id": "7364000000000000001", "n": 1.5e+3}') == {
        "id": "7364000000000000001", "n": 1500.0}


# -- stored through a real study, with privacy ----------------------------------------------
def cli(study, *args):
    return runner.invoke(app, ["--study", str(study.root), "import", *map(str, args)])


@pytest.mark.parametrize("name,stored,quarantined", [
    ("twarc2_pages.jsonl", 3, 2), ("twarc2_flat.jsonl", 2, 1), ("zeeschuimer.ndjson", 6, 2),
    ("4cat.csv", 2, 2), ("4cat.ndjson", 2, 1), ("result.json", 3, 1),
])
def test_cli_imports_each_format_without_format_flag(study, name, stored, quarantined):
    result = cli(study, IMPORTS / name)
    assert result.exit_code == 0, result.output
    assert f"({FIXTURES[name]})" in result.output
    assert f"stored {stored}, duplicates 0, quarantined {quarantined}" in result.output
    assert study.store.posts.count() == stored
    locations = {q.location for q in study.store.quarantine.all()}
    assert len(locations) == quarantined and all(loc.startswith(name) for loc in locations)
    again = cli(study, IMPORTS / name, "--format", FIXTURES[name])
    assert f"stored 0, duplicates {stored}" in again.output


def test_cli_reports_skipped_telegram_messages(study):
    result = cli(study, IMPORTS / "result.json")
    assert "skipped 1 service messages" in result.output


def test_handles_names_and_phones_never_reach_the_database(study):
    for name in FIXTURES:
        counts = ingest(study, open_import(IMPORTS / name))
        assert counts.read > 0
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    assert b"Rhino horn powder" in blob  # the texts were written
    leaked = [value for value in PERSONAL if value.encode() in blob]
    assert leaked == []


def test_workers_store_what_one_process_stores(tmp_path):
    from wildsift.study import SECRET_NAME, Study

    one = Study.init(tmp_path / "one", name="one")
    two = Study.init(tmp_path / "two", name="two")
    (two.root / SECRET_NAME).write_text((one.root / SECRET_NAME).read_text())
    path = tmp_path / "pages.jsonl"
    path.write_bytes((IMPORTS / "twarc2_pages.jsonl").read_bytes() * 3)
    a = ingest(one, open_import(path), workers=1, batch_size=1)
    b = ingest(two, open_import(path), workers=2, batch_size=1)
    assert a == b and (a.read, a.stored, a.duplicates, a.quarantined) == (15, 3, 6, 6)
    columns = ("platform", "post_id", "text", "author", "created_at")
    assert (one.store.posts.frame(columns).values.tolist()
            == two.store.posts.frame(columns).values.tolist())


def test_a_whole_account_telegram_export_reads_every_chat(tmp_path):
    chat = json.loads((IMPORTS / "result.json").read_text(encoding="utf-8"))
    other = {"name": "Other", "type": "private_channel", "id": 99, "messages": [
        {"id": 7, "type": "message", "date": "2024-05-03T00:00:00", "date_unixtime": "1714694400",
         "from": "Other", "from_id": "channel99", "text": "ivory"}]}
    account = {"about": "...", "personal_information": {"user_id": 1, "first_name": "Me"},
               "chats": {"about": "...", "list": [chat, other]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(account, indent=1), encoding="utf-8")
    assert detect_format(path) == "telegram-desktop"
    ids = [r.source_id for r in open_import(path) if isinstance(r, RawPost)]
    assert ids == ["1712345678_2", "1712345678_3", "1712345678_5", "99_7"]
