"""Assessment ids: eight lowercase hexadecimal characters, and the prefixes officers type.

An id names the assessment's file, so an id from outside (typed, or read
from a file or a bundle) is checked here before it is ever made into a path.
"""

from __future__ import annotations

import os
import re

from assess.store.errors import UnknownAssessment

ID_PATTERN = re.compile(r"[0-9a-f]{8}")
ID_PREFIX = re.compile(r"[0-9a-f]{1,8}")


def not_an_id(text: object) -> UnknownAssessment:
    return UnknownAssessment(
        f"{text!r} is not an assessment id; ids are 8 letters and digits such as "
        "3f9c0a12 (assess list shows them)"
    )


def check_id(assessment_id: object) -> str:
    """A full id, exactly as stored (the app passes ids it got from the store)."""
    if not isinstance(assessment_id, str) or not ID_PATTERN.fullmatch(assessment_id):
        raise not_an_id(assessment_id)
    return assessment_id


def typed_prefix(text: object) -> str:
    """An id or the start of one as an officer typed it, tidied (spaces, capitals)."""
    tidy = str(text).strip().lower()
    if not ID_PREFIX.fullmatch(tidy):
        raise not_an_id(text)
    return tidy


def random_id() -> str:
    # os.urandom(4).hex() is secrets.token_hex(4), without importing secrets
    # (2 ms of the app's start-up).
    return os.urandom(4).hex()
