"""Batch extraction on Apache Spark, and loading its output into the store.

`alliancegraph spark-extract` (`batch.job`) maps the extract stage over input files on a Spark cluster:
the driver lists the files (`batch.inputs`), each task reads its files with the ingest code
(`batch.readers`), builds one `Extractor` for its partition and emits one row per article or bad record
(`batch.rows`), and the rows are written as Parquet. `alliancegraph load` (`batch.load`) reads that
Parquet with pyarrow alone and writes it through the same resolve and store code as a local ingest.

pyspark, pyarrow and warcio come with the optional extra ``spark``; `require` names it when missing.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from alliancegraph.errors import AllianceGraphError

EXTRA_HINT = "pip install 'alliancegraph[spark]'"


class MissingExtra(AllianceGraphError):
    """A module of the optional extra ``spark`` is not installed."""

    def __init__(self, module: str, purpose: str):
        super().__init__(
            f"{purpose} needs the Python package {module!r}, which is not installed. Run: {EXTRA_HINT}"
        )
        self.module = module


def require(module: str, purpose: str) -> ModuleType:
    """Import `module`, or raise `MissingExtra` saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise MissingExtra(module.split(".")[0], purpose) from e


__all__ = ["EXTRA_HINT", "MissingExtra", "require"]
