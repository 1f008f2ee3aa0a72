"""Whether the optional libraries the dataset commands need (pyarrow, DuckDB) are installed.

They are large, and an officer who only fills in assessments never needs
them, so they come with the `data` extra. The dataset commands call
`require_libraries` before anything else, so that without them the officer
reads one line naming the install command rather than a traceback.
"""

from __future__ import annotations

import importlib

from assess.domain.errors import BadInput

INSTALL = "pip install 'assess[data]'"
LIBRARIES = {"pyarrow": "pyarrow", "duckdb": "DuckDB"}


class MissingLibraries(BadInput):
    """pyarrow or DuckDB is not installed."""


def require_libraries(*modules: str) -> None:
    """Import each of `modules` (default: all of them), or say how to install them."""
    missing = []
    for module in modules or tuple(LIBRARIES):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(LIBRARIES.get(module, module))
    if missing:
        names = " and ".join(missing)
        one = len(missing) == 1
        raise MissingLibraries(
            f"datasets and peer benchmarks need {names}, which {'is' if one else 'are'} not "
            f"installed; install {'it' if one else 'them'} with: {INSTALL}"
        )
