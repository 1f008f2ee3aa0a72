"""The `assess` command (and `python -m assess`): straight into the app when it is alone.

`assess` on its own opens the app, and the officer waits for it to appear.
The command line's parser (click, `assess.cli`) would add about 10 ms to
that wait and nothing else, so with no arguments at all this opens the store
(ASSESS_DB, else the default folder, as `resolve_store_path` decides for
every command) and starts the app directly. Any argument (`--db`, `--help`,
a subcommand) goes through `assess.cli` as before, and a failure is reported
by the same code as every command's (`cli.failure_status`), imported only
when something fails.

Start-up makes only objects that last (modules, classes, styles, widgets,
the list of assessments), so the cyclic garbage collector has nothing to
free then, yet it would run about a hundred times (some 18 ms, more with a
large store). It is paused from here until the home screen is first
painted, when the app freezes what start-up made and resumes it
(`AssessApp.warm_up`).
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Entry point of the `assess` command."""
    if sys.argv[1:]:
        from assess.cli import main as cli_main

        cli_main()
    else:
        sys.exit(open_app())


def open_app() -> int:
    """Run the app on the officer's store until they quit; the exit status."""
    gc.disable()
    try:
        from assess.store import Store, resolve_store_path
        from assess.tui.app import run_on

        run_on(Store.open(resolve_store_path(None)), resume_gc=True)
    except (Exception, KeyboardInterrupt) as exc:
        from assess.cli import failure_status

        return failure_status(exc)
    return 0


if __name__ == "__main__":
    main()
