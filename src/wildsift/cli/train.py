"""wildsift train: fit the study's text relevance model from its labels."""

from __future__ import annotations

from typing import Annotated

import typer

from wildsift.cli.common import console, handle_errors, open_study


def register(app: typer.Typer) -> None:
    @app.command("train")
    @handle_errors
    def train_command(
        ctx: typer.Context,
        folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds.")] = 5,
    ) -> None:
        """Train the text model on the study's relevance labels, and each task head (intent,
        captive_bred, scam) that has labels; save them with model cards. With labels of the
        field 'country' (ISO codes, or 'none'), fit the place filter's threshold to them.

        The candidates (tuned TF-IDF baseline, n-gram model, their blend) are compared out of
        fold and the winner is kept; its threshold is chosen for \\[sift] target_precision /
        target_recall, else best MCC."""
        from wildsift.errors import ModelError
        from wildsift.sift.learn.heads_train import train_heads
        from wildsift.sift.learn.train import train_study
        from wildsift.sift.learn.train_failures import clear_failure, record_failure

        study = open_study(ctx)
        step = "task heads"
        try:  # a failure is recorded, so the next 'sift' says why it has no model
            heads = train_heads(study, folds=folds)
            step = "text-relevance"
            try:
                card = train_study(study, folds=folds)
            except ModelError:
                _print_heads(heads)
                raise
            _print_card(study, card)
            _print_heads(heads)
            step = "fusion"
            _train_fusion(study)
            step = "image probe"
            _train_image_probe(study)
            step = "places"
            _train_places(study, folds)
        except Exception as exc:
            record_failure(study.models_dir, step, exc)
            raise
        clear_failure(study.models_dir)
        console.print("Run 'wildsift sift' to rescore posts with it.")


def _print_card(study, card: dict) -> None:
    """The text model's card as the user reads it: data, out-of-fold metrics, threshold."""
    m = card["metrics"]
    balance = card["class_balance"]
    console.print(f"Trained text-relevance {card['version']} on {card['data_size']} posts "
                  f"({balance['relevant']} relevant, {balance['not_relevant']} not).")
    console.print(f"  {m['folds']}-fold CV: precision {m['precision']:.3f}  recall "
                  f"{m['recall']:.3f}  F1 {m['f1']:.3f}  macro-F1 {m['macro_f1']:.3f}  "
                  f"MCC {m['mcc']:.3f}  PR-AUC {m['pr_auc']:.3f}")
    ci = m.get("ci", {})
    if ci:
        console.print("  95% bootstrap CI: " + "  ".join(
            f"{k} [{lo:.3f}, {hi:.3f}]" for k, (lo, hi) in ci.items()))
    rule = card.get("threshold_rule", {})
    console.print(f"  threshold {card.get('threshold', 0.5):.3f} ({rule.get('rule', '')}"
                  f"{'' if rule.get('met_target', True) else '; target not reachable, best MCC used'}"
                  f"); {m.get('grouped') and 'folds grouped by author; ' or ''}"
                  f"{card.get('duplicates_removed', 0)} duplicates removed before CV")
    if card.get("winner"):
        console.print(f"  kept: {card['why']}", markup=False)
    console.print(f"  card: {study.models_dir / 'text-relevance' / card['version'] / 'card.md'}")


def _train_image_probe(study) -> None:
    """The image probe, when posts carry image labels (image_relevant); needs the images extra."""
    from wildsift.errors import ModelError
    from wildsift.sift.models.image_probe import RELEVANT, image_labels

    labels = image_labels(study.store)
    if labels.empty or labels[RELEVANT].notna().sum() == 0:
        return  # no image labels: the image stage keeps its ImageNet rule
    try:
        from wildsift.sift.models.image_probe import train_image_probe
        from wildsift.sift.vision.image_model import load_image_model

        card = train_image_probe(study, load_image_model())
    except (ModelError, ImportError) as exc:
        console.print(f"  image probe: not trained ({exc})", markup=False)
        return
    console.print(f"  image probe: {card['version']} on {card['data_size']} labelled images",
                  markup=False)


def _train_places(study, folds: int) -> None:
    """The place filter's threshold, when people labelled enough posts' country."""
    from wildsift.errors import ModelError
    from wildsift.sift.learn.places_train import FIELD, train_places

    if study.store.labels.frame(FIELD).empty:
        return  # no country labels: the shipped threshold stays, nothing to say
    try:
        card = train_places(study, folds=folds)
    except ModelError as exc:
        console.print(f"  places: shipped threshold ({exc})", markup=False)
        return
    fitted, shipped = card["out_of_fold"], card["shipped"]
    console.print(
        f"  places: {card['method']} at threshold {card['threshold']} "
        f"{'kept' if card['kept'] else 'not kept'} on {card['labelled_posts']} labelled posts: "
        f"out of fold precision {fitted['precision']:.3f} recall {fitted['recall']:.3f}, "
        f"shipped threshold {card['shipped_threshold']} gives {shipped['precision']:.3f} / "
        f"{shipped['recall']:.3f}", markup=False)
    if card["unreadable_values"]:
        console.print("  places: left out country labels that are no known country code nor "
                      f"'none': {', '.join(card['unreadable_values'][:5])}", markup=False)


def _train_fusion(study) -> None:
    """The text + image fusion model, when enough labelled posts have images; else the rule."""
    from wildsift.errors import ModelError
    from wildsift.sift.learn.fusion_train import train_fusion

    try:
        card = train_fusion(study)
    except ModelError as exc:
        console.print(f"  fusion: rule ({exc})", markup=False)
        return
    if card.get("kept") is False:  # it did not beat text-only out of fold: sift passes text
        console.print(f"  fusion: stepped aside, {card['version']} ({card['why']})", markup=False)
        return
    why = f" ({card['why']})" if "why" in card else ""
    console.print(f"  fusion: model:{card.get('version', '?')}{why}", markup=False)


def _print_heads(heads: dict) -> None:
    """One line per task head: the model trained, or why it stays rule-based."""
    for head, result in heads.items():
        if result.get("method", "rules") == "rules":
            console.print(f"  head {head}: rules ({result.get('reason', 'no labels')})",
                          markup=False)
        else:
            metrics = result.get("card", {}).get("metrics", {})
            score = next((f"{k} {metrics[k]:.3f}" for k in ("macro_f1", "f1") if k in metrics), "")
            console.print(f"  head {head}: {result['method']} {score}".rstrip(), markup=False)
