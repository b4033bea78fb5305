"""One decision per post: ``relevant`` after fusion is what analysis, the report and export read.

The text stage keeps what the text model said as ``text_relevant``; fusion overwrites
``relevant`` for posts with images when it is kept, and passes the text decision through when
it stepped aside (its card's ``kept: false``).
"""

from __future__ import annotations

import io

import pandas as pd
from PIL import Image

from wildsift.analysis.data import load_report_data
from wildsift.analysis.export import export_frame
from wildsift.analysis.images import fusion_counts
from wildsift.records import Media, Post
from wildsift.report.build import report_context
from wildsift.sift.stages.fusion import FusionStage
from wildsift.sift.stages.relevance import RelevanceStage


class _ImageDecides:
    """A trained fusion model that follows the image score alone (enough to flip decisions)."""

    threshold_ = 0.5

    def decision_scores(self, features: pd.DataFrame):
        return features["image_score"].fillna(0).to_numpy(float)


class _NoLexicon:
    def match(self, text):
        return []


def _png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), colour).save(buffer, format="PNG")
    return buffer.getvalue()


TEXT_SAYS = {"p_up": (0.1, 0), "p_down": (0.9, 1), "p_text": (0.9, 1)}


def _said(pks: dict[str, int]) -> dict[int, tuple[float, int]]:
    return {pks[name]: said for name, said in TEXT_SAYS.items()}


def _sifted(study) -> dict[str, int]:
    """p_up: text says no, its photo says yes; p_down: text yes, photo no; p_text: no photo."""
    from wildsift.privacy.media import clean_image

    red, blue = clean_image(_png("red")), clean_image(_png("blue"))
    study.store.posts.add([
        Post(platform="x", post_id="p_up", text="a photo", author="a",
             media=[Media(url="u1", sha256=red.sha256)]),
        Post(platform="x", post_id="p_down", text="ivory for sale", author="b",
             media=[Media(url="u2", sha256=blue.sha256)]),
        Post(platform="x", post_id="p_text", text="ivory for sale", author="c")])
    study.store.images.link_media()
    study.store.images.write_scores("image-model", "v1", pd.DataFrame({
        "sha256": [red.sha256, blue.sha256], "image_relevance": [0.9, 0.1]}),
        ["image_relevance"])
    pks = study.store.posts.frame(("pk", "post_id")).set_index("post_id")["pk"]
    text = RelevanceStage(threshold=0.5)
    batch = pd.DataFrame({"pk": [pks["p_up"], pks["p_down"], pks["p_text"]],
                          "text": ["", "", ""], "lexicon_hits": [0, 0, 0]})
    out = text(batch).assign(relevance=[0.1, 0.9, 0.9], relevant=[0, 1, 1])
    for field in ("relevance", "relevant"):
        out["text_" + field] = out[field]
    study.store.scores.write(text.name, text.version, out, text.stores)
    return {name: int(pk) for name, pk in pks.items()}


def _decisions(study) -> dict[str, dict[str, object]]:
    """What each reader counts: analysis totals, report figures, the export's rows."""
    data = load_report_data(study)
    context = report_context(study, data, {})
    exported = export_frame(study.store).set_index("post_id")
    return {"analysis": int(data.totals.platforms["relevant"].sum()),
            "kept": sorted(data.posts["pk"].astype(int).tolist()),
            "report_fusion": context["images"]["fusion"],
            "export": exported["relevant"].astype(int).to_dict(),
            "methods": exported["relevance_method"].to_dict()}


def test_kept_fusion_flips_the_decision_everyone_reads(study, fuse):
    pks = _sifted(study)
    stage = FusionStage(_ImageDecides(), "f1", lexicon=_NoLexicon(), threshold=0.5)
    done = fuse(study, stage, _said(pks))
    assert done.kept == 2 and done.posts == 3
    seen = _decisions(study)
    assert seen["export"] == {"p_up": 1, "p_down": 0, "p_text": 1}
    assert seen["analysis"] == 2 and seen["kept"] == sorted([pks["p_up"], pks["p_text"]])
    assert seen["methods"] == {"p_up": "fusion:f1", "p_down": "fusion:f1", "p_text": "rules"}
    fusion = seen["report_fusion"]
    assert (fusion.text_relevant, fusion.fused_relevant) == (2, 2)
    assert (fusion.added, fusion.removed, fusion.with_images) == (1, 1, 2)
    assert fusion.methods == ["fusion:f1"]
    # what the text model said stays, for tracing
    text = study.store.scores.latest(["text_relevant"]).set_index("post_pk")["text_relevant"]
    assert text[pks["p_up"]] == 0 and text[pks["p_down"]] == 1


def test_fusion_that_stepped_aside_leaves_the_text_decision(study, fuse):
    pks = _sifted(study)
    stage = FusionStage(_ImageDecides(), "f1", lexicon=_NoLexicon(), threshold=0.5,
                        stepped_aside=True)
    fuse(study, stage, _said(pks))
    seen = _decisions(study)
    assert seen["export"] == {"p_up": 0, "p_down": 1, "p_text": 1}
    assert seen["analysis"] == 2
    assert set(seen["methods"].values()) == {"rules"}
    fusion = seen["report_fusion"]
    assert (fusion.added, fusion.removed, fusion.methods) == (0, 0, [])


def test_a_study_sifted_before_the_merge_reads_its_fused_decision(study, fuse):
    """Old shape: text decision as ``relevant`` (relevance stage), fusion's as
    ``fused_relevant``; the report's fusion note still counts it, and a re-fuse writes
    ``relevant`` from the text stage's rows, never from fusion's own."""
    pks = _sifted(study)
    old = pd.DataFrame({"pk": [pks["p_up"], pks["p_down"], pks["p_text"]],
                        "fused_relevant": [1, 1, 1],
                        "fusion_method": ["fusion-rule-v1", "fusion-rule-v1", "text"]})
    study.store.scores.write("fusion", "fusion-rule-v1", old, ("fused_relevant", "fusion_method"))
    with study.store.engine.begin() as conn:  # drop the new fields, as an old sift never wrote
        conn.exec_driver_sql("DELETE FROM scores WHERE field LIKE 'text_%'")
    fusion = fusion_counts(study)
    assert (fusion.text_relevant, fusion.fused_relevant, fusion.added) == (2, 3, 1)
    fuse(study, FusionStage(_ImageDecides(), "f1", lexicon=_NoLexicon(), threshold=0.5),
         _said(pks))
    assert _decisions(study)["export"] == {"p_up": 1, "p_down": 0, "p_text": 1}
