"""Shared by the web tests: a small study with posts, scores, an image and users of every
role, and a signed-in TestClient per role (sessions minted directly: no argon2 per request)."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient
from PIL import Image

from wildsift.privacy.media import MediaStore, clean_image
from wildsift.records import Post
from wildsift.study import Study
from wildsift.web.access import ROLES
from wildsift.web.security import SESSION_COOKIE

PASSWORD = "correct horse battery"
TEXTS = [
    "Selling rhino horn powder, genuine, contact <PHONE:ab12cd> fast shipping",
    "pangolin scales for sale, wholesale price, <PHONE:ab12cd>",
    "Ivory carving antique bracelet, message me <EMAIL:0a1b2c>",
    "Jaguar car parts for sale, good condition",
    "News: customs seized 2 tonnes of pangolin scales at the port",
    "Looking to buy live slow loris, pet, urgent",
    "Rhino 3D software licence for sale",
    "elephant tusk pendant, wild origin, DM for price",
]


def _word(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[i % 26] + letters[(i // 26) % 26] + letters[(i // 676) % 26]


def make_study(tmp_path: Path, n: int = 40, *, langs=("en", "vi"),
               db_url: str | None = None) -> Study:
    """``n`` posts (texts repeated with numbers: some are near-duplicate reposts), scores from
    a fake model, one post with an image. ``db_url``: the store on that database (PostgreSQL)
    instead of the study's SQLite file."""
    study = Study.init(tmp_path / "study", name="web test")
    if db_url is not None:
        from wildsift.store import Store

        study._store = Store.open(db_url)
    posts = []
    for i in range(n):
        text = TEXTS[i % len(TEXTS)]
        if i >= len(TEXTS):  # every third a repost (another number), the rest new ads
            text += f" #{i}" if i % 3 == 0 else f" lot {_word(i)}"
        posts.append(Post(platform="csv", post_id=f"p{i}", text=text, lang=langs[i % len(langs)],
                          created_at=datetime(2024, 1, 1 + i % 28, tzinfo=UTC),
                          author=f"u_{i % 5:016x}", country="VN" if i % 3 else "TH"))
    study.store.posts.add(posts)
    frame = study.store.posts.frame(("pk",))
    frame["relevance"] = [((i * 37) % 100) / 100 for i in range(len(frame))]
    frame["relevant"] = (frame["relevance"] >= 0.5).astype(float)
    study.store.scores.write("relevance", "test-1", frame, ["relevance", "relevant"])
    buffer = __import__("io").BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, format="PNG")
    image = clean_image(buffer.getvalue())
    MediaStore(study.media_dir).put(image)
    study.store.images.add([{"sha256": image.sha256, "width": 64, "height": 48,
                             "format": "png", "faces": 0}])
    study.store.images.add_links([{"post_pk": int(frame["pk"].iloc[0]), "sha256": image.sha256,
                                  "position": 0, "frame": 0}])
    return study


def add_users(app, languages: dict[str, list[str]] | None = None) -> dict[str, object]:
    """One user per role, password changed (named after the role); returns role -> User."""
    context = app.state.ctx
    made = {}
    for role in ROLES:
        made[role] = context.users.add(
            context.login_of(role), context.annotator_of(role), role,
            (languages or {}).get(role, []), context.passwords.hash(PASSWORD), must_change=False)
    return made


def client_as(app, user=None, *, https: bool = False) -> TestClient:
    """A TestClient signed in as ``user`` (None: anonymous), with its CSRF token at .csrf."""
    client = TestClient(app, base_url=f"http{'s' if https else ''}://testserver",
                        follow_redirects=False)
    client.csrf = None
    if user is not None:
        context = app.state.ctx
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        context.users.open_session(user.id, token, csrf, timedelta(hours=1))
        client.cookies.set(SESSION_COOKIE, context.signer.sign(token))
        client.csrf = csrf
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def labels(study: Study, field: str = "relevant") -> pd.DataFrame:
    return study.store.labels.frame(field)


def zooniverse_export(path: Path, answers: list[tuple[str, str, str]], *,
                      workflow: str = "28090") -> Path:
    """A classification export shaped like Zooniverse's: one row per (user name, post id,
    answer to T0), each with a user_ip that must never be read."""
    import csv
    import json
    import zlib

    from wildsift.labels.zooniverse import CLASSIFICATION_COLUMNS, POST_COLUMN

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLASSIFICATION_COLUMNS)
        for n, (user, post_id, answer) in enumerate(answers, start=1):
            subject = str(900000 + n)
            writer.writerow([
                str(500000 + n), user, str(zlib.crc32(user.encode())), f"10.20.30.{n}", workflow,
                "Wildlife trade check", "3.1", "2025-03-02 10:11:12 UTC", "", "",
                json.dumps({"source": "api", "user_language": "en"}),
                json.dumps([{"task": "T0", "task_label": "Is this wildlife trade?",
                             "value": answer}]),
                json.dumps({subject: {"retired": None, POST_COLUMN: post_id,
                                      "#wildsift_platform": "csv"}}), subject])
    return path
