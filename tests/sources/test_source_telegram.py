"""Telegram connector: the mapping on real Telethon objects, FloodWait and cursors via a fake
client. Telethon speaks MTProto (not HTTP), so no local server can stand in for Telegram and
there is no network test here (see docs/sources.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("telethon")

from telethon import helpers
from telethon.errors import ChannelPrivateError, FloodWaitError
from telethon.tl import types

from wildsift.errors import ConfigError, CredentialsError, RecordError
from wildsift.sources.base import Source
from wildsift.sources.credentials import Credentials
from wildsift.sources.registry import build_source
from wildsift.sources.run import mine_source, run_term
from wildsift.sources.telegram.client import TelegramSource, build, session_path
from wildsift.sources.telegram.errors import TelegramError, TelegramRateLimited
from wildsift.sources.telegram.mapping import map_message
from wildsift.study import SourceSettings

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "telegram" /
                      "channel_ivorytrade.json").read_text(encoding="utf-8"))
CHANNEL = FIXTURE["channel"]


def _entity(text: str, spec: dict):
    """A real entity whose offsets count UTF-16 code units, as Telegram sends them."""
    wide = helpers.add_surrogate(text)
    offset = wide.index(helpers.add_surrogate(spec["text"]))
    length = len(helpers.add_surrogate(spec["text"]))
    kind = {"hashtag": types.MessageEntityHashtag, "mention": types.MessageEntityMention}
    return kind[spec["type"]](offset=offset, length=length)


def _media(spec: dict | None):
    if spec is None:
        return None
    if spec["type"] == "photo":
        return types.MessageMediaPhoto(photo=types.Photo(
            id=spec["photo_id"], access_hash=1, file_reference=b"", date=None, sizes=[], dc_id=4))
    if spec["type"] == "document":
        return types.MessageMediaDocument(document=types.Document(
            id=spec["document_id"], access_hash=1, file_reference=b"", date=None,
            mime_type=spec["mime_type"], size=1000, dc_id=4, attributes=[]))
    return types.MessageMediaVenue(
        geo=types.GeoPoint(long=spec["long"], lat=spec["lat"], access_hash=0),
        title=spec["title"], address="", provider="", venue_id="", venue_type="")


def message(spec: dict, channel_id: int = FIXTURE["channel_id"]):
    """A real ``telethon.tl.types.Message`` (or MessageService) from a fixture entry."""
    peer = types.PeerChannel(channel_id)
    if "service" in spec:
        return types.MessageService(id=spec["id"], peer_id=peer, date=datetime.now(UTC),
                                    action=types.MessageActionPinMessage())
    return types.Message(
        id=spec["id"], peer_id=peer, date=datetime.fromisoformat(spec["date"]),
        message=spec["message"], post=spec.get("post"),
        from_id=types.PeerUser(spec["from_user"]) if "from_user" in spec else None,
        entities=[_entity(spec["message"], e) for e in spec.get("entities", [])] or None,
        media=_media(spec.get("media")))


class FakeClient:
    """The MessageClient interface over fixture messages: search, min_id, oldest first."""

    def __init__(self, messages: dict[str, list]):
        self.channels = messages
        self.calls: list[tuple] = []
        self.fail_first: list[BaseException] = []
        self.closed = False

    def messages(self, channel, search, min_id, limit):
        self.calls.append((channel, search, min_id, limit))
        if self.fail_first:
            raise self.fail_first.pop(0)
        found = [m for m in self.channels.get(channel, []) if m.id > min_id]
        return sorted(found, key=lambda m: m.id)[:limit]

    def close(self):
        self.closed = True


def settings_for(**options) -> SourceSettings:
    options = {"channels": [f"@{CHANNEL}", "otherchannel"], **options}
    return SourceSettings(type="telegram", name="tg", queries=["ivory"], options=options)


@pytest.fixture
def client():
    return FakeClient({CHANNEL: [message(m) for m in FIXTURE["messages"]],
                       "otherchannel": [message({"id": 7, "date": "2024-04-01T00:00:00+00:00",
                                                 "message": "nothing to see"}, 1700000002)]})


def source_for(client, sleeps=None, **options) -> TelegramSource:
    sleeps = [] if sleeps is None else sleeps
    settings = settings_for(**options)
    return build(settings, Credentials(settings, environ={}), client=client,
                 sleep=sleeps.append, jitter=lambda: 0.5)


# -- mapping on real Telethon objects -----------------------------------------------------
def test_map_photo_hashtags_and_mentions():
    post = map_message(message(FIXTURE["messages"][0]), CHANNEL, "ivory", "telegram:tg")
    assert post.platform == "telegram" and post.source_id == "1700000001_101"
    assert post.author == "channel:1700000001"  # a channel posts as itself
    assert post.created_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert post.hashtags == ["ngàvoi"] and post.mentions == ["ivory_boss"]
    assert [(m.kind, m.url) for m in post.media] == [("image", f"https://t.me/{CHANNEL}/101")]


def test_entity_offsets_are_utf16_with_emoji():
    post = map_message(message(FIXTURE["messages"][1]), CHANNEL, "q", "s")
    assert post.hashtags == ["rùa", "tortoise"]  # not shifted by the emoji before them
    assert post.media[0].kind == "video"


def test_venue_gives_coordinates_and_user_author():
    post = map_message(message(FIXTURE["messages"][3]), CHANNEL, "q", "s")
    assert (post.lat, post.lon) == (21.0278, 105.8342) and post.place == "Chợ Đồng Xuân"
    assert post.author == "user:424242"


def test_service_message_is_a_record_error():
    with pytest.raises(RecordError) as info:
        map_message(message(FIXTURE["messages"][2]), CHANNEL, "q", "s")
    assert info.value.field == "type" and "MessageService" in info.value.reason


# -- fetching through the client interface ------------------------------------------------
def test_source_follows_the_protocol(client):
    assert isinstance(source_for(client), Source)


def test_channels_in_turn_quarantine_and_cursor(study, client):
    pages, counts = run_term(study, source_for(client), "ivory", max_pages=10)
    assert pages == 2 and counts.stored == 4 and counts.quarantined == 1
    assert client.calls == [(CHANNEL, "ivory", 0, 100), ("otherchannel", "ivory", 0, 100)]
    (item,) = study.store.quarantine.all()
    assert item.field == "type" and item.source == "telegram:tg"
    cursor = json.loads(study.store.cursors.get("tg", "ivory"))
    assert cursor == {"at": 0, "min": {CHANNEL: 104, "otherchannel": 7}}


def test_small_pages_continue_in_the_same_channel(study, client):
    run_term(study, source_for(client, limit=2), "ivory", max_pages=10)
    assert [c[:3] for c in client.calls] == [(CHANNEL, "ivory", 0), (CHANNEL, "ivory", 102),
                                             (CHANNEL, "ivory", 104), ("otherchannel", "ivory", 0)]
    assert study.store.posts.count() == 4


def test_second_run_fetches_only_new(study, client):
    source = source_for(client)
    run_term(study, source, "ivory", max_pages=10)
    client.calls.clear()
    client.channels[CHANNEL].append(message(FIXTURE["new"][0]))
    _, counts = run_term(study, source, "ivory", max_pages=10)
    assert client.calls == [(CHANNEL, "ivory", 104, 100), ("otherchannel", "ivory", 7, 100)]
    assert counts.stored == 1 and counts.duplicates == 0


def test_flood_wait_sleeps_the_seconds_telegram_asks(study, client):
    client.fail_first = [FloodWaitError(request=None, capture=42)]
    sleeps: list[float] = []
    run_term(study, source_for(client, sleeps), "ivory", max_pages=1)
    assert sleeps == [42.0] and study.store.posts.count() == 3


def test_long_flood_wait_ends_the_run(client):
    client.fail_first = [FloodWaitError(request=None, capture=86400)]
    with pytest.raises(TelegramRateLimited) as info:
        source_for(client).fetch("ivory", None)
    assert info.value.retry_after == 86400


def test_private_channel_names_the_option(client):
    client.fail_first = [ChannelPrivateError(request=None)]
    with pytest.raises(TelegramError, match="options.channels"):
        source_for(client).fetch("ivory", None)


def test_missing_api_id_names_the_variable(study, monkeypatch):
    monkeypatch.delenv("WILDSIFT_TELEGRAM_API_ID", raising=False)
    with pytest.raises(CredentialsError, match="WILDSIFT_TELEGRAM_API_ID"):
        build_source(settings_for(), study_root=study.root)


def test_options_need_channels():
    with pytest.raises(ConfigError, match="options.channels"):
        TelegramSource(SourceSettings(type="telegram", name="tg", options={}))


def test_session_lives_in_the_study_folder(tmp_path):
    settings = settings_for()
    from wildsift.sources.options import parse_options
    from wildsift.sources.telegram.client import TelegramOptions
    path = session_path(settings, parse_options(TelegramOptions, settings), tmp_path)
    assert path == tmp_path / "sessions" / "telegram-tg.session"


def test_dry_run_describes_each_term(study):
    class Lex:
        def expand(self, query, languages):
            return ["ngà voi"]

    (result,) = mine_source(study, settings_for(), dry_run=True, lexicon=Lex())
    assert result.terms == ["ivory", "ngà voi"]
    assert result.calls[0].startswith(f"messages.search @{CHANNEL} q='ivory' min_id=0")
    assert result.quota == 4  # two terms x two channels


def test_channel_handles_never_reach_the_database(study, client):
    run_term(study, source_for(client), "ivory", max_pages=10)
    study.close()
    blob = b"".join(p.read_bytes() for p in study.root.glob("wildsift.sqlite*"))
    for secret in (b"ivory_boss", b"424242", b"1700000001"):
        assert secret not in blob
    # the configured channel names are study settings (cursor keys, like a subreddit), but no
    # stored post names them: the t.me media links became URL tokens
    import sqlite3
    with sqlite3.connect(study.root / "wildsift.sqlite") as db:
        rows = repr(db.execute("SELECT * FROM posts").fetchall())
        media = repr(db.execute("SELECT * FROM media").fetchall()) if db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'media'").fetchone() else ""
    assert "ivorytrade_hk" not in rows + media and "<URL:" in rows + media
