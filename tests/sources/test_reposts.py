"""Reposts (issue 13): retweets and quotes (twarc2 pages and flattened tweets), Weibo 转发 and
Mastodon boosts and quotes name the reposted account, privacy turns it into the pseudonym that
account has as an author or a reply target, and the people network gets a ``repost`` tie."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from wildsift.analysis.network.posts import people_posts
from wildsift.analysis.network.study_network import people_network
from wildsift.errors import RecordError
from wildsift.privacy.ingest import Protector
from wildsift.records import Quarantined, RawPost
from wildsift.sources.bluesky.mapping import map_record
from wildsift.sources.files.detect import open_import
from wildsift.sources.files.zeeschuimer_map import x as map_x_graphql
from wildsift.sources.ingest import ingest
from wildsift.sources.mastodon.mapping import map_status
from wildsift.sources.shape import check_shape
from wildsift.sources.vk.mapping import map_post as map_vk

FIXTURES = Path(__file__).parents[1] / "fixtures"
TWARC = FIXTURES / "imports" / "twarc2_reposts.jsonl"
WEIBO = FIXTURES / "weibo" / "web_statuses.jsonl"
CRAWLER = FIXTURES / "weibo" / "crawler" / "1669879400.csv"
MASTODON = FIXTURES / "mastodon" / "reposts.json"
PSEUDONYM = re.compile(r"u_[0-9a-f]{16}")
SELLER_X = "1500000000000000011"


def posts_of(records) -> list[RawPost]:
    records = list(records)
    assert not [r for r in records if isinstance(r, Quarantined)]
    return records


def stored(study) -> pd.DataFrame:
    return study.store.posts.frame(("pk", "created_at", "author", "reply_to", "repost_of",
                                    "mentions", "text"))


def network(study):
    kept = study.store.posts.frame(("pk",))
    return people_network(people_posts(study.store, kept))


def repost_edges(net) -> set[tuple[str, str]]:
    return {(a, b) for a, b, d in net.graph.edges(data=True) if d["repost"]}


# -- X: twarc2 ------------------------------------------------------------------------------
def test_twarc2_retweet_quote_and_flat_retweet_name_the_original_author():
    original, retweet, quote, reply, flat = posts_of(open_import(TWARC))
    assert original.repost_of is None
    assert retweet.repost_of == SELLER_X  # referenced tweet found in includes.tweets
    assert quote.repost_of == SELLER_X  # a quoted tweet only includes holds
    assert reply.repost_of is None and reply.reply_to == SELLER_X  # replied_to is no repost
    assert flat.repost_of == SELLER_X  # twarc2 flatten inlined the referenced tweet


def test_twarc2_reposts_are_stored_as_the_authors_pseudonym_and_make_repost_ties(study):
    counts = ingest(study, open_import(TWARC), workers=1)
    assert counts.stored == 5
    frame = stored(study).sort_values("created_at").reset_index(drop=True)
    seller = frame["author"][0]
    assert PSEUDONYM.fullmatch(seller)
    # retweet, quote and the flat retweet: the seller's pseudonym, never the raw id
    assert list(frame["repost_of"].fillna("-")) == ["-", seller, seller, "-", seller]
    # the same account as a reply target and as the reposted one: one pseudonym
    assert frame["reply_to"][3] == seller == frame["repost_of"][2]
    assert frame["author"][2] == frame["author"][3]
    dump = json.dumps(frame.astype(str).values.tolist(), ensure_ascii=False)
    for raw in (SELLER_X, "1500000000000000012", "horn_bangle_shop", "curious_buyer_x"):
        assert raw not in dump, raw

    net = network(study)
    fan, buyer, other_fan = frame["author"][1], frame["author"][2], frame["author"][4]
    assert repost_edges(net) == {(fan, seller), (buyer, seller), (other_fan, seller)}
    both = net.graph[buyer][seller]  # the buyer quoted and replied to the seller
    assert (both["repost"], both["reply"], both["weight"]) == (1, 1, 2)
    assert set(net.ties.loc[net.ties["kind"] == "repost", "target"]) == {seller}
    assert all(PSEUDONYM.fullmatch(n) for n in net.graph.nodes)


def test_x_graphql_retweet_and_quote_name_the_original_author():
    user = {"core": {"user_results": {"result": {"rest_id": "42"}}}}
    original = {"rest_id": "9", "legacy": {"user_id_str": "42", "full_text": "horn"}, **user}
    retweet = {"rest_id": "10", "core": {"user_results": {"result": {"rest_id": "7"}}},
               "legacy": {"full_text": "RT @seller: horn", "user_id_str": "7",
                          "retweeted_status_result": {"result": original}}}
    quote = {"rest_id": "11", "core": {"user_results": {"result": {"rest_id": "8"}}},
             "legacy": {"full_text": "look", "user_id_str": "8"},
             "quoted_status_result": {"result": {"__typename": "TweetWithVisibilityResults",
                                                 "tweet": original}}}
    assert map_x_graphql(retweet, "z:1").repost_of == "42"
    assert map_x_graphql(quote, "z:2").repost_of == "42"
    assert map_x_graphql(original, "z:3").repost_of is None


# -- Weibo ----------------------------------------------------------------------------------
def test_weibo_reposts_name_the_reposted_author():
    original, repost = posts_of(r for r in open_import(WEIBO) if isinstance(r, RawPost))
    assert original.repost_of is None and repost.repost_of == "2803301701"
    crawled = [r for r in open_import(CRAWLER) if isinstance(r, RawPost)]
    assert [p.repost_of for p in crawled] == [None, "7654321098"]  # 源用户id, tab stripped
    from_json = [r for r in open_import(CRAWLER.with_suffix(".json")) if isinstance(r, RawPost)]
    assert [p.repost_of for p in from_json] == [None, "7654321098"]


def test_weibo_repost_is_the_original_authors_pseudonym_and_a_repost_tie(study):
    ingest(study, open_import(WEIBO), workers=1)
    frame = stored(study)
    original, repost = frame.iloc[0], frame.iloc[1]
    assert PSEUDONYM.fullmatch(repost["repost_of"])
    assert repost["repost_of"] == original["author"]  # 2803301701 as author and as reposted
    assert "2803301701" not in json.dumps(frame.astype(str).values.tolist())
    assert repost_edges(network(study)) == {(repost["author"], original["author"])}


# -- Mastodon -------------------------------------------------------------------------------
def test_mastodon_boost_and_quote_name_the_reposted_account():
    quote, reply, boost, original = (map_status(s, "mastodon.example", "#rhinohorn")
                                     for s in json.loads(MASTODON.read_text(encoding="utf-8")))
    seller = "mastodon.example:109111111111111111"
    assert original.author == seller and original.repost_of is None
    assert boost.repost_of == seller and boost.author == "mastodon.example:109444444444444444"
    assert "rhinohorn" in boost.text.lower() and boost.media  # a boost shows the boosted status
    assert boost.hashtags == ["rhinohorn"]
    assert quote.repost_of == seller and quote.text == "Reported: rhino horn offered again"
    assert reply.reply_to == seller and reply.repost_of is None


def test_mastodon_reply_and_boost_of_one_account_share_its_pseudonym(study):
    statuses = json.loads(MASTODON.read_text(encoding="utf-8"))
    raws = [map_status(s, "mastodon.example", "#rhinohorn") for s in statuses]
    ingest(study, raws, workers=1)
    frame = stored(study).set_index("created_at").sort_index()
    seller = frame["author"].iloc[0]
    reply, boost = frame.iloc[2], frame.iloc[1]
    assert boost["repost_of"] == reply["reply_to"] == seller and PSEUDONYM.fullmatch(seller)
    assert boost["author"] == reply["author"]
    assert "109111111111111111" not in json.dumps(frame.astype(str).values.tolist())
    net = network(study)
    fan, ranger = boost["author"], frame["author"].iloc[3]
    assert repost_edges(net) == {(fan, seller), (ranger, seller)}
    assert (net.graph[fan][seller]["repost"], net.graph[fan][seller]["reply"]) == (1, 1)


# -- the others, and privacy ----------------------------------------------------------------
def test_bluesky_quote_vk_copy_and_csv_column():
    did = "did:plc:hornseller4n7q2vx3c5kd"
    quote = {"text": "again", "createdAt": "2024-09-09T19:46:03Z",
             "embed": {"$type": "app.bsky.embed.recordWithMedia",
                       "record": {"record": {"uri": f"at://{did}/app.bsky.feed.post/3l3q",
                                             "cid": "bafy"}},
                       "media": {"$type": "app.bsky.embed.images", "images": []}}}
    assert map_record("did:plc:other", "3x", quote, "q", "s").repost_of == did
    feed = {"text": "my feed", "embed": {"$type": "app.bsky.embed.record", "record": {
        "uri": f"at://{did}/app.bsky.feed.generator/horn", "cid": "bafy"}}}
    assert map_record("did:plc:other", "3y", feed, "q", "s").repost_of is None
    item = {"id": 5, "owner_id": -77, "from_id": -77, "date": 1700000000, "text": "repost",
            "copy_history": [{"id": 1, "owner_id": -99, "from_id": -99, "text": "horn"}]}
    assert map_vk(item, "q", "s").repost_of == "-99"


def test_csv_repost_of_column(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("id,text,author,reply_to,repost_of\n1,ivory,a,,seller_b\n",
                    encoding="utf-8")
    (post,) = posts_of(open_import(path))
    assert post.repost_of == "seller_b"


def test_privacy_pseudonymises_repost_of_like_reply_to_and_hides_its_name_in_text():
    protector = Protector(b"k" * 32)
    post = protector.protect(RawPost("x", "1", "RT from horn_bangle_shop: ivory",
                                     author="fan", repost_of="horn_bangle_shop"))
    same = protector.protect(RawPost("x", "2", "hi", author="b", reply_to="@Horn_Bangle_Shop"))
    assert post.repost_of == same.reply_to and PSEUDONYM.fullmatch(post.repost_of)
    assert "horn_bangle_shop" not in post.text and "<HANDLE:" in post.text


def test_shape_refuses_a_repost_of_that_is_no_string():
    with pytest.raises(RecordError) as err:
        check_shape(RawPost("x", "1", "t", repost_of=["a"]))  # type: ignore[arg-type]
    assert err.value.field == "repost_of"
