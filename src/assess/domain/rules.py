"""Which version of the scoring rules the app applies.

A module of its own, with nothing in it but the number, so that listing a
store can tell a summary stored under earlier rules (and rebuild it) without
loading the scoring itself.
"""

from __future__ import annotations

RULES_VERSION = 2
