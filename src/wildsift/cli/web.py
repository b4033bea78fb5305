"""wildsift web [serve|verify-log]: the web app for labelling and review."""

from __future__ import annotations

from typing import Annotated

import typer

from wildsift.cli.common import console, fail, handle_errors, open_study

# the options of 'wildsift web' and 'wildsift web serve' (one command and its alias)
Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port.")]
Https = Annotated[bool, typer.Option(help="Served behind TLS: Secure cookies and HSTS.")]


def register(app: typer.Typer) -> None:
    web_app = typer.Typer(help="The web app: label, review, adjudicate (serve by default).")
    app.add_typer(web_app, name="web")

    def _serve(ctx: typer.Context, host: str, port: int, https: bool) -> None:
        import uvicorn

        from wildsift.web.app import create_app

        study = open_study(ctx)
        console.print("building the labelling queue ...")
        application = create_app(study, https=https)
        order = application.state.ctx.queue.order
        console.print(f"{len(order.pks)} posts queued in {order.built_in:.1f} s; serving "
                      f"{study.settings.study.name} on http://{host}:{port}/ (Ctrl-C stops)")
        if host not in ("127.0.0.1", "localhost", "::1") and not https:
            console.print("[yellow]warning:[/] serving beyond this machine without --https: "
                          "put it behind a TLS proxy and pass --https (Secure cookies)")
        uvicorn.run(application, host=host, port=port, log_level="warning",
                    proxy_headers=False)

    @web_app.callback(invoke_without_command=True)
    @handle_errors
    def web(ctx: typer.Context, host: Host = "127.0.0.1", port: Port = 8000,
            https: Https = False) -> None:
        """Serve the study's web app (127.0.0.1:8000 by default)."""
        if ctx.invoked_subcommand is None:
            _serve(ctx, host, port, https)

    @web_app.command("serve")
    @handle_errors
    def serve(ctx: typer.Context, host: Host = "127.0.0.1", port: Port = 8000,
              https: Https = False) -> None:
        """Serve the study's web app (what 'wildsift web' alone does)."""
        _serve(ctx, host, port, https)

    @web_app.command("verify-log")
    @handle_errors
    def verify_log(ctx: typer.Context) -> None:
        """Check the hash chain of the label log: exit 1 naming the first row that was changed."""
        from wildsift.store.label_log import last_hash, verify

        study = open_study(ctx)
        checked, broken = verify(study.store.engine)
        if broken is not None:
            fail(f"label log broken at row {broken.seq}: {broken.reason} "
                 f"({checked} rows before it are intact)")
        console.print(f"label log intact: {checked} rows; last hash {last_hash(study.store.engine)}")
