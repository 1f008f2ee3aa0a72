"""The `assess` command line.

`assess` alone opens the TUI; the subcommands do the same work without it.
Subcommands live in `assess.cli.*` and are imported only when used, so
that `assess report` never pays for importing Textual.

Exit status: 0 success; 2 bad input (one clear line per problem on stderr,
nothing changed); 1 anything else. No traceback reaches the officer unless
ASSESS_DEBUG=1 is set.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from assess import __version__
from assess.cli.context import RunContext
from assess.domain.errors import BadInput
from assess.domain.visible import visible
from assess.store import ENV_DB

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1

# name -> "module:attribute"; imported on first use.
COMMANDS: dict[str, str] = {
    "new": "assess.cli.assessments:new",
    "answer": "assess.cli.assessments:answer",
    "list": "assess.cli.assessments:list_assessments",
    "report": "assess.cli.report:report",
    "compare": "assess.cli.compare:compare",
    "export": "assess.cli.bundles:export",
    "import": "assess.cli.bundles:import_bundle",
    "delete": "assess.cli.assessments:delete",
    "restore": "assess.cli.assessments:restore",
    "rename": "assess.cli.assessments:rename",
    "duplicate": "assess.cli.assessments:duplicate",
    "questions": "assess.cli.questions:questions",
    "plan": "assess.cli.plan:plan",
    "fill": "assess.cli.plain:fill",
    "serve": "assess.cli.serve:serve",
    "stage": "assess.cli.governance:stage",
    "confidence": "assess.cli.governance:confidence",
    "signoff": "assess.cli.governance:signoff",
    "reopen": "assess.cli.governance:reopen",
    "upgrade": "assess.cli.governance:upgrade",
    "dataset": "assess.cli.dataset:dataset",
    "peers": "assess.cli.peers:peers",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when they are used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db",
    metavar="PATH",
    envvar=ENV_DB,
    default=None,
    help=f"Use the store in this folder (also {ENV_DB}). "
    "Default: the store in your user data folder.",
)
@click.option(
    "--plain",
    is_flag=True,
    help="Without a command: ask the questions one line at a time, for screen readers.",
)
@click.version_option(__version__, prog_name="assess")
@click.pass_context
def cli(ctx: click.Context, db: str | None, plain: bool) -> None:
    """Assess how ready your authority is for a strategic service-delivery partnership.

    Run `assess` on its own to open the app; the commands below do the same
    work from the command line.
    """
    ctx.obj = RunContext(db_option=db)
    if ctx.invoked_subcommand is None and plain:
        from assess.cli.plain import run_plain

        run_plain(ctx.obj)
    elif ctx.invoked_subcommand is None:
        from assess.tui.app import run_on

        run_on(ctx.obj.store())


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and turns every failure into one clear message."""
    code = run_cli(argv)
    sys.exit(code)


def run_cli(argv: list[str] | None = None) -> int:
    try:
        code = cli.main(args=argv, prog_name="assess", standalone_mode=False)
    except (Exception, KeyboardInterrupt) as exc:
        return failure_status(exc)
    # --help and --version end through click's Exit, which main() returns as a code.
    return code if isinstance(code, int) else 0


def failure_status(exc: Exception | KeyboardInterrupt) -> int:
    """Report a failure as one clear message on stderr; the exit status.

    Shared with `assess.__main__`, which opens the app without going through click.
    """
    if isinstance(exc, UnicodeError) and "surrogate" in str(exc):
        # Lone surrogates only come from outside: bytes on the command line that
        # are not UTF-8, or a JSON escape such as "\ud800". Input, not a fault.
        _err(
            "assess: some text given (on the command line or in a file) holds bytes that "
            "are not UTF-8; nothing was changed. Type it again, or save the file as UTF-8"
        )
        return EXIT_BAD_INPUT
    if isinstance(exc, BadInput):
        for line in exc.lines():
            _err(line if line.startswith("  ") else f"assess: {line}")
        return EXIT_BAD_INPUT
    if isinstance(exc, click.exceptions.Abort):
        _err("assess: cancelled; nothing was changed")
        return EXIT_FAILURE
    if isinstance(exc, click.UsageError):
        hint = f" (try '{exc.ctx.command_path} --help')" if exc.ctx else ""
        _err(f"assess: {exc.format_message()}{hint}")
        return EXIT_BAD_INPUT
    if isinstance(exc, click.ClickException):
        _err(f"assess: {exc.format_message()}")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        _err("assess: interrupted")
        return 130
    if isinstance(exc, BrokenPipeError):
        return EXIT_FAILURE
    # The last line of defence: no traceback for officers.
    if os.environ.get("ASSESS_DEBUG"):
        raise exc
    _err(f"assess: unexpected error: {type(exc).__name__}: {exc}")
    _err("assess: nothing was changed by the failed step; set ASSESS_DEBUG=1 for details")
    return EXIT_FAILURE


def _err(line: str) -> None:
    # Every message may quote data (a key from a file, a name, a path): through
    # `visible`, so that none of it can ever act on the terminal.
    click.echo(visible(line, one_line=True), err=True)
