"""How fast the web app hands a person the next post, with N posts in the study (issue 14:
<= 100 ms p95 at 100,000 posts).

Builds a SYNTHETIC study (N posts with random words, a relevance score each, as a sift would
store), starts the app in-process (FastAPI TestClient: the whole app, no network), signs in
three annotators and, in turns, each answers the post they are shown and asks for the next.
Reported: the queue's build time, then wall and CPU milliseconds (p50, p95, max) of GET /label
(the next post, page rendered) and POST /label/<pk> (the answer stored and logged).

    python benchmarks/bench_web_queue.py --posts 100000 --labels 300
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = ["rhino", "horn", "ivory", "pangolin", "scales", "tusk", "bracelet", "carving", "powder", "wholesale", "genuine", "price", "shipping", "contact", "message", "parrot", "gecko", "turtle", "shell", "antique", "pendant", "live", "pet", "customs", "seized", "news", "report", "car", "parts", "software", "licence", "orchid", "tiger", "bone", "wine", "bear", "bile", "elephant", "hair", "ring", "sale", "buy", "wanted", "urgent", "stock"]


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (f"p50 {statistics.median(ordered):.1f}  p95 {p95:.1f}  max {ordered[-1]:.1f} ms "
            f"(n={len(ordered)})")


def build_study(root: Path, n: int, seed: int = 0):
    import pandas as pd

    from wildsift.records import Post
    from wildsift.study import Study

    rng = random.Random(seed)
    study = Study.init(root, name="bench web queue")
    langs = ("en", "vi", "zh-Hans", "th")
    for start in range(0, n, 20000):
        study.store.posts.add([Post(
            platform="bench", post_id=f"b{i}", lang=langs[i % 4],
            text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))),
            created_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=i))
            for i in range(start, min(n, start + 20000))])
    frame = study.store.posts.frame(("pk",))
    frame["relevance"] = [rng.random() for _ in range(len(frame))]
    frame["relevant"] = (frame["relevance"] >= 0.5).astype(float)
    frame["relevance_method"] = "bench-model"
    study.store.scores.write("relevance", "bench-1", frame,
                             ["relevance", "relevant", "relevance_method"])
    assert isinstance(frame, pd.DataFrame)
    return study


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--labels", type=int, default=300)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from wildsift.web.app import create_app
    from wildsift.web.security import SESSION_COOKIE

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        study = build_study(Path(folder) / "study", args.posts)
        print(f"study: {args.posts} posts written in {time.perf_counter() - started:.1f} s")
        wall, cpu = time.perf_counter(), time.process_time()
        app = create_app(study, fast_hashing=True)
        print(f"app start (queue built): wall {time.perf_counter() - wall:.2f} s, "
              f"CPU {time.process_time() - cpu:.2f} s; {len(app.state.ctx.queue.order.pks)} "
              "posts queued")
        context = app.state.ctx
        clients = []
        for name in ("ann", "bob", "cat"):
            user = context.users.add(context.login_of(name), context.annotator_of(name),
                                     "annotator", [], "x", must_change=False)
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            context.users.open_session(user.id, token, csrf, timedelta(hours=1))
            client = TestClient(app, follow_redirects=False)
            client.cookies.set(SESSION_COOKIE, context.signer.sign(token))
            clients.append((client, csrf))
        timings = {"GET /label": ([], []), "POST /label": ([], [])}

        def timed(name, call):
            w, c = time.perf_counter(), time.process_time()
            response = call()
            timings[name][0].append((time.perf_counter() - w) * 1000)
            timings[name][1].append((time.process_time() - c) * 1000)
            return response

        for client, _ in clients:  # warm-up: templates compiled, caches filled
            client.get("/label")
        for step in range(args.labels):
            client, csrf = clients[step % len(clients)]
            page = timed("GET /label", lambda c=client: c.get("/label"))
            pk = re.search(r'action="/label/(\d+)"', page.text).group(1)
            answer = {"csrf": csrf, "relevant": random.choice("01"), "reason": "uncertain"}
            done = timed("POST /label", lambda c=client, p=pk, a=answer: c.post(f"/label/{p}", data=a))
            assert done.status_code == 303, done.text
        for name, (walls, cpus) in timings.items():
            print(f"{name:12s} wall {_percentiles(walls)}")
            print(f"{'':12s} CPU  {_percentiles(cpus)}")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        study.close()


if __name__ == "__main__":
    sys.exit(main())
