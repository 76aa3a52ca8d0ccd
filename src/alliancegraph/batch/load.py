"""`alliancegraph load`: the Parquet output of `spark-extract` into the store.

The rows are read with pyarrow (no Spark needed) in the order of their ``input`` and ``record`` columns,
which is the order a local ingest reads the same files, and written through the resolve and store
code of the local pipeline: known entities first, then the articles with their resolved facts, in
batches of `batch_size` rows written in one transaction each, as `ingest` writes them. An article
already stored with the same text is left alone, so loading twice changes nothing; a row that records
a skipped input goes to the report.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from alliancegraph.batch import require
from alliancegraph.batch.inputs import filesystem, is_uri
from alliancegraph.batch.rows import COLUMNS, read_row
from alliancegraph.config import Settings
from alliancegraph.errors import AllianceGraphError
from alliancegraph.extract.workers import Outcome
from alliancegraph.model import Article, Fact, RunReport, SkippedInput
from alliancegraph.pipeline import batches, store_batch, unstored
from alliancegraph.resolve.entities import Resolver
from alliancegraph.resolve.knowledge import load_knowledge
from alliancegraph.store import Store

Extracted = tuple[Article, list[Fact]] | SkippedInput
_KEYS = ["input", "record"]


class NotExtractOutput(AllianceGraphError):
    """The path given to `load` is not Parquet written by `spark-extract`."""

    def __init__(self, path: str, reason: str):
        super().__init__(
            f"Cannot load {path}: {reason}. Give the OUTPUT directory of `alliancegraph spark-extract`."
        )
        self.path = path
        self.reason = reason


def load(output: str, settings: Settings) -> RunReport:
    """Store the articles and facts of a `spark-extract` output in the store named by `settings.db`."""
    started = time.perf_counter()
    report = RunReport()
    store_extracted(read_extracted(output), settings, report)
    report.seconds = time.perf_counter() - started
    return report


def store_extracted(items: Iterable[Extracted], settings: Settings, report: RunReport) -> None:
    """Resolve and store extracted articles as `pipeline.run` does, counting into `report`: in batches
    of `settings.batch_size` items, each written in one transaction."""
    resolver = Resolver(load_knowledge())
    raise_errors = settings.on_error == "raise"
    with Store.open(settings.db) as store:
        store.write_knowledge(resolver.knowledge.entities.values())
        before = store.counts()
        for batch in batches(items, settings.batch_size):
            fresh = unstored(store, batch, lambda pair: pair[0], report)
            outcomes: list[Outcome] = [facts for _, facts in fresh]
            store_batch(store, resolver, [article for article, _ in fresh], outcomes, report, raise_errors)
        after = store.counts()
    report.facts = after.get("facts", 0) - before.get("facts", 0)
    report.entities = after.get("entities", 0) - before.get("entities", 0)


def read_extracted(output: str) -> Iterator[Extracted]:
    """The rows of `output` (a directory of part files, or one file) as articles with their facts, in
    input order. Each part file is streamed; one whose rows are out of order is sorted in memory."""
    dataset = _dataset(output)
    keyed = []
    for fragment in dataset.get_fragments():
        keys = fragment.to_table(columns=_KEYS)
        pairs = list(zip(keys["input"].to_pylist(), keys["record"].to_pylist(), strict=True))
        if pairs:
            keyed.append((min(pairs), pairs == sorted(pairs), fragment))
    keyed.sort(key=lambda k: k[0])
    for _, in_order, fragment in keyed:
        if in_order:
            chunks = fragment.to_batches(columns=list(COLUMNS), batch_size=256)
        else:
            table = fragment.to_table(columns=list(COLUMNS))
            chunks = table.sort_by([(k, "ascending") for k in _KEYS]).to_batches(max_chunksize=256)
        for batch in chunks:
            for row in batch.to_pylist():
                yield read_row(row)


def _dataset(output: str) -> Any:
    ds = require("pyarrow.dataset", "alliancegraph load")
    try:
        if is_uri(output):
            fs, path = filesystem(output)
            dataset = ds.dataset(path, filesystem=fs, format="parquet")
        else:
            dataset = ds.dataset(output, format="parquet")
    except FileNotFoundError as e:
        raise NotExtractOutput(output, "no such file or directory") from e
    except Exception as e:  # noqa: BLE001 - pyarrow raises ArrowInvalid and others on files that are not Parquet
        raise NotExtractOutput(output, f"not readable as Parquet ({type(e).__name__}: {e})") from e
    missing = [c for c in COLUMNS if c not in dataset.schema.names]
    if missing:
        raise NotExtractOutput(output, f"it lacks the columns {', '.join(missing)}")
    return dataset
