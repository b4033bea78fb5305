"""A team's study on PostgreSQL: a collector, ``sift`` and a reader at once, nothing lost twice.

Three processes run the real commands against one fresh database: ``wildsift import`` of a
generated JSONL in overlapping chunks (a collector re-reading what it already stored), ``wildsift
sift`` in a loop, and ``wildsift report`` in a loop. After they finish and one more ``sift`` scores
what arrived late, the posts equal the input (none lost, no (platform, id) twice) and every post
has exactly one score per field of each stage version. The study names its server in
``[storage] url`` and its password by environment variable, as docs/postgresql.md shows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pg_admin import drop_database
from sqlalchemy import create_engine, make_url, text

from wildsift.demo import write_corpus
from wildsift.study import Study

N_POSTS = 3000
CHUNKS = 4
OVERLAP = 150  # each chunk repeats the end of the one before

pytestmark = pytest.mark.skipif(
    not os.environ.get("WILDSIFT_TEST_PG_URL"),
    reason="WILDSIFT_TEST_PG_URL is not set (a PostgreSQL server to create a database on)")


def _wildsift(*args: str) -> str:
    """A shell command line running the wildsift CLI of this interpreter."""
    return " ".join([str(Path(sys.executable).parent / "wildsift"), *args])


@pytest.fixture
def pg_study(tmp_path: Path):
    """A study whose wildsift.toml names a fresh database, its password in the environment."""
    base = make_url(os.environ["WILDSIFT_TEST_PG_URL"])
    name = "conc_" + uuid.uuid4().hex[:10]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    study = Study.init(tmp_path / "study", name="team")
    study.close()
    url = f"{base.drivername}://{base.username}@{base.host}:{base.port or 5432}/{name}"
    toml = study.root / "wildsift.toml"
    toml.write_text(toml.read_text().replace(
        'url = "sqlite:///wildsift.sqlite"',
        f'url = "{url}"\npassword_env = "WILDSIFT_TEST_DB_PASSWORD"'))
    env = {k: v for k, v in os.environ.items() if k != "WILDSIFT_STORAGE_URL"}
    env["WILDSIFT_TEST_DB_PASSWORD"] = base.password or ""
    yield study.root, env, base.set(database=name)
    drop_database(admin, name)
    admin.dispose()


def _chunks(tmp_path: Path) -> tuple[list[Path], int]:
    corpus = write_corpus(tmp_path / "posts.jsonl", n=N_POSTS, seed=7)
    lines = corpus.path.read_text(encoding="utf-8").splitlines()
    ids = {(row.get("platform"), row["id"]) for row in map(json.loads, lines)}
    size = len(lines) // CHUNKS
    paths = []
    for k in range(CHUNKS):
        start = max(0, k * size - OVERLAP)
        end = len(lines) if k == CHUNKS - 1 else (k + 1) * size
        path = tmp_path / f"chunk{k}.jsonl"
        path.write_text("\n".join(lines[start:end]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths, len(ids)


def test_collector_sift_and_reader_at_once_lose_and_duplicate_nothing(pg_study, tmp_path):
    root, env, url = pg_study
    chunks, distinct = _chunks(tmp_path)
    study = f"--study {root}"
    collector = " && ".join(_wildsift(study, "import", str(path), "--platform", "gen",
                                      "--workers", "1", "--batch-size", "200")
                            for path in chunks)
    sifter = " && ".join([_wildsift(study, "sift", "--no-progress", "--workers", "1",
                                    "--no-images")] * 3)
    reader = " && ".join([_wildsift(study, "report", "--out", str(tmp_path / f"r{i}.html"))
                          for i in range(2)])
    procs = {name: subprocess.Popen(["bash", "-c", line], env=env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
             for name, line in (("collector", collector), ("sift", sifter), ("reader", reader))}
    outputs = {name: proc.communicate(timeout=900)[0] for name, proc in procs.items()}
    for name, proc in procs.items():
        assert proc.returncode == 0, f"{name} failed:\n{outputs[name][-3000:]}"
    final = subprocess.run(["bash", "-c", _wildsift(study, "sift", "--no-progress", "--workers",
                                                    "1", "--no-images")],
                           env=env, text=True, capture_output=True, timeout=600)
    assert final.returncode == 0, final.stdout + final.stderr

    engine = create_engine(url)
    with engine.connect() as conn:
        posts = conn.execute(text("SELECT count(*) FROM posts")).scalar_one()
        twice = conn.execute(text("SELECT count(*) FROM (SELECT 1 FROM posts GROUP BY "
                                  "platform, post_id HAVING count(*) > 1) d")).scalar_one()
        doubled = conn.execute(text(
            "SELECT count(*) FROM (SELECT 1 FROM scores GROUP BY post_pk, stage, "
            "model_version, field HAVING count(*) > 1) d")).scalar_one()
        # every post has rows of every stage (a field at its stage's usual value has none of
        # its own: score_defaults); the location stage does the kept posts only
        coverage = conn.execute(text(
            "SELECT stage, model_version, count(DISTINCT post_pk) FROM scores "
            "WHERE stage != 'location' GROUP BY stage, model_version")).all()
    engine.dispose()
    assert (posts, twice) == (distinct, 0)  # 0 lost, 0 duplicate (platform, id)
    assert doubled == 0  # one score per post, field and stage version
    assert coverage and all(n == posts for *_, n in coverage), coverage
