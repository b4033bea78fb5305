"""Import throughput of export formats: a SYNTHETIC twarc2 (or Zeeschuimer) file -> study.

``python benchmarks/bench_import_formats.py --format twarc2 --mb 1024`` writes (once, in a child
process) a file of about that many MB from the demo corpus generator, shaped as the real
export: twarc2 = one X API v2 page per line (100 tweets, ``includes.users`` with username,
display name and bio, ``includes.places``, ``__twarc``); zeeschuimer = one TikTok item per line
in Zeeschuimer's envelope. It then times what ``wildsift import FILE`` does (format detection,
the reader, privacy and the store, worker processes as by default) and prints one JSON line.
Targets (issue): >= 20,000 posts/s with bounded memory.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

from _common import OUT, Timer, corpus_parser, emit, profiled, study_path

from wildsift.demo import generate_posts
from wildsift.sources.files.detect import detect_format, open_import
from wildsift.sources.ingest import ingest
from wildsift.study import Study

PAGE = 100
_EPOCH = 1_700_000_000


def _twarc_pages(posts, out, start: int) -> None:
    users: dict[str, dict] = {}
    places: dict[str, dict] = {}
    tweets: list[dict] = []

    def flush() -> None:
        page = {"data": tweets, "includes": {"users": list(users.values()),
                                             "places": list(places.values())},
                "meta": {"result_count": len(tweets), "next_token": "b26v89c19zqg8o3fr5"},
                "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all?query=ivory",
                            "version": "2.14.0", "retrieved_at": "2024-05-02T08:00:00+00:00"}}
        out.write(json.dumps(page, ensure_ascii=False) + "\n")
        users.clear(), places.clear(), tweets.clear()

    for i, post in enumerate(posts, start=start):
        author = post["author"] or "anon"
        user_id = str(1_000_000_000 + zlib.crc32(author.encode()) % 10**12)
        users[user_id] = {"id": user_id, "username": author, "name": author.title(),
                          "description": post["author_description"] or ""}
        tweet = {"id": str(1_790_000_000_000_000_000 + i), "author_id": user_id,
                 "edit_history_tweet_ids": [str(1_790_000_000_000_000_000 + i)],
                 "created_at": post["created_at"].replace("+00:00", ".000Z"),
                 "text": post["text"], "lang": post["lang"] or "und",
                 "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": i % 7,
                                    "quote_count": 0},
                 "entities": {"hashtags": [{"start": 0, "end": 1, "tag": t}
                                           for t in (post["hashtags"] or "").split("|") if t]}}
        if post["place"]:
            place_id = f"{zlib.crc32(post['place'].encode()):016x}"
            tweet["geo"] = {"place_id": place_id}
            places[place_id] = {"id": place_id, "full_name": post["place"],
                                "country_code": post["country"] or "",
                                "geo": {"type": "Feature", "bbox": [105.7, 20.9, 105.9, 21.1]}}
        tweets.append(tweet)
        if len(tweets) == PAGE:
            flush()
    if tweets:
        flush()


def _zeeschuimer(posts, out, start: int) -> None:
    for i, post in enumerate(posts, start=start):
        author = post["author"] or "anon"
        item = {"id": str(7_364_000_000_000_000_000 + i), "desc": post["text"],
                "createTime": _EPOCH + i,
                "author": {"id": str(6_800_000_000 + zlib.crc32(author.encode())),
                           "uniqueId": author,
                           "nickname": author.title(),
                           "signature": post["author_description"] or ""},
                "textExtra": [{"hashtagName": t, "type": 1}
                              for t in (post["hashtags"] or "").split("|") if t],
                "video": {"cover": f"https://p16-sign.tiktokcdn.com/obj/{i}.jpeg",
                          "playAddr": f"https://v16-webapp.tiktok.com/video/{i}.mp4"},
                "stats": {"diggCount": i % 11, "playCount": i}, "textLanguage": post["lang"]}
        out.write(json.dumps({"id": i, "item_id": item["id"], "timestamp_collected": _EPOCH,
                              "source_platform": "tiktok.com",
                              "source_platform_url": "https://www.tiktok.com/search?q=ivory",
                              "source_url": "https://www.tiktok.com/api/search/general/full/",
                              "user_agent": "Mozilla/5.0", "data": item},
                             ensure_ascii=False) + "\n")


def make_file(fmt: str, mb: int, seed: int, share: float) -> Path:
    """Write posts until the file reaches ``mb`` MB (generated in batches of 50,000)."""
    path = OUT / f"{fmt}-{mb}mb-s{seed}.jsonl"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    write = _twarc_pages if fmt == "twarc2" else _zeeschuimer
    with partial.open("w", encoding="utf-8") as out:
        batch = 0
        while out.tell() < mb * 1024 ** 2:
            write(generate_posts(50_000, seed=seed * 1000 + batch, positive_share=share), out,
                  batch * 50_000)  # ids unique across batches
            batch += 1
    partial.rename(path)
    return path


def main() -> None:
    parser = corpus_parser(__doc__)
    parser.add_argument("--format", choices=["twarc2", "zeeschuimer"], default="twarc2")
    parser.add_argument("--mb", type=int, default=100, help="file size to generate (MB)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--make-only", action="store_true")
    args = parser.parse_args()
    if args.make_only:
        make_file(args.format, args.mb, args.seed, args.positive_share)
        return
    path = OUT / f"{args.format}-{args.mb}mb-s{args.seed}.jsonl"
    if not path.exists():  # in a child process, so that this one's peak memory is the import's
        subprocess.run([sys.executable, __file__, "--format", args.format, "--mb", str(args.mb),
                        "--seed", str(args.seed), "--positive-share", str(args.positive_share),
                        "--make-only"], check=True)
    root = study_path(args.mb, f"import-{args.format}")
    if root.exists():
        shutil.rmtree(root)
    study = Study.init(root, name="benchmark")
    with profiled(args.profile), Timer() as timer:
        reader = open_import(path, format=detect_format(path))
        counts = ingest(study, reader, workers=args.workers)
    study.store.close()
    emit(f"import-{args.format}", counts.read, timer, target_rate=20_000,
         stored=counts.stored, quarantined=counts.quarantined,
         mb=round(path.stat().st_size / 1024 ** 2), study=str(root))


if __name__ == "__main__":
    main()
