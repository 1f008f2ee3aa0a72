"""`assess serve`: the same app in a web browser, through textual-serve, on this machine.

Each visitor's browser tab gets its own app process (textual-serve starts one
per connection), running exactly the app the terminal runs on the same store:
the same lock, the same saving of each answer as it is given, the same saving
of typed text when the tab is closed (the process is asked to stop, which the
app handles as it does a closed terminal).

The app has no log-in, so it listens on the loopback address (127.0.0.1)
unless told otherwise; listening anywhere else needs `--allow-remote`, and a
warning says that anyone who can reach the port can read and change every
assessment in the store.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path

from assess.domain.errors import BadInput
from assess.domain.visible import visible

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, localhost and the rest of the loopback range."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, *, allow_remote: bool) -> str | None:
    """Refuse a host other than loopback unless allowed; the warning to give when allowed."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise BadInput(
            f"{host!r} is not this machine's loopback address: the app has no log-in, so "
            "anyone who can reach the port could read and change every assessment. Serve on "
            "127.0.0.1 (the default) and put an authenticating proxy in front of it, or give "
            "--allow-remote if that is what you mean"
        )
    return (
        f"warning: serving on {host}, which other machines may reach. The app has no log-in: "
        "anyone who can reach this port can read and change every assessment in the store. "
        "Put it behind a proxy that signs officers in (and uses HTTPS)."
    )


def app_command(store: Path) -> str:
    """The command each visitor's app process runs: this Python, this package, this store."""
    return f"{shlex.quote(sys.executable)} -m assess --db {shlex.quote(str(store))}"


def serve(store: Path, host: str, port: int, *, allow_remote: bool = False) -> None:
    """Serve the app until Ctrl+C (or SIGTERM)."""
    warning = check_host(host, allow_remote=allow_remote)
    if not 1 <= port <= 65535:
        raise BadInput(f"{port} is not a port number (1 to 65535)")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise BadInput(
            "the browser mode needs textual-serve: pip install 'assess[serve]'"
        ) from None
    if warning:
        print(f"assess: {visible(warning, one_line=True)}", file=sys.stderr)
    shown = visible(f"[{host}]" if ":" in host else host, one_line=True)
    print(f"assess: the app is at http://{shown}:{port}  (Ctrl+C stops it)", file=sys.stderr)
    Server(app_command(store), host=host, port=port, title="Assess").serve()
