"""Every image stage a study builds travels to another process (a Ray actor) and works there.

Ray pickles a stage once and each actor unpickles it: models that do not pickle (OpenCV's
cascades, the image network, the pseudonymiser's keyed hash states) are rebuilt from their
settings on the other side, and the stage must answer as the original does."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest
from PIL import Image, ImageDraw

from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.sift.image_pipeline import build_image_stages
from wildsift.study import Study


def test_the_pseudonymiser_gives_the_same_pseudonyms_after_a_round_trip():
    original = Pseudonymizer(b"s" * 32)
    copy = pickle.loads(pickle.dumps(original))
    assert copy.account("x", "@Someone") == original.account("x", "@Someone")
    assert copy.digest("phone", "+84912345678") == original.digest_hmac("phone", "+84912345678")
    assert b"s" * 32 in pickle.dumps(original)  # the secret travels; nothing else is needed


def test_each_image_stage_answers_the_same_after_a_round_trip(tmp_path):
    study = Study.init(tmp_path / "study", name="pickling")
    try:
        stages, notes = build_image_stages(study)
    finally:
        study.close()
    built = {stage.name for stage in stages}
    if "faces" not in built:
        pytest.skip(f"OpenCV is not installed here: {notes}")
    picture = Image.new("RGB", (200, 150), (90, 120, 60))
    ImageDraw.Draw(picture).ellipse((40, 30, 160, 120), outline=(236, 226, 198), width=8)
    path = tmp_path / "a.jpg"
    picture.save(path, "JPEG")
    batch = pd.DataFrame({"sha256": ["a" * 64], "path": [str(path)], "languages": [["en"]]})
    for stage in stages:
        before = stage(batch.copy())
        copy = pickle.loads(pickle.dumps(stage))
        assert copy.version == stage.version, stage.name
        pd.testing.assert_frame_equal(copy(batch.copy()), before, check_exact=False,
                                      rtol=1e-4, atol=1e-5, obj=stage.name)
