"""Errors a user can act on: each carries one sentence, shown as-is by the CLI and web app."""


class ClaimcheckError(Exception):
    """Base class: a user-facing problem, never a bug."""


class InputError(ClaimcheckError):
    """The article given cannot be read as text."""


class StoreError(ClaimcheckError):
    """The database cannot be opened, read or written."""


class ModelError(ClaimcheckError):
    """A configured model cannot be loaded."""


class ReviewError(ClaimcheckError):
    """A review action that is not allowed (unknown flag, bad status change)."""
