"""The SYNTHETIC demo corpus goes through ``wildsift import`` whole, and its contacts do not."""

from __future__ import annotations

import re

import pytest

from wildsift.demo import generate_posts, write_corpus
from wildsift.privacy.ingest import Protector
from wildsift.records import RawPost
from wildsift.sources.files.reader import FileReader
from wildsift.sources.ingest import ingest
from wildsift.study import DEFAULT_PHONE_REGIONS, Study

N = 600
_PHONE = re.compile(r"\+\d{1,3}(?: ?[\d()-]){7,}\d")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-study")
    study = Study.init(root, name="demo")
    info = write_corpus(root / "posts.jsonl", n=N, seed=11)
    counts = ingest(study, FileReader(info.path))
    texts = [t for batch in study.store.posts.iter(("text", "author_description"))
             for col in ("text", "author_description") for t in batch[col].fillna("")]
    yield study, info, counts, texts
    study.store.close()


def test_every_record_imports_with_its_label(imported):
    _, _, counts, _ = imported
    assert counts.read == N and counts.stored == N and counts.quarantined == 0
    assert counts.labels == N


def test_planted_emails_and_messenger_ids_never_reach_the_store(imported):
    *_, texts = imported
    raw = list(generate_posts(N, seed=11))
    planted = {m for p in raw for m in re.findall(r"[\w.+-]+@example\.(?:com|net|org)",
                                                  p["text"] + " " + (p["author_description"] or ""))}
    assert planted, "the corpus should plant e-mail addresses"
    stored = " ".join(texts)
    assert not [e for e in planted if e in stored]
    assert "<EMAIL:" in stored and "<PHONE:" in stored


def test_planted_international_phone_numbers_never_reach_the_store(imported):
    *_, texts = imported
    leaked = [m for t in texts for m in _PHONE.findall(t)]
    assert not leaked, leaked[:5]


def _redact(text: str) -> str:
    protector = Protector(b"k" * 32, phone_regions=DEFAULT_PHONE_REGIONS)
    return protector.protect(RawPost(platform="demo", source_id="1", text=text)).text


# Shapes the demo corpus produces (a contact, then a mixed-language tag such as "100% real").
def test_phone_followed_by_a_number_is_redacted():
    for text in ("收穿山甲片，上海可面交。手机 +86 177 7234 2056 100% real",
                 "vòng ngà loại 1. ib fb hoặc zalo 0902 944 480 100% real"):
        redacted = _redact(text)
        assert "<PHONE:" in redacted or "<MESSENGER:" in redacted, redacted


def test_wechat_id_after_v_is_redacted():
    assert "wx_li_chen98685" not in _redact("出犀牛角粉，5公斤，33349元，V: wx_li_chen98685")
