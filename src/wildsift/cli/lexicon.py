"""wildsift lexicon suggest|accept|reject|list|rematch: the study's own terms.

Discovery only suggests; a person accepts. Code words change, and every wrong term costs
analysts time on false positives, so nothing enters the study's lexicon unreviewed.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.errors import ConfigError
from wildsift.lexicon import Lexicon
from wildsift.lexicon.corpus import load_corpus, suggest_for_study, term_evidence
from wildsift.lexicon.normalize import normalize
from wildsift.lexicon.study_terms import (
    RejectedTerm,
    StudyTerm,
    now_iso,
    read_study_terms,
    study_lexicon_path,
    write_study_terms,
)
from wildsift.lexicon.suggest import Candidate, guess_language
from wildsift.privacy.pseudonym import Pseudonymizer

_BY_HELP = "Who decides (pseudonymised before it is written; default: $WILDSIFT_ANNOTATOR or " \
           "the login name)."


def _pseudonym(study, name: str | None) -> str:
    name = (name or os.environ.get("WILDSIFT_ANNOTATOR") or getpass.getuser() or "anonymous")
    if name.startswith("a_"):
        return name
    return "a_" + Pseudonymizer(study.secret).digest("annotator", name.strip().lower())


def _table(title: str, rows: list[Candidate]) -> Table:
    table = Table(title=title, show_lines=False)
    for column in ("term", "lang", "kind", "score", "rel", "not", "nearest", "why / example"):
        table.add_column(column, justify="right" if column in ("score", "rel", "not") else "left",
                         overflow="fold")
    for c in rows:
        near = f"{c.nearest} ({c.taxon})" if c.nearest else "-"
        why = c.reason if c.reason.startswith(("leet", "spaced", "spelling", "one char")) \
            or "emoji" in c.reason else (c.examples[0] if c.examples else "")
        table.add_row(c.term, c.lang, c.kind, f"{c.score:.2f}", str(c.relevant),
                      str(c.not_relevant), near, why)
    return table


def register(app: typer.Typer) -> None:
    lex_app = typer.Typer(help="Discover code words and keep the study's own lexicon terms.",
                          no_args_is_help=True)
    app.add_typer(lex_app, name="lexicon")

    @lex_app.command("suggest")
    @handle_errors
    def suggest_command(
        ctx: typer.Context,
        top: Annotated[int, typer.Option(min=1, help="Candidates per list.")] = 30,
        json_out: Annotated[Path | None, typer.Option(
            "--json", help="Also write every candidate with its evidence to this file.")] = None,
        min_count: Annotated[int, typer.Option(
            min=1, help="Least number of relevant posts a term must be in.")] = 3,
        threshold: Annotated[float | None, typer.Option(
            min=0.0, max=1.0, help="With few labels: relevance score that makes an unlabelled "
                                   "post a weak positive (default: the stage's decision).")] = None,
    ) -> None:
        """Rank candidate new terms: over-represented in relevant posts, or close to known."""
        study = open_study(ctx)
        try:
            result = suggest_for_study(study, Lexicon.for_study(study), top=top,
                                       min_count=min_count, threshold=threshold)
        finally:
            study.close()
        console.print(f"Based on {result.positives} relevant and {result.negatives} other posts "
                      f"({result.basis}).", markup=False)
        if result.weak:
            console.print("[yellow]Weak labels in use: label more posts for sharper "
                          "suggestions.[/]")
        console.print(_table("Over-represented in relevant posts (weighted log-odds z)",
                             result.terms))
        console.print(_table("Close to known terms", result.variants))
        console.print("Accept with 'wildsift lexicon accept TERM --taxon GROUP', reject with "
                      "'wildsift lexicon reject TERM'.")
        if json_out is not None:
            json_out.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2),
                                encoding="utf-8")
            console.print(f"wrote {len(result.terms) + len(result.variants)} candidates to "
                          f"{json_out}")

    @lex_app.command("accept")
    @handle_errors
    def accept_command(
        ctx: typer.Context,
        term: Annotated[str, typer.Argument(help="The term as it is written in posts.")],
        taxon: Annotated[str, typer.Option(help="Taxon key, group or name (e.g. elephant).")],
        kind: Annotated[str, typer.Option(help="code_word, name or product.")] = "code_word",
        lang: Annotated[str | None, typer.Option(
            help="Language code (default: the commonest language of the posts using it).")] = None,
        product: Annotated[str | None, typer.Option(
            help="Product (e.g. ivory, horn, scales); required for kind product.")] = None,
        note: Annotated[str, typer.Option(help="Why, or where the term was reported.")] = "",
        by: Annotated[str | None, typer.Option(help=_BY_HELP)] = None,
    ) -> None:
        """Add TERM to the study's lexicon (lexicon.yaml); mining and sifting then use it."""
        study = open_study(ctx)
        try:
            if kind not in ("code_word", "name", "product"):
                raise ConfigError(f"--kind {kind!r}: use code_word, name or product")
            if kind == "product" and not product:
                raise ConfigError("--product is required for --kind product (e.g. ivory, horn)")
            lexicon = Lexicon.for_study(study)
            key = _taxon_key(lexicon, taxon)
            path = study_lexicon_path(study)
            terms = read_study_terms(path)
            if terms.find(term):
                raise ConfigError(f"'{term}' is already in {path}; edit it there")
            score, rel, other, langs = None, 0, 0, []
            try:
                score, rel, other, langs = term_evidence(load_corpus(study), term)
            except ConfigError:
                pass  # no labels or scores yet: accepted without evidence
            terms.terms.append(StudyTerm(
                term=term, lang=lang or guess_language(term, langs), taxon=key, kind=kind,
                product=product, accepted_by=_pseudonym(study, by), accepted_at=now_iso(),
                score=score, note=note))
            terms.rejected = [r for r in terms.rejected if normalize(r.term) != normalize(term)]
            write_study_terms(path, terms)
        finally:
            study.close()
        console.print(f"accepted '{term}' ({kind}, {key}) into {path}; in {rel} relevant and "
                      f"{other} other posts. New posts are matched with it; "
                      "'wildsift lexicon rematch' re-matches stored posts.", markup=False)

    @lex_app.command("reject")
    @handle_errors
    def reject_command(
        ctx: typer.Context,
        term: Annotated[str, typer.Argument(help="The suggested term to stop suggesting.")],
        by: Annotated[str | None, typer.Option(help=_BY_HELP)] = None,
    ) -> None:
        """Remember that TERM is not wanted: it is not suggested again."""
        study = open_study(ctx)
        try:
            path = study_lexicon_path(study)
            terms = read_study_terms(path)
            if terms.find(term):
                raise ConfigError(f"'{term}' is an accepted term in {path}; remove it there first")
            if normalize(term) not in terms.rejected_keys():
                terms.rejected.append(RejectedTerm(term=term, rejected_by=_pseudonym(study, by),
                                                   rejected_at=now_iso()))
                write_study_terms(path, terms)
        finally:
            study.close()
        console.print(f"rejected '{term}'; it will not be suggested again", markup=False)

    @lex_app.command("list")
    @handle_errors
    def list_command(ctx: typer.Context) -> None:
        """The terms this study accepted (and how many it rejected)."""
        study = open_study(ctx)
        path = study_lexicon_path(study)
        terms = read_study_terms(path)
        table = Table(title=f"Study terms ({path})")
        for column in ("term", "lang", "taxon", "kind", "product", "by", "at", "score"):
            table.add_column(column)
        for t in terms.terms:
            table.add_row(t.term, t.lang, t.taxon, t.kind, t.product or "", t.accepted_by,
                          t.accepted_at or "", "" if t.score is None else f"{t.score:.2f}")
        console.print(table)
        console.print(f"{len(terms.terms)} accepted, {len(terms.rejected)} rejected")

    @lex_app.command("rematch")
    @handle_errors
    def rematch_command(ctx: typer.Context) -> None:
        """Match every stored post again with the study lexicon (after accepting terms)."""
        from wildsift.sift.match import LexiconStage, matches_frame

        study = open_study(ctx)
        try:
            stage = LexiconStage(Lexicon.for_study(study))
            posts = hits = 0
            for batch in study.store.iter_posts(("pk", "text"), batch_size=5000):
                batch["text"] = batch["text"].fillna("")
                scored = stage(batch)
                study.store.replace_matches(matches_frame(scored), pks=scored["pk"])
                posts += len(scored)
                hits += int((scored["lexicon_hits"] > 0).sum())
        finally:
            study.close()
        console.print(f"re-matched {posts} posts with {stage.version}: {hits} with a match")


def _taxon_key(lexicon: Lexicon, name: str) -> str:
    if name in lexicon.taxa:
        return name
    found = lexicon.find_taxa(name)
    if not found:
        raise ConfigError(f"--taxon {name!r} is not in the lexicon; use a group "
                          f"({', '.join(lexicon.groups)}) or a species key")
    groups = [t for t in found if t.is_group]
    return (groups or found)[0].key
