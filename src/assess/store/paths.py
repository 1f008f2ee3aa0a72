"""Which folder is the store: `--db` if given, else `ASSESS_DB`, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "ASSESS_DB"


def default_store_path() -> Path:
    """The store in the user's data folder (e.g. ~/.local/share/assess/store)."""
    from platformdirs import user_data_path

    return user_data_path("assess", appauthor=False) / "store"


def resolve_store_path(option: str | os.PathLike[str] | None) -> Path:
    """`--db` if given, else `ASSESS_DB`, else the default store."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return default_store_path()
