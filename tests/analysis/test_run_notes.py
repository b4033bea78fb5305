"""The report's "why an image step did not run" comes from the last recorded sift run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wildsift.analysis.run_notes import IMAGE_STEPS, unavailable_steps
from wildsift.store.runs import RunRecord, Unavailable


def _record(study, command: str, *missing: tuple[str, str], minutes: int = 0) -> None:
    began = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    study.store.runs.add(RunRecord(command, began, began + timedelta(seconds=1),
                                   unavailable=[Unavailable(what, why) for what, why in missing]))


def test_no_recorded_run_names_no_reason(study):
    assert unavailable_steps(study) == dict.fromkeys(IMAGE_STEPS)


def test_the_latest_sift_run_says_why_and_settings_read_as_turned_off(study):
    _record(study, "sift", ("ocr", "Tesseract not installed: no tesseract here"), minutes=0)
    _record(study, "sift", ("ocr", "Tesseract not installed: the sifting server lacks it"),
            ("faces", "[images] faces = false"), ("video frames", "no local video files were "
                                                  "imported"), minutes=5)
    _record(study, "comply", ("image-model", "not a sift run"), minutes=9)
    found = unavailable_steps(study)
    # the machine running this test may well have Tesseract: the record wins, not a probe
    assert found["ocr"] == "Tesseract not installed: the sifting server lacks it"
    assert found["faces"] == "turned off ([images] faces = false)"
    assert found["video frames"] == "no local video files were imported"
    assert found["phash"] is None and found["image-model"] is None


def test_a_run_without_image_stages_gives_every_step_its_reason(study):
    _record(study, "sift", ("image stages", "--no-images"))
    assert unavailable_steps(study) == dict.fromkeys(IMAGE_STEPS, "--no-images")
    _record(study, "sift", ("image stages", "[images] enabled = false in wildsift.toml"),
            minutes=1)
    assert set(unavailable_steps(study).values()) == {
        "turned off ([images] enabled = false in wildsift.toml)"}
