"""`assess serve`: run the app in a web browser (see `assess.serve`)."""

from __future__ import annotations

import click

from assess.cli.context import RunContext, pass_context
from assess.serve import DEFAULT_HOST, DEFAULT_PORT


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="The address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int, help="The port.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on an address other machines can reach (the app has no log-in).",
)
@pass_context
def serve(run: RunContext, host: str, port: int, allow_remote: bool) -> None:
    """Open the app in a web browser: one app per browser tab, on the same store."""
    from assess.serve import serve as start

    with run.using_store(create=True) as store:
        root = store.root
    start(root, host, port, allow_remote=allow_remote)
