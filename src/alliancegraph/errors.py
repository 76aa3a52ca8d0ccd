"""Errors of AllianceGraph: one base class, specific subclasses that carry the offending values.

Every message says what went wrong with which input and what to do next. The CLI prints the message
on one line and exits with code 1; the batch runner records it and skips the input.
"""

from __future__ import annotations


class AllianceGraphError(Exception):
    """Base class of every error AllianceGraph raises on purpose."""


class ArticleParseError(AllianceGraphError):
    """An input file or record cannot be read as an article."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"Cannot read {source}: {reason}. Fix or remove this input; the rest of the batch goes on.")
        self.source = source
        self.reason = reason


class UnsupportedFormat(ArticleParseError):
    """The input's format is not one AllianceGraph reads."""


class KnowledgeFileError(AllianceGraphError):
    """The curated knowledge file is malformed."""

    def __init__(self, source: str, line: int, reason: str):
        super().__init__(f"Knowledge file {source}, line {line}: {reason}. Correct that entry and re-run.")
        self.source = source
        self.line = line
        self.reason = reason


class StoreError(AllianceGraphError):
    """The store cannot be opened or written."""


class EntityNotFound(AllianceGraphError):
    """No entity in the store has the name or alias asked for."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()):
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else " Try `alliancegraph facts` to list what is stored."
        super().__init__(f"No entity named {name!r} in the store.{hint}")
        self.name = name
        self.suggestions = suggestions


class InvalidQuery(AllianceGraphError):
    """A query parameter is malformed (a date that is not a date, an unknown relation...)."""
