"""The assessment store: TinyDB files that never lose an answer, shared safely.

This is the store's front door: the rest of the app imports `Store`, its
errors and the few helpers it shares from here, never from the modules
inside. How the store works, and why, is explained in `assess.store.store`.
"""

from assess.store.errors import (
    CorruptStore,
    ImportConflict,
    InvalidBundle,
    SignedOff,
    StaleSave,
    StoreBusy,
    StoreError,
    UnknownAssessment,
    UnknownQuestion,
)
from assess.store.fileio import (
    BundleOut,
    atomic_write_bytes,
    atomic_write_text,
    streamed_output,
    write_output,
)
from assess.store.index import gc_paused
from assess.store.paths import ENV_DB, resolve_store_path
from assess.store.store import Store

__all__ = [
    "ENV_DB",
    "BundleOut",
    "CorruptStore",
    "ImportConflict",
    "InvalidBundle",
    "SignedOff",
    "StaleSave",
    "Store",
    "StoreBusy",
    "StoreError",
    "UnknownAssessment",
    "UnknownQuestion",
    "atomic_write_bytes",
    "atomic_write_text",
    "gc_paused",
    "resolve_store_path",
    "streamed_output",
    "write_output",
]
