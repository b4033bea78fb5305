"""docs/sources.md stays true: every ```toml example is a valid study file whose sources build
(options checked by each connector's own model) and plan calls, every source type has its
section with the same parts, and every import format is explained."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from wildsift.sources.files.detect import FORMATS
from wildsift.sources.registry import build_source
from wildsift.study import SOURCE_TYPES, Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "sources.md"
TEXT = DOC.read_text(encoding="utf-8")
PARTS = ("How to get access", "Cost", "Limits", "Research terms and deletion",
         "Example `[[sources]]`", "Notes")


def toml_blocks() -> list[tuple[int, str]]:
    """(line number, body) of every ```toml block."""
    return [(TEXT.count("\n", 0, m.start()) + 2, m.group(1))
            for m in re.finditer(r"^```toml\n(.*?)^```", TEXT, flags=re.DOTALL | re.MULTILINE)]


def section(heading: str) -> str:
    """The text under a ``## `` heading, up to the next one."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", TEXT, flags=re.DOTALL | re.MULTILINE)
    assert match, f"docs/sources.md has no '## {heading}' section"
    return match.group(1)


def platform_sections() -> dict[str, str]:
    """``type`` -> the text of its ``### ... — `type = "..."` `` section."""
    found = re.findall(r'^### [^\n]*`type = "(\w+)"`\n(.*?)(?=^### |^## |\Z)',
                       section("Platforms"), flags=re.DOTALL | re.MULTILINE)
    return dict(found)


class NoLexicon:
    """Plan with the example's own queries only (the lexicon is tested elsewhere)."""

    def expand(self, query, languages):
        return []


BLOCKS = toml_blocks()


def test_there_are_examples():
    assert len(BLOCKS) >= len(SOURCE_TYPES)


@pytest.mark.parametrize("line,body", BLOCKS, ids=[f"line{n}" for n, _ in BLOCKS])
def test_every_toml_example_is_valid_and_its_sources_build(line, body, tmp_path):
    where = f"docs/sources.md:{line}"
    try:
        data = tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        pytest.fail(f"{where}: not valid TOML: {exc}")
    settings = Settings.model_validate(data)  # a ValidationError names the field
    assert settings.sources, f"{where}: no [[sources]] entry"
    for entry in settings.sources:
        # dry_run: no credentials, no connection; each connector validates its options here
        source = build_source(entry, study_root=tmp_path, dry_run=True)
        try:
            terms = [t for q in entry.queries for t in source.terms(q, ["en"], NoLexicon())]
            assert terms, f"{where}: {entry.name} plans no search"
            call = source.describe(terms[0], None)
            assert call.request and call.quota > 0, f"{where}: {entry.name}: {call}"
        finally:
            source.close()


def test_every_source_type_has_an_example_and_a_complete_section():
    examples = {entry["type"] for _, body in BLOCKS
                for entry in tomllib.loads(body).get("sources", [])}
    assert examples == set(SOURCE_TYPES)
    sections = platform_sections()
    assert set(sections) == set(SOURCE_TYPES)
    for kind, text in sections.items():
        headings = re.findall(r"^#### (.+)$", text, flags=re.MULTILINE)
        assert headings == list(PARTS), f"{kind}: {headings}"
        assert re.search(rf'^type = "{kind}"$', text, flags=re.MULTILINE), f"{kind}: example elsewhere"


def test_overview_table_has_one_row_per_type():
    rows = [line for line in section("Platforms").splitlines()
            if line.startswith("|") and not line.startswith("|---")]
    header, body = rows[0], rows[1:]
    assert [c.strip() for c in header.strip("|").split("|")] == [
        "Platform", "What wildsift uses", "Auth", "Cost", "Key limits", "Deletion handling",
        "`type`"]
    types = [row.strip().strip("|").split("|")[-1].strip().strip("`") for row in body]
    assert sorted(types) == sorted(SOURCE_TYPES)
    anchors = set(re.findall(r"\]\(#([\w-]+)\)", "\n".join(body)))
    headings = re.findall(r"^### (.+)$", section("Platforms"), flags=re.MULTILINE)
    slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
    assert anchors <= slugs, anchors - slugs  # the links go to the sections (GitHub's slugs)


def test_every_import_format_is_explained():
    exports = section("Export files")
    missing = [name for name in FORMATS if f"`{name}`" not in exports]
    assert not missing, f"docs/sources.md, Export files, does not name: {missing}"


def test_comply_platforms_are_the_documented_ones():
    from wildsift.cli.comply import _PLATFORMS

    deletion = section("Deletion compliance")
    for platform in _PLATFORMS:
        assert f"`{platform}`" in deletion, platform
