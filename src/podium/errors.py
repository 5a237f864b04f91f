"""Errors a user can act on. Their message is one sentence: what, where, what to do."""


class PodiumError(Exception):
    """Base class for podium's own errors."""


class InputError(PodiumError):
    """The input cannot be read as a transcript (missing, empty, binary, too large...)."""


class QueryError(InputError):
    """A search query or filter that cannot be run (malformed syntax, a bad date...)."""


class StoreError(PodiumError):
    """The corpus database cannot be opened or used (missing, read-only, newer schema...)."""
