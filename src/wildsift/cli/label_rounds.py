"""The study-facing half of 'wildsift label agreement|import|export --format': reads frames
from the store, hands them to ``wildsift.labels`` (pure), prints what happened. Kept apart from
``cli/label.py`` so that module stays the one for the terminal labelling loop."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
from rich.table import Table

from wildsift.cli.common import console
from wildsift.errors import InputError
from wildsift.labels.agreement import AgreementReport, agreement
from wildsift.labels.consensus import dawid_skene, retired
from wildsift.labels.mapping import AnswerMapping, default_mapping, load_mapping
from wildsift.labels.values import BOOKKEEPING_FIELDS

FORMATS = ("csv", "zooniverse", "label-studio")
POST_SETS = ("all", "labelled", "relevant")


def _fmt(value: float | None) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else \
        f"{value:.3f}"


def consensus_summary(labels: pd.DataFrame, fields: list[str], *, k: int,
                      threshold: float) -> dict[str, dict]:
    """Per field: posts, posts with several labels, where Dawid-Skene differs from the
    majority's first value, retired posts, and each annotator's estimated accuracy."""
    out = {}
    for name in fields:
        result = dawid_skene(labels, name)
        posts = result.posts
        several = posts[posts["labels"] >= 2]
        out[name] = {
            "posts": len(posts), "multi_labelled": len(several),
            "retired": int(sum(retired(row, k=k, threshold=threshold)
                               for _, row in posts.iterrows())),
            "mean_posterior_multi": (float(several["posterior"].mean()) if len(several)
                                     else None),
            "priors": result.priors, "accuracy": result.accuracy(),
            "iterations": result.iterations, "converged": result.converged,
        }
    return out


def print_agreement(report: AgreementReport, summary: dict[str, dict]) -> None:
    """Rich tables: alpha per field, each field's kappa matrix, the consensus summary."""
    table = Table(title="Agreement per field (Krippendorff's alpha, nominal)")
    for column in ("field", "alpha", "posts", "posts with 2+ labels", "labels", "annotators",
                   "values"):
        table.add_column(column, justify="left" if column in ("field", "values") else "right")
    for item in report.fields.values():
        table.add_row(item.field, _fmt(item.alpha), str(item.posts), str(item.pairable_posts),
                      str(item.labels), str(item.annotators),
                      ", ".join(f"{k}: {v}" for k, v in item.values.items()))
    console.print(table)
    for item in report.fields.values():
        if item.annotators < 2:
            continue
        kappa = Table(title=f"Cohen's kappa, {item.field} (posts both labelled in brackets)")
        kappa.add_column("annotator")
        names = list(item.kappa.columns)
        for name in names:
            kappa.add_column(name[:10], justify="right")
        for a in names:
            kappa.add_row(a[:10], *[f"{_fmt(item.kappa.loc[a, b])} ({item.overlap.loc[a, b]})"
                                    for b in names])
        console.print(kappa)
    table = Table(title="Dawid-Skene consensus")
    for column in ("field", "posts", "2+ labels", "retired", "mean posterior (2+)",
                   "annotator accuracy (estimated)"):
        table.add_column(column, justify="left" if column in ("field",) else "right")
    for name, item in summary.items():
        accuracy = ", ".join(f"{who[:10]} {acc:.2f}" for who, acc in item["accuracy"].items())
        table.add_row(name, str(item["posts"]), str(item["multi_labelled"]),
                      str(item["retired"]), _fmt(item["mean_posterior_multi"]), accuracy)
    console.print(table)


def run_agreement(study, *, fields: list[str] | None, json_out: Path | None, k: int,
                  threshold: float) -> None:
    labels = study.store.labels.frame()
    if labels.empty:
        console.print("No labels yet: 'wildsift label next' or 'wildsift label import'.")
        return
    labels = labels[~labels["field"].isin(BOOKKEEPING_FIELDS)]
    report = agreement(labels, fields)
    summary = consensus_summary(labels, list(report.fields), k=k, threshold=threshold)
    print_agreement(report, summary)
    if json_out is not None:
        document = report.to_dict() | {"consensus": summary,
                                       "retirement": {"k": k, "threshold": threshold}}
        try:
            json_out.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            raise InputError(f"{json_out}: cannot write: {exc.strerror}") from exc
        console.print(f"wrote {json_out}")


def mapping_for(path: Path | None, labels: pd.DataFrame, tool: str) -> AnswerMapping:
    """The mapping file given, else wildsift's default for the fields labelled (relevant at
    least)."""
    if path is not None:
        return load_mapping(path)
    fields = sorted(set(labels["field"]) - BOOKKEEPING_FIELDS) if len(labels) else []
    return default_mapping(fields or ["relevant"], tool=tool)


def chosen_posts(study, which: str, labels: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """The posts to export: all, those with a label, or those the sift decided relevant."""
    columns = ["pk", "post_id", "platform", "text"]
    if which == "labelled":
        posts = study.store.posts.frame(columns, pks=sorted(set(labels["post_pk"].astype(int))))
    elif which == "relevant":
        scores = study.store.scores.latest(["relevant"])
        pks = ([] if scores.empty or "relevant" not in scores else
               scores.loc[pd.to_numeric(scores["relevant"], errors="coerce") == 1, "post_pk"])
        posts = study.store.posts.frame(columns, pks=[int(pk) for pk in pks])
    else:
        posts = study.store.posts.frame(columns)
    return posts.head(limit) if limit else posts


def _labels_with_platform(study, labels: pd.DataFrame) -> pd.DataFrame:
    labels = labels[~labels["field"].isin(BOOKKEEPING_FIELDS)]
    if labels.empty:
        return labels.assign(platform=pd.Series(dtype=object))
    posts = study.store.posts.frame(["pk", "platform"],
                                    pks=sorted(set(labels["post_pk"].astype(int))))
    return labels.merge(posts.rename(columns={"pk": "post_pk"}), on="post_pk", how="left")


def _post_images(study, posts: pd.DataFrame) -> dict[str, list[Path]]:
    from wildsift.privacy.media import MediaStore

    if posts.empty:
        return {}
    study.store.images.link_media()
    links = study.store.images.post_links([int(pk) for pk in posts["pk"]])
    if links.empty:
        return {}
    links = links[links["frame"] == 0] if "frame" in links else links  # stills: frame 0
    media = MediaStore(study.media_dir)
    post_id = dict(zip(posts["pk"].astype(int), posts["post_id"].astype(str)))
    found: dict[str, list[Path]] = {}
    for pk, sha256 in zip(links["post_pk"].astype(int), links["sha256"]):
        path = media.find(str(sha256))
        found.setdefault(post_id[pk], []).append(path if path is not None else Path("/missing"))
    return found


def export_zooniverse(study, out: Path, posts: pd.DataFrame, labels: pd.DataFrame,
                      mapping: AnswerMapping, *, with_images: bool) -> None:
    from wildsift.labels.zooniverse import write_classifications, write_subjects

    images = _post_images(study, posts) if with_images else {}
    blur = None
    if images:
        from wildsift.privacy.faces import blur_image_bytes, make_detector

        detector = make_detector("haar")

        def blur(data: bytes) -> tuple[bytes, int]:
            blurred = blur_image_bytes(data, detector)
            return blurred.data, blurred.faces

    done = write_subjects(posts, out, images=images, blur=blur)
    labelled = _labels_with_platform(study, labels[labels["post_pk"].isin(posts["pk"])])
    rows = write_classifications(labelled, mapping, out / "classifications.csv")
    (out / "mapping.toml").write_text(mapping.to_toml(), encoding="utf-8")
    manifests = ", ".join(f"{name} ({n})" for name, n in done.manifests.items())
    console.print(f"wrote {len(posts)} subjects to {out}: {manifests}; {done.images} images "
                  f"({done.blurred_faces} faces blurred, {done.missing_images} missing); "
                  f"{rows} classifications of stored labels in classifications.csv; the "
                  "answer mapping in mapping.toml. Upload each manifest with 'panoptes "
                  "subject-set upload-subjects SUBJECT_SET_ID MANIFEST'.")


def export_label_studio(study, out: Path, posts: pd.DataFrame, labels: pd.DataFrame,
                        mapping: AnswerMapping) -> None:
    from wildsift.labels.label_studio import build_tasks, label_config

    scores = study.store.scores.latest(["relevance", "relevant", "relevance_method"])
    scores = scores if {"relevance", "relevant", "relevance_method"} <= set(scores) else None
    tasks = build_tasks(posts, labels[~labels["field"].isin(BOOKKEEPING_FIELDS)], mapping,
                        scores=scores)
    out.mkdir(parents=True, exist_ok=True)
    (out / "tasks.json").write_text(json.dumps(tasks, indent=1, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    (out / "label_config.xml").write_text(label_config(mapping), encoding="utf-8")
    (out / "mapping.toml").write_text(mapping.to_toml(), encoding="utf-8")
    predicted = sum("predictions" in t for t in tasks)
    annotated = sum(len(t.get("annotations", [])) for t in tasks)
    console.print(f"wrote {len(tasks)} tasks to {out / 'tasks.json'} ({predicted} with a "
                  f"prediction, {annotated} annotations of stored labels), the labelling "
                  "interface in label_config.xml and the answer mapping in mapping.toml")


def import_labels(study, fmt: str, file: Path, mapping_file: Path | None):
    """(labels, problems, skipped) read from a Zooniverse or Label Studio file."""
    from wildsift.privacy.pseudonym import Pseudonymizer

    pseudonyms = Pseudonymizer(study.secret)
    tool = "zooniverse" if fmt == "zooniverse" else "label-studio"
    mapping = (load_mapping(mapping_file) if mapping_file is not None
               else default_mapping(["relevant"], tool=tool))
    if fmt == "zooniverse":
        from wildsift.labels.zooniverse import read_classifications

        found = read_classifications(file, mapping, pseudonyms)
    else:
        from wildsift.labels.label_studio import read_export

        found = read_export(file, mapping, pseudonyms)
    return found.labels, found.problems, found.skipped
