"""The one exception of the importers."""

from __future__ import annotations


class IngestError(ValueError):
    """Input that cannot be read as forms at all; the message (Chinese) names file and place."""


class GridImportError(IngestError):
    """A file whose tables cannot be read; the message (Chinese) names file and place."""
