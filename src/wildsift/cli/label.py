"""wildsift label import|export: people's judgements of posts, in and out as CSV."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from wildsift.analysis.export_records import record_export
from wildsift.cli.common import console, handle_errors, open_study
from wildsift.errors import InputError
from wildsift.privacy.pseudonym import Pseudonymizer
from wildsift.records import Label

LABEL_COLUMNS = ["post_id", "field", "value", "annotator", "created_at"]
QUEUE_CSV_COLUMNS = ["post_id", "field", "value", "annotator", "platform", "reason", "relevance",
                     "relevance_method", "lang", "lexicon", "text"]
ANSWERS = {"1": "1", "0": "0", "s": None, "q": None}
REASON_FIELD = "queue_reason"  # why the queue chose a post (random picks: unbiased estimates)
SHOWN_CHARS = 2000


def _show(row, position: int, total: int) -> None:
    """One queued post as a person sees it: redacted text and what the sift found."""
    console.rule(f"post {position} of {total}")
    text = str(row.text)
    more = f" [dim](+{len(text) - SHOWN_CHARS} characters)[/dim]" if len(text) > SHOWN_CHARS else ""
    console.print(escape(text[:SHOWN_CHARS]) + more)
    console.print(f"[dim]platform[/dim] {escape(str(row.platform))}  [dim]language[/dim] "
                  f"{escape(row.lang if isinstance(row.lang, str) and row.lang else '?')}  "
                  f"[dim]score[/dim] {row.relevance:.2f} "
                  f"({escape(str(row.relevance_method))})")
    console.print(f"[dim]lexicon[/dim] {escape(row.lexicon or '-')}")


def _ask() -> str:
    """1, 0, s or q; anything else asks again. End of input counts as q."""
    while True:
        try:
            answer = typer.prompt("relevant? 1 = yes, 0 = no, s = skip, q = quit").strip().lower()
        except typer.Abort:
            return "q"
        if answer in ANSWERS:
            return answer
        console.print("please answer 1, 0, s or q")


def _label_interactively(study, queue, annotator: str) -> dict[str, int]:
    counts = {"1": 0, "0": 0, "s": 0}
    for position, row in enumerate(queue.itertuples(index=False), start=1):
        _show(row, position, len(queue))
        answer = _ask()
        if answer == "q":
            break
        counts[answer] += 1
        if answer == "s":
            continue
        now = datetime.now(UTC)
        study.store.labels.add([  # stored at once: quitting or Ctrl-C keeps every answer
            Label(post_id=row.post_id, field="relevant", value=ANSWERS[answer],
                  annotator=annotator, created_at=now, platform=row.platform),
            Label(post_id=row.post_id, field=REASON_FIELD, value=row.reason,
                  annotator=annotator, created_at=now, platform=row.platform)])
    return counts


def read_label_csv(path: Path, pseudonyms: Pseudonymizer, default_field: str) -> tuple[
        list[Label], list[str]]:
    """Labels from a CSV; annotator names become pseudonyms. Returns (labels, problems)."""
    labels, problems = [], []
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = {"post_id", "value"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"{path}: line 1: missing column(s) {sorted(missing)}; "
                             f"expected {LABEL_COLUMNS}")
        for line, row in enumerate(reader, start=2):
            post_id, value = (row.get("post_id") or "").strip(), (row.get("value") or "").strip()
            if not post_id or not value:
                problems.append(f"{path}:{line}: field '{'post_id' if not post_id else 'value'}' "
                                "is empty")
                continue
            created = None
            if row.get("created_at"):
                try:
                    created = datetime.fromisoformat(row["created_at"])
                except ValueError:
                    problems.append(f"{path}:{line}: field 'created_at': not an ISO 8601 time")
                    continue
                if created.tzinfo is None:
                    created = created.replace(tzinfo=UTC)
            annotator = (row.get("annotator") or "").strip() or "anonymous"
            if not annotator.startswith("a_"):
                annotator = "a_" + pseudonyms.digest("annotator", annotator.lower())
            labels.append(Label(post_id=post_id, field=(row.get("field") or default_field).strip(),
                                value=value, annotator=annotator, created_at=created))
    return labels, problems


def register(app: typer.Typer) -> None:
    label_app = typer.Typer(help="Label posts: what to label next, agreement, import and "
                                 "export labels (CSV, Zooniverse, Label Studio).",
                            no_args_is_help=True)
    app.add_typer(label_app, name="label")

    @label_app.command("import")
    @handle_errors
    def label_import(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="CSV with post_id, field, value, annotator, "
                                                  "created_at; or a Zooniverse classification "
                                                  "export (CSV) or a Label Studio JSON export "
                                                  "with --format.")],
        field: Annotated[str, typer.Option(help="Field when the CSV has no 'field' column.")] =
            "relevant",
        fmt: Annotated[str, typer.Option("--format", help="csv, zooniverse or label-studio.")] =
            "csv",
        mapping: Annotated[Path | None, typer.Option(
            help="TOML/YAML file mapping the tool's questions and answers to label fields "
                 "(default: wildsift's own: relevant, Yes/No or Relevant/Not relevant).")] = None,
    ) -> None:
        """Import labels; annotator names, ids and e-mails are pseudonymised before storing."""
        from wildsift.cli.label_rounds import FORMATS, import_labels

        if fmt not in FORMATS:
            raise InputError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
        study = open_study(ctx)
        skipped = {}
        if fmt == "csv":
            labels, problems = read_label_csv(file, Pseudonymizer(study.secret), field)
        else:
            labels, problems, skipped = import_labels(study, fmt, file, mapping)
        stored, missing = study.store.labels.add(labels)
        for problem in problems:
            print(f"skipped: {problem}", file=sys.stderr)
        extra = "".join(f", {n} {why}" for why, n in sorted(skipped.items()))
        console.print(f"labels read {len(labels) + len(problems)}, stored {stored}, "
                      f"unknown post ids {len(missing)}, malformed {len(problems)}"
                      + escape(extra))

    @label_app.command("export")
    @handle_errors
    def label_export(
        ctx: typer.Context,
        out: Annotated[Path | None, typer.Option(
            help="Output CSV (default: stdout); a folder with --format zooniverse or "
                 "label-studio.")] = None,
        field: Annotated[str | None, typer.Option(help="Only this field.")] = None,
        fmt: Annotated[str, typer.Option("--format", help="csv, zooniverse or label-studio.")] =
            "csv",
        posts: Annotated[str, typer.Option(
            help="Posts to send (zooniverse, label-studio): all, labelled, relevant.")] = "all",
        limit: Annotated[int | None, typer.Option(min=1, help="At most this many posts.")] =
            None,
        mapping: Annotated[Path | None, typer.Option(
            help="TOML/YAML answer mapping (default: wildsift's own, written beside).")] = None,
        images: Annotated[bool, typer.Option(
            help="Zooniverse: send the posts' images, faces blurred.")] = True,
    ) -> None:
        """Export labels as CSV (post_id, field, value, annotator pseudonym, created_at), or
        posts and labels for Zooniverse (subject manifests, files, classifications) or Label
        Studio (tasks with predictions)."""
        from wildsift.cli.label_rounds import (
            FORMATS,
            POST_SETS,
            chosen_posts,
            export_label_studio,
            export_zooniverse,
            mapping_for,
        )

        if fmt not in FORMATS:
            raise InputError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
        study = open_study(ctx)
        frame = study.store.labels.frame(field)
        if fmt != "csv":
            if out is None:
                raise InputError(f"--format {fmt} writes a folder: give --out DIR")
            if posts not in POST_SETS:
                raise InputError(f"--posts {posts}: choose one of {', '.join(POST_SETS)}")
            chosen = chosen_posts(study, posts, frame, limit)
            answers = mapping_for(mapping, frame, fmt)
            if fmt == "zooniverse":
                export_zooniverse(study, out, chosen, frame, answers, with_images=images)
            else:
                export_label_studio(study, out, chosen, frame, answers)
            # not recorded for `comply`: it rewrites CSV/JSONL files, not these folders
            # (docs/labelling.md: erase a post from an outside tool there)
            return
        frame = frame[LABEL_COLUMNS]
        frame["created_at"] = frame["created_at"].map(
            lambda t: t.isoformat() if hasattr(t, "isoformat") else t)
        if out is None:
            frame.to_csv(sys.stdout, index=False)
        else:
            frame.to_csv(out, index=False)
            record_export(study.root, out, "labels", "csv")  # `comply` rewrites it
            console.print(f"wrote {len(frame)} labels to {out}")

    @label_app.command("agreement")
    @handle_errors
    def label_agreement(
        ctx: typer.Context,
        json_out: Annotated[Path | None, typer.Option(
            "--json", help="Also write the figures to this JSON file.")] = None,
        field: Annotated[list[str] | None, typer.Option(
            help="Only these fields (repeat the option); default: every labelled field.")] =
            None,
        k: Annotated[int, typer.Option(min=1, help="Retire a post at k agreeing labels.")] = 3,
        threshold: Annotated[float, typer.Option(
            min=0.5, max=1.0, help="...or at this Dawid-Skene posterior.")] = 0.9,
    ) -> None:
        """How far annotators agree per field (Krippendorff's alpha, Cohen's kappa for each
        pair) and the Dawid-Skene consensus: posts, retired posts, each annotator's accuracy."""
        from wildsift.cli.label_rounds import run_agreement

        run_agreement(open_study(ctx), fields=field or None, json_out=json_out, k=k,
                      threshold=threshold)

    @label_app.command("next")
    @handle_errors
    def label_next(
        ctx: typer.Context,
        n: Annotated[int, typer.Option("--n", min=1, help="How many posts to queue.")] = 20,
        annotator: Annotated[str | None, typer.Option(
            help="Your name (stored only as a pseudonym; default 'anonymous').")] = None,
        export: Annotated[Path | None, typer.Option(
            help="Write the queue to this CSV (fill 'value' with 1 or 0, then 'wildsift label "
                 "import' it) instead of asking here.")] = None,
        seed: Annotated[int | None, typer.Option(help="Seed of the random share.")] = None,
    ) -> None:
        """Label the most useful posts next: uncertain, diverse, plus a random share."""
        from wildsift.sift.learn.queue import annotator_pseudonym, label_queue

        study = open_study(ctx)
        who = annotator_pseudonym(Pseudonymizer(study.secret), annotator)
        queue = label_queue(study, n, annotator=who, seed=seed)
        if queue.empty:
            console.print("Nothing to label: every post has a relevance label.")
            return
        if export is not None:
            frame = queue.assign(field="relevant", value="")[QUEUE_CSV_COLUMNS]
            try:
                frame.to_csv(export, index=False)
            except OSError as exc:
                raise InputError(f"{export}: cannot write: {exc.strerror}") from exc
            record_export(study.root, export, "queue", "csv")  # `comply` rewrites it
            reasons = queue["reason"].value_counts().to_dict()
            console.print(f"wrote {len(frame)} posts to {export} ({reasons}); fill 'value' with "
                          f"1 or 0 and run 'wildsift label import {export}'")
            return
        counts = _label_interactively(study, queue, who)
        console.print(f"stored {counts['1'] + counts['0']} labels ({counts['1']} relevant, "
                      f"{counts['0']} not), skipped {counts['s']}; run 'wildsift train' to "
                      "learn from them")
