"""Kill ``wildsift mine`` with SIGKILL mid-page, mid-download and mid-cursor-save; check what it
leaves (issue 10, 2.1).

Used by tests/reliability/test_mine_crash.py (a seeded sample) and
benchmarks/bench_crash_mine.py (many runs). The processes, backends and store snapshots come from
tests/crash_harness.py (the import's crash toolkit); this module adds:

- :class:`FakeMastodonServer`: a local HTTP server in the shape of a Mastodon server's hashtag
  timeline (``GET /api/v1/timelines/tag/:tag`` with ``max_id``/``min_id`` and ``Link`` headers,
  ``GET /api/v1/instance/rules``) serving a few hundred synthetic statuses over many pages,
  small PNG attachments on some of them (one shared by several posts, one that is not an image),
  two malformed statuses (quarantined), and deliberately slow answers now and then (a page held
  back before it is sent, an image sent half, then the rest later), so a kill lands inside
  them. It logs when each request started.
- the child process: the installed ``wildsift`` entry point with ``tests/crash_site`` on its
  ``PYTHONPATH`` (a ``sitecustomize`` that lets the downloader reach 127.0.0.1, which the SSRF
  guard refuses otherwise, and writes a probe line around each cursor save).
- kill moments per phase (start-up, page, download, cursor) and the checks of one kill and of
  the final store: posts with their media (sha256 links), cursors, quarantine as a multiset,
  files under ``media/``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import tomli_w
from crash_harness import WILDSIFT, descendants, kill_at
from PIL import Image
from sqlalchemy import create_engine, text

SITE = Path(__file__).resolve().parent / "crash_site"
TAG = "wildsiftcrashtag"  # a query no lexicon knows: one term, one cursor
SOURCE = "crash-fedi"
PHASES = ("start-up", "page", "download", "cursor")


# -- the fake server --------------------------------------------------------------------------
def png(index: int, size: tuple[int, int] = (24, 16)) -> bytes:
    """A small PNG of its own colour (so each index is its own sha256 after cleaning)."""
    image = Image.new("RGB", size, (index * 37 % 256, index * 91 % 256, index * 13 % 256))
    image.putpixel((index % 24, index % 16), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def statuses(n: int, base: str) -> list[dict]:
    """``n`` statuses in Mastodon's shape, newest first: one in three with an image, one in
    seven also with the image several posts share, one in fifty with a URL that answers HTML
    (quarantined as media, the post kept)."""
    found = []
    for i in range(n):
        sid = str(110_000_000_000_100_000 + i)
        media = []
        if i % 3 == 0:
            media.append(f"{base}/media/{i}.png")
        if i % 7 == 0:
            media.append(f"{base}/media/shared.png")
        if i % 50 == 25:
            media.append(f"{base}/media/not-an-image.png")
        account = str(109_000_000_000_000_000 + i % 40)
        found.append({
            "id": sid, "created_at": f"2024-05-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00.000Z",
            "in_reply_to_id": None, "in_reply_to_account_id": None, "sensitive": False,
            "spoiler_text": "", "visibility": "public", "language": "en",
            "uri": f"https://fedi.example/users/u{i % 40}/statuses/{sid}",
            "url": f"https://fedi.example/@u{i % 40}/{sid}",
            "content": f"<p>Lot {i}: <a href=\"https://fedi.example/tags/{TAG}\" class=\"mention "
                       f"hashtag\" rel=\"tag\">#<span>{TAG}</span></a> carved piece, "
                       f"{100 + i} USD, ask me.</p>",
            "reblog": None,
            "account": {"id": account, "username": f"seller{i % 40}",
                        "acct": f"seller{i % 40}", "display_name": f"Seller {i % 40}",
                        "note": "<p>shop</p>", "url": f"https://fedi.example/@u{i % 40}"},
            "media_attachments": [{"id": str(k), "type": "image", "url": url,
                                   "preview_url": url, "description": None}
                                  for k, url in enumerate(media)],
            "mentions": [], "tags": [{"name": TAG, "url": f"https://fedi.example/tags/{TAG}"}],
            "emojis": [], "card": None, "poll": None,
        })
    return sorted(found, key=lambda s: int(s["id"]), reverse=True)


MALFORMED = [{"content": "<p>no id</p>"}, {"id": "not-a-number", "content": "<p>x</p>"}]


class FakeMastodonServer:
    """A Mastodon server's hashtag timeline on 127.0.0.1 (a thread of the calling process).

    Slow answers: every ``slow_page_every``-th page is held ``slow_s`` before it is sent, every
    ``slow_media_every``-th image is sent half, then the rest ``slow_s`` later. ``log`` holds
    (kind, started at monotonic time) of every request: kind is ``page`` or ``media``.
    """

    def __init__(self, n: int = 240, page: int = 8, slow_s: float = 0.25,
                 slow_page_every: int = 3, slow_media_every: int = 3):
        self.page, self.slow_s = page, slow_s
        self.slow_page_every, self.slow_media_every = slow_page_every, slow_media_every
        self.log: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        self.counts = Counter()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.statuses = statuses(n, self.url)
        self.images = {f"{i}.png": png(i) for i in range(0, n, 3)} | {"shared.png": png(1, (20, 20))}
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def new_run(self) -> None:
        """Count requests from zero again (slow answers are every Nth of a run)."""
        with self.lock:
            self.counts.clear()

    def started(self, kind: str) -> int:
        with self.lock:
            return self.counts[kind]

    def _note(self, kind: str) -> int:
        with self.lock:
            self.counts[kind] += 1
            self.log.append((kind, time.monotonic()))
            return self.counts[kind]

    def timeline(self, tag: str, args: dict[str, str]) -> tuple[list[dict], dict[str, str]]:
        """(body, headers) as Mastodon answers a hashtag timeline."""
        ordered = self.statuses if tag == TAG else []
        limit = min(int(args.get("limit", 20)), self.page)
        if "max_id" in args:
            chosen = [s for s in ordered if int(s["id"]) < int(args["max_id"])][:limit]
        elif "min_id" in args:
            chosen = [s for s in ordered if int(s["id"]) > int(args["min_id"])][-limit:]
        else:
            chosen = ordered[:limit]
        body = list(chosen)
        if tag == TAG and not args.get("max_id") and not args.get("min_id"):
            body += MALFORMED
        headers = {}
        if chosen:
            base = f"{self.url}/api/v1/timelines/tag/{tag}"
            headers["Link"] = (f'<{base}?max_id={chosen[-1]["id"]}>; rel="next", '
                               f'<{base}?min_id={chosen[0]["id"]}>; rel="prev"')
        return body, headers

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                args = {k: v[0] for k, v in parse_qs(parts.query).items()}
                try:
                    if parts.path.startswith("/api/v1/timelines/tag/"):
                        number = server._note("page")
                        body, headers = server.timeline(parts.path.rsplit("/", 1)[1], args)
                        if number % server.slow_page_every == 0:
                            time.sleep(server.slow_s)
                        self._send(200, json.dumps(body).encode(), "application/json", headers)
                    elif parts.path == "/api/v1/instance/rules":
                        self._send(200, json.dumps([{"id": "1", "text": "Be kind"}]).encode(),
                                   "application/json")
                    elif parts.path.startswith("/media/"):
                        number = server._note("media")
                        name = parts.path.rsplit("/", 1)[1]
                        if name not in server.images:
                            self._send(200, b"<html>not an image</html>", "text/html")
                            return
                        data = server.images[name]
                        slow = number % server.slow_media_every == 0
                        self._send(200, data, "image/png", split_s=server.slow_s if slow else 0)
                    else:
                        self._send(404, b"{}", "application/json")
                except (BrokenPipeError, ConnectionResetError):  # the client was killed
                    pass

            def _send(self, status: int, body: bytes, kind: str, headers=None,
                      split_s: float = 0) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                if split_s:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    time.sleep(split_s)
                    self.wfile.write(body[len(body) // 2:])
                else:
                    self.wfile.write(body)

        return Handler


# -- the study and the child process ----------------------------------------------------------
def configure(root: Path, server: FakeMastodonServer, max_pages: int = 100) -> None:
    """One ``[[sources]]`` Mastodon entry reading the fake server, with media downloads."""
    config = root / "wildsift.toml"
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    settings["sources"] = [{"type": "mastodon", "name": SOURCE, "base_url": server.url,
                            "queries": [TAG], "max_pages": max_pages, "download_media": True,
                            "options": {"mode": "hashtags", "limit": server.page}}]
    config.write_text(tomli_w.dumps(settings), encoding="utf-8")


def mine_env(root: Path, url: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(SITE), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "WILDSIFT_STORAGE_URL": url, "PYTHONPATH": path,
            "WILDSIFT_CRASH_LOOPBACK_MEDIA": "1", "WILDSIFT_CRASH_PROBE": str(root / "probe.log")}


def start_mine(root: Path, url: str) -> subprocess.Popen:
    """``wildsift mine`` in the background; what it writes goes to ``mine.log`` in the study."""
    (root / "probe.log").write_bytes(b"")
    with (root / "mine.log").open("ab") as log:
        return subprocess.Popen([WILDSIFT, "--study", str(root), "mine"], env=mine_env(root, url),
                                stdout=log, stderr=subprocess.STDOUT)


def run_mine(root: Path, url: str, timeout: float = 600) -> float:
    """``wildsift mine`` to its end; returns its wall time."""
    started = time.monotonic()
    proc = start_mine(root, url)
    try:
        code = proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
    log = (root / "mine.log").read_text(errors="replace")
    assert code == 0, f"wildsift mine failed ({code}): {log[-3000:]}"
    return time.monotonic() - started


def probes(root: Path) -> int:
    """Cursor saves begun in the current run (``cursor-begin`` lines of the probe file)."""
    try:
        return (root / "probe.log").read_bytes().count(b"cursor-begin")
    except OSError:
        return 0


# -- when to kill -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Moment:
    """Kill once the ``nth`` event of ``phase`` began in this run, ``delay_s`` after it
    (start-up: ``delay_s`` after the command started)."""

    phase: str
    nth: int
    delay_s: float


@dataclass(frozen=True)
class Plan:
    """What an uninterrupted mine does: pages, image requests, cursor saves, start-up time."""

    pages: int
    media: int
    cursors: int
    first_request_s: float
    slow_s: float


def moment(rng, plan: Plan, phase: str | None = None, fraction: float = 1.0) -> Moment:
    """A seeded kill moment: one in ten in start-up (before the first request), the rest
    evenly mid-page (inside a page the server holds back), mid-download (inside an image sent
    in two halves) and around a cursor save (0-60 ms after its posts are committed, the probe
    pausing 30 ms before the cursor's transaction). ``fraction``: how far into the run the
    event may be (a run resumed several times has less left to do)."""
    if phase is None:
        phase = "start-up" if rng.random() < 0.1 else rng.choice(PHASES[1:])
    if phase == "start-up":
        return Moment(phase, 0, rng.uniform(0, plan.first_request_s))
    if phase == "page":  # the held-back pages are every 3rd
        slow = max(1, int(plan.pages * fraction) // 3)
        return Moment(phase, 3 * rng.randint(1, slow), rng.uniform(0.02, plan.slow_s - 0.02))
    if phase == "download":  # the images sent in two halves are every 3rd
        slow = max(1, int(plan.media * fraction) // 3)
        return Moment(phase, 3 * rng.randint(1, slow), rng.uniform(0.02, plan.slow_s - 0.02))
    return Moment(phase, rng.randint(1, max(1, int(plan.cursors * fraction))),
                  rng.uniform(0, 0.06))


@dataclass
class Kill:
    moment: Moment
    finished_first: bool  # the run ended (or never reached the event) before the kill
    workers_seen: int
    orphans: int
    committed: frozenset  # the posts in the store right after the kill
    temp_files: list[str] = field(default_factory=list)  # media/ names a writer left


def kill_mine(server: FakeMastodonServer, root: Path, url: str, when: Moment,
              orphan_wait_s: float = 10.0) -> Kill:
    """Start ``wildsift mine``, SIGKILL it at ``when``; then wait for anything it started to
    go, and read the store and the media folder."""
    below: set[int] = set()
    server.new_run()
    started = time.monotonic()
    proc = start_mine(root, url)

    def reached() -> bool:
        if when.phase == "start-up":
            return True
        if when.phase == "cursor":
            return probes(root) >= when.nth
        return server.started("media" if when.phase == "download" else "page") >= when.nth

    while proc.poll() is None and not reached():
        below |= descendants(proc.pid)
        time.sleep(0.002)
    deadline = (started if when.phase == "start-up" else time.monotonic()) + when.delay_s
    finished, orphans = kill_at(proc, deadline, below, orphan_wait_s, poll_s=0.002)
    media = media_files(root)
    return Kill(when, finished, len(below), orphans, mined(url).posts, media.temporary)


# -- what the study holds ---------------------------------------------------------------------
@dataclass(frozen=True)
class Mined:
    posts: frozenset  # (platform, post_id, text, author, created_at, media sha256s)
    rows: int
    duplicate_keys: int
    cursors: dict  # (source, query) -> cursor
    quarantine: Counter  # (source, location, field, reason) -> rows (a multiset: no hiding)

    def linked(self) -> set[str]:
        return {sha for post in self.posts for sha in json.loads(post[5]) if sha}


def mined(url: str) -> Mined:
    """The store read with plain SQL (an empty one before the migrations ran)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                names = "SELECT name FROM sqlite_master WHERE type = 'table'"
            else:
                names = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            tables = {row[0] for row in conn.execute(text(names))}
            if not {"posts", "cursors", "quarantine"} <= tables:
                return Mined(frozenset(), 0, 0, {}, Counter())
            rows = conn.execute(text("SELECT platform, post_id, text, author, created_at, media "
                                     "FROM posts")).all()
            dups = conn.execute(text("SELECT count(*) FROM (SELECT 1 FROM posts GROUP BY "
                                     "platform, post_id HAVING count(*) > 1) d")).scalar()
            cursors = {(r[0], r[1]): r[2] for r in conn.execute(
                text("SELECT source, query, cursor FROM cursors"))}
            quarantine = Counter(tuple(map(str, r)) for r in conn.execute(
                text("SELECT source, location, field, reason FROM quarantine")))
    finally:
        engine.dispose()
    posts = []
    for platform, post_id, body, author, created, media in rows:
        items = json.loads(media) if isinstance(media, str) else (media or [])
        shas = json.dumps([m.get("sha256") for m in items])
        posts.append((str(platform), str(post_id), str(body), str(author), str(created)[:19],
                      shas))
    return Mined(frozenset(posts), len(rows), int(dups), cursors, quarantine)


@dataclass(frozen=True)
class MediaFiles:
    complete: dict  # sha256 -> file name, for files whose bytes hash to their name
    corrupt: list  # named <sha256>.<ext> but their bytes hash to something else
    temporary: list  # any other name (a writer's temporary file)


def media_files(root: Path) -> MediaFiles:
    complete, corrupt, temporary = {}, [], []
    folder = root / "media"
    for entry in sorted(folder.glob("*/*")) if folder.exists() else []:
        name = re.fullmatch(r"([0-9a-f]{64})\.(jpg|png|webp)", entry.name)
        if not name:
            temporary.append(entry.name)
        elif hashlib.sha256(entry.read_bytes()).hexdigest() == name.group(1):
            complete[name.group(1)] = entry.name
        else:
            corrupt.append(entry.name)
    return MediaFiles(complete, corrupt, temporary)


def compare(final: Mined, final_media: MediaFiles, expected: Mined,
            expected_media: MediaFiles) -> list[str]:
    """What differs between a killed-and-rerun study and an uninterrupted one (empty: equal)."""
    differs = []
    if final.posts != expected.posts:
        differs.append("posts")
    if final.cursors != expected.cursors:
        differs.append("cursors")
    if final.quarantine != expected.quarantine:
        differs.append("quarantine")
    if set(final_media.complete) != set(expected_media.complete) or final_media.corrupt:
        differs.append("media files")
    if not final.linked() <= set(final_media.complete):
        differs.append("linked media missing")
    return differs


def reference_plan(server: FakeMastodonServer, root: Path, url: str) -> tuple[Plan, float]:
    """Mine the server once without a kill; (what it did, wall seconds)."""
    server.new_run()
    started = time.monotonic()
    first: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set() and not first:
            if server.started("page"):
                first.append(time.monotonic() - started)
            time.sleep(0.002)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    wall = run_mine(root, url)
    done.set()
    watcher.join()
    plan = Plan(server.started("page"), server.started("media"), probes(root),
                first[0] if first else wall, server.slow_s)
    return plan, wall


def describe(kill: Kill) -> str:
    m = kill.moment
    return f"{m.phase} #{m.nth} +{m.delay_s * 1000:.0f} ms"


def python_info() -> str:
    return f"Python {sys.version.split()[0]}"
