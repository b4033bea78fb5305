"""wildsift users add|list: accounts of the web app (no name is stored, only a keyed hash)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from wildsift.cli.common import console, handle_errors, open_study


def register(app: typer.Typer) -> None:
    users_app = typer.Typer(help="Accounts of the web app: add and list.", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("add")
    @handle_errors
    def users_add(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="The user's sign-in name.")],
        role: Annotated[str, typer.Option(
            help="admin, researcher, annotator or volunteer.")] = "annotator",
        languages: Annotated[str, typer.Option(
            help="Languages they read, comma-separated (e.g. en,vi); empty = all.")] = "",
    ) -> None:
        """Make an account and print its one-time password (changed at first sign-in)."""
        from wildsift.web.context import WebContext
        from wildsift.web.routes_account import create_user

        study = open_study(ctx)
        context = WebContext(study)
        name, password = create_user(context, name, role, languages)
        console.print(f"user {escape(name)} ({role}) added; one-time password: {password}")
        console.print("It is shown only now; they choose their own at first sign-in.")

    @users_app.command("list")
    @handle_errors
    def users_list(ctx: typer.Context) -> None:
        """List accounts: pseudonym, role, languages, state (names are not stored)."""
        from wildsift.store.users import Users

        study = open_study(ctx)
        for person in Users(study.store.engine).all():
            state = "disabled" if person.disabled else (
                "one-time password" if person.must_change else "active")
            console.print(f"{person.id}\t{person.annotator}\t{person.role}\t"
                          f"{','.join(person.languages) or 'all'}\t{state}")
