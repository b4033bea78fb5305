"""Zooniverse round trip: a real-shaped classification export read with a mapping (user_ip
dropped, people pseudonymised), subject manifests as panoptes-cli takes them, and
export -> import -> export leaving labels unchanged."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from PIL import Image
from sqlalchemy import delete
from typer.testing import CliRunner

from wildsift.cli.main import app
from wildsift.labels.mapping import load_mapping
from wildsift.labels.values import stored_value
from wildsift.labels.zooniverse import MAX_FILE_BYTES, read_classifications, write_subjects
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.records import Label, Post
from wildsift.store import schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "labels"


def test_reads_a_classification_export_with_people_pseudonymised():
    path = FIXTURES / "zooniverse-classifications.csv"
    found = read_classifications(path, load_mapping(FIXTURES / "zooniverse-mapping.toml"),
                                 Pseudonymizer(b"k" * 32))
    got = sorted((lab.post_id, lab.field, lab.value, lab.annotator) for lab in found.labels)
    people = sorted({lab.annotator for lab in found.labels})
    assert len(people) == 3 and all(p.startswith("a_") and len(p) == 18 for p in people)
    watcher = next(lab.annotator for lab in found.labels if lab.value == "offer")
    assert ("zp1", "relevant", "1", watcher) in got and ("zp2", "relevant", "0", watcher) in got
    assert [lab.value for lab in found.labels if lab.field == "intent"] == ["offer", "wanted"]
    assert len(got) == 6 and all(lab.platform == "telegram" for lab in found.labels)
    assert found.labels[0].created_at == datetime(2025, 1, 21, 16, 8, 41, tzinfo=UTC)
    stored = repr(found.labels)
    for secret in ("pangolin_watcher", "ivory_spotter", "2043117", "1877", "b644753d0e3948f8",
                   "ddf0c9028b1ece89e3b1", "not-logged-in"):
        assert secret not in stored
    assert found.skipped == {"workflow 31001": 1}
    assert len(found.problems) == 1 and f"{path}:7: task T0" in found.problems[0]
    assert "'Maybe'" in found.problems[0]


def _png(size: tuple[int, int], noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size,
                                                                                 "green")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_subject_manifests_as_the_uploader_takes_them(tmp_path):
    small, big = tmp_path / "small.png", tmp_path / "big.png"
    small.write_bytes(_png((40, 30)))
    big.write_bytes(_png((1400, 1400), noise=True))
    assert big.stat().st_size > MAX_FILE_BYTES
    posts = pd.DataFrame({"post_id": ["p1", "p2", "p3"], "platform": ["x", "x", "ebay"],
                          "text": ["ivory for sale", "", "two photos"]})
    blurred = []

    def blur(data: bytes) -> tuple[bytes, int]:
        blurred.append(len(data))
        return data, 1

    out = tmp_path / "zoo"
    done = write_subjects(posts, out, images={"p1": [small], "p3": [small, big]}, blur=blur)
    assert done.manifests == {"manifest.csv": 1, "manifest-1-images.csv": 1,
                              "manifest-2-images.csv": 1}
    assert len(blurred) == 3 and done.blurred_faces == 3  # every image went through blur
    for name in done.manifests:
        with (out / name).open(newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        assert header[-2:] == ["#wildsift_post", "#wildsift_platform"]
        for row in body:
            files = [cell for cell in row if (out / cell).is_file()]
            assert len(files) == len(header) - 2  # every file column, on every row
            assert all(0 < (out / f).stat().st_size <= MAX_FILE_BYTES for f in files)
    text_of = {row[-2]: (out / row[0]).read_text() for name in done.manifests
               for row in list(csv.reader((out / name).open()))[1:]}
    assert text_of["p1"] == "ivory for sale" and text_of["p2"].strip()  # never an empty file


def _labelled_study(study) -> None:
    study.store.posts.add([Post(platform="ebay", post_id=f"p{i}", text=f"post {i}")
                           for i in range(6)])
    when = datetime(2025, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)
    labels = [Label(f"p{i}", "relevant", v, who, when) for i, v, who in
              [(0, "1", "a_0000000000000001"), (0, "0", "a_00000000000000b2"),
               (1, "yes", "a_0000000000000001"), (2, "0", "a_00000000000000b2")]]
    labels += [Label("p0", "intent", "offer", "a_0000000000000001", when),
               Label("p3", "taxon", "Manis javanica", "a_00000000000000b2", when),
               Label("p3", "queue_reason", "random", "a_00000000000000b2", when)]
    study.store.labels.add(labels)


def _cli(study, *args: str) -> str:
    result = CliRunner().invoke(app, ["--study", str(study.root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _judged(study) -> list[tuple]:
    """Judged labels, yes/no fields in their one spelling (a stored "yes" goes out as 1)."""
    frame = study.store.labels.frame()
    frame = frame[frame["field"] != "queue_reason"]
    return sorted((r.post_id, r.field, stored_value(r.field, r.value), r.annotator,
                   pd.Timestamp(r.created_at).floor("s").tz_localize(None))
                  for r in frame.itertuples())


def test_export_import_export_leaves_labels_unchanged(study, tmp_path):
    _labelled_study(study)
    first, second = tmp_path / "first", tmp_path / "second"
    _cli(study, "label", "export", "--format", "zooniverse", "--out", str(first),
         "--posts", "labelled")
    before = _judged(study)
    with study.store.engine.begin() as conn:
        conn.execute(delete(schema.labels))
    assert study.store.labels.frame().empty
    output = _cli(study, "label", "import", "--format", "zooniverse",
                  str(first / "classifications.csv"), "--mapping", str(first / "mapping.toml"))
    assert "stored 6" in output and "malformed 0" in output
    after = _judged(study)
    assert [row[:4] for row in after] == [row[:4] for row in before]
    assert [row[4] for row in after] == [row[4] for row in before]  # to the second
    assert ("p1", "relevant", "1", "a_0000000000000001") in [row[:4] for row in after]
    assert ("p3", "taxon", "Manis javanica", "a_00000000000000b2") in [r[:4] for r in after]
    _cli(study, "label", "export", "--format", "zooniverse", "--out", str(second),
         "--posts", "labelled")
    for name in ("classifications.csv", "manifest.csv", "mapping.toml"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
