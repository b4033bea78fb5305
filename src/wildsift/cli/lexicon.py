"""wildsift lexicon suggest|accept|reject|list|rematch|add-taxon|refresh: the study's lexicon.

Discovery only suggests; a person accepts. Code words change, and every wrong term costs
analysts time on false positives, so nothing enters the study's lexicon unreviewed.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from wildsift.cli.common import console, handle_errors, open_study
from wildsift.cli.lexicon_refresh import register_refresh
from wildsift.errors import ConfigError
from wildsift.lexicon.normalize import normalize
from wildsift.lexicon.taxon import CITES_APPENDICES, IUCN_CATEGORIES
from wildsift.privacy.pseudonym import Pseudonymizer

if TYPE_CHECKING:  # each loads pydantic and YAML, suggest loads scikit-learn: in the commands
    from wildsift.lexicon import Lexicon
    from wildsift.lexicon.study_terms import StudyTaxon
    from wildsift.lexicon.suggest import Candidate

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
        from wildsift.lexicon import Lexicon
        from wildsift.lexicon.corpus import suggest_for_study

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
        from wildsift.lexicon import Lexicon
        from wildsift.lexicon.corpus import load_corpus, term_evidence
        from wildsift.lexicon.study_terms import (
            StudyTerm,
            now_iso,
            read_study_terms,
            study_lexicon_path,
            write_study_terms,
        )
        from wildsift.lexicon.suggest import guess_language

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
        from wildsift.lexicon.study_terms import (
            RejectedTerm,
            now_iso,
            read_study_terms,
            study_lexicon_path,
            write_study_terms,
        )

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
        from wildsift.lexicon.study_terms import read_study_terms, study_lexicon_path

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
        for taxon in terms.taxa:
            console.print(f"study taxon {taxon.key} ({taxon.scientific_name}): IUCN {taxon.iucn}, "
                          f"CITES {taxon.cites or 'none'}, added by {taxon.added_by}",
                          markup=False)

    @lex_app.command("add-taxon")
    @handle_errors
    def add_taxon_command(
        ctx: typer.Context,
        scientific_name: Annotated[str, typer.Argument(help="e.g. 'Pardofelis marmorata'.")],
        common: Annotated[list[str] | None, typer.Option(
            help="A common name as LANG=NAME (repeat: --common en='marbled cat' "
                 "--common vi='mèo gấm').")] = None,
        product: Annotated[list[str] | None, typer.Option(
            help="A traded product: NAME (terms made from the English names, e.g. 'marbled cat "
                 "skin'), or NAME:LANG=TERM for a term of your own (repeat).")] = None,
        cites: Annotated[str, typer.Option(help="CITES appendix: I, II, III or none.")] = "none",
        iucn: Annotated[str, typer.Option(help=f"IUCN category ({', '.join(IUCN_CATEGORIES)}).")]
        = "NE",
        range_: Annotated[str, typer.Option(
            "--range", help="Native range, ISO alpha-2 codes: VN,LA,KH.")] = "",
        group: Annotated[str | None, typer.Option(
            help="Join an existing group (e.g. pangolin); default: its own group.")] = None,
        rank: Annotated[str, typer.Option(help="species, genus, family...")] = "species",
        note: Annotated[str, typer.Option(help="Where the facts come from.")] = "",
        by: Annotated[str | None, typer.Option(help=_BY_HELP)] = None,
    ) -> None:
        """Add a taxon the packaged lexicon lacks to the study's lexicon, with what you know."""
        from wildsift.lexicon import Lexicon
        from wildsift.lexicon.study_terms import (
            now_iso,
            read_study_terms,
            study_lexicon_path,
            write_study_terms,
        )

        study = open_study(ctx)
        try:
            lexicon = Lexicon.for_study(study)
            found = lexicon.find_taxa(scientific_name)
            if found:
                raise ConfigError(f"'{scientific_name}' is already in the lexicon as "
                                  f"'{found[0].key}'; add names with 'wildsift lexicon accept "
                                  f"NAME --taxon {found[0].key} --kind name'")
            if group is not None and group not in lexicon.groups:
                raise ConfigError(f"--group {group!r} is not a group of the lexicon; leave it "
                                  "out to make the taxon its own group")
            taxon = _study_taxon(scientific_name, common or [], product or [], cites, iucn,
                                 range_, group, rank, note)
            taxon.added_by, taxon.added_at = _pseudonym(study, by), now_iso()
            path = study_lexicon_path(study)
            terms = read_study_terms(path)
            terms.taxa.append(taxon)
            write_study_terms(path, terms)
            Lexicon.for_study(study)  # fails here, naming the file, if the entry does not fit
        finally:
            study.close()
        names = sum(len(v) for v in taxon.names.values())
        console.print(f"added {scientific_name} as '{taxon.key}' ({names} names, "
                      f"{len(taxon.products)} products) to {path}. New posts are matched with "
                      "it; 'wildsift lexicon rematch' re-matches stored posts.", markup=False)

    @lex_app.command("rematch")
    @handle_errors
    def rematch_command(ctx: typer.Context) -> None:
        """Match every stored post again with the study lexicon (after accepting terms)."""
        from wildsift.lexicon import Lexicon
        from wildsift.sift.stages.lexicon_match import LexiconStage

        study = open_study(ctx)
        try:
            stage = LexiconStage(Lexicon.for_study(study))
            posts = hits = 0
            for batch in study.store.posts.iter(("pk", "text"), batch_size=5000):
                batch["text"] = batch["text"].fillna("")
                scored = stage(batch)
                study.store.matches.replace_found(scored["pk"].tolist(),
                                                 scored["lexicon_matches"].tolist())
                posts += len(scored)
                hits += int((scored["lexicon_hits"] > 0).sum())
        finally:
            study.close()
        console.print(f"re-matched {posts} posts with {stage.version}: {hits} with a match")

    register_refresh(lex_app)


def _taxon_key(lexicon: Lexicon, name: str) -> str:
    if name in lexicon.taxa:
        return name
    found = lexicon.find_taxa(name)
    if not found:
        raise ConfigError(f"--taxon {name!r} is not in the lexicon; use a group "
                          f"({', '.join(lexicon.groups)}) or a species key")
    groups = [t for t in found if t.is_group]
    return (groups or found)[0].key


def _study_taxon(scientific_name: str, common: list[str], products: list[str], cites: str,
                 iucn: str, range_: str, group: str | None, rank: str, note: str) -> StudyTaxon:
    """Parse the add-taxon options into a study taxon, naming the option at fault."""
    from wildsift.lexicon.study_terms import StudyTaxon

    key = re.sub(r"[^a-z0-9]+", "_", normalize(scientific_name)).strip("_")
    if not key or len(scientific_name.split()) > 4:
        raise ConfigError(f"{scientific_name!r} is not a scientific name (e.g. 'Pardofelis "
                          "marmorata')")
    names: dict[str, list[str]] = {}
    for item in common:
        lang, sep, name = item.partition("=")
        if not sep or not lang.strip() or not name.strip():
            raise ConfigError(f"--common {item!r}: write LANG=NAME, e.g. en='marbled cat'")
        names.setdefault(lang.strip(), []).append(name.strip())
    by_product: dict[str, dict[str, list[str]]] = {}
    for item in products:
        head, sep, term = item.partition("=")
        name, _, lang = head.partition(":")
        name = name.strip()
        if not name:
            raise ConfigError(f"--product {item!r}: write NAME or NAME:LANG=TERM (skin:vi=da mèo)")
        if sep:
            by_product.setdefault(name, {}).setdefault(lang.strip() or "en", []).append(
                term.strip())
        elif names.get("en"):
            by_product.setdefault(name, {}).setdefault("en", []).extend(
                f"{n} {name}" for n in names["en"])
        else:
            raise ConfigError(f"--product {name!r} needs an English name to build terms from "
                              f"(--common en=...), or give terms: --product '{name}:vi=...'")
    appendix = "" if cites.strip().lower() in ("", "none", "-") else cites.strip().upper()
    if appendix not in CITES_APPENDICES:
        raise ConfigError(f"--cites {cites!r}: use I, II, III or none")
    if iucn.upper() not in IUCN_CATEGORIES:
        raise ConfigError(f"--iucn {iucn!r}: use one of {', '.join(IUCN_CATEGORIES)}")
    codes = [c.strip().upper() for c in range_.split(",") if c.strip()]
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        raise ConfigError(f"--range: {bad} are not ISO 3166 alpha-2 codes (e.g. VN,LA,KH)")
    return StudyTaxon(key=key, scientific_name=scientific_name.strip(), group=group, rank=rank,
                      iucn=iucn.upper(), cites=appendix, native_range=codes, names=names,
                      products=by_product, note=note)
