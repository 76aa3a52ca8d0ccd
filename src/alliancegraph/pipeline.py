"""The main job: read articles, extract their facts, resolve entities and store them.

`run` composes the stages explicitly and returns a `RunReport`. A bad input is recorded and
skipped. The articles of one extraction batch are written in one transaction (`Store.write_articles`),
so a crash never leaves half an article: a killed ingest loses at most the batch it was writing, and a
re-run, which skips every article stored with the same text, completes what is missing without
duplicating anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from alliancegraph.config import Settings, load_settings
from alliancegraph.errors import AllianceGraphError
from alliancegraph.extract.workers import ExtractionPool, Outcome, extract_batch
from alliancegraph.ingest import iter_articles
from alliancegraph.model import Article, Fact, ResolvedFact, RunReport, SkippedInput
from alliancegraph.resolve.entities import Resolver, resolve_facts
from alliancegraph.resolve.knowledge import load_knowledge
from alliancegraph.store import Store
from alliancegraph.store.repository import text_hash

if TYPE_CHECKING:  # spaCy is loaded by whichever process extracts, not on import
    from alliancegraph.extract.extractor import Extractor

Progress = Callable[[int], None]
T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def extract_facts(
    paths: Iterable[Path | str],
    extractor: Extractor | None = None,
    skipped: list[SkippedInput] | None = None,
    settings: Settings | None = None,
) -> Iterator[tuple[Article, list[Fact]]]:
    """The facts of each readable article, without a store; unreadable inputs go to `skipped`.

    Articles are read and extracted in batches (`settings.batch_size`, on `settings.workers`
    processes unless an `extractor` is given), so memory does not grow with the input. An article
    whose extraction fails is reported in `skipped` (or raises with ``on_error="raise"``).
    """
    settings = settings or load_settings()
    articles = iter_articles(
        paths,
        max_bytes=settings.max_file_bytes,
        max_chars=settings.max_article_chars,
        max_tags=settings.max_html_tags,
    )

    def readable() -> Iterator[tuple[None, list[Article]]]:
        for batch in batches(articles, settings.batch_size):
            yield None, _read(batch, skipped)

    raise_errors = settings.on_error == "raise"
    if extractor is not None:
        extracted = ((None, batch, extract_batch(extractor, batch, raise_errors)) for _, batch in readable())
        yield from _facts(extracted, skipped)
        return
    with ExtractionPool(settings.workers, settings.triage, raise_errors) as pool:
        yield from _facts(pool.map(readable()), skipped)


def _facts(
    extracted: Iterable[tuple[object, list[Article], list[Outcome]]], skipped: list[SkippedInput] | None
) -> Iterator[tuple[Article, list[Fact]]]:
    for _, batch, outcomes in extracted:
        for article, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, str):
                if skipped is not None:
                    skipped.append(SkippedInput(article.source or article.id, outcome))
            else:
                yield article, outcome


def _read(batch: list[T | SkippedInput], skipped: list[SkippedInput] | None) -> list[T]:
    """The items of a batch that could be read, in order; the inputs skipped go to `skipped`."""
    items: list[T] = []
    for item in batch:
        if isinstance(item, SkippedInput):
            if skipped is not None:
                skipped.append(item)
        else:
            items.append(item)
    return items


def unstored(
    store: Store, batch: list[T | SkippedInput], article: Callable[[T], Article], report: RunReport
) -> list[T]:
    """The items of a batch read from the input that are still to be stored, in order: skipped inputs
    go to `report`, and items whose `article` is stored with the same text count as unchanged (one
    query for the batch)."""
    items = _read(batch, report.skipped)
    stored = store.has_documents([(a.id, text_hash(a.text)) for a in map(article, items)])
    report.unchanged += sum(stored)
    return [x for x, known in zip(items, stored, strict=True) if not known]


def store_batch(
    store: Store,
    resolver: Resolver,
    batch: list[Article],
    outcomes: list[Outcome],
    report: RunReport,
    raise_errors: bool,
) -> None:
    """Resolve the extracted articles of one batch and write them in one transaction; count each as
    stored, unchanged (the same text twice in one input) or skipped, in input order."""
    pairs: list[tuple[Article, list[ResolvedFact]]] = []
    failures: list[str | AllianceGraphError | None] = []  # None: written, see the store's answer
    for article, outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, str):
            failures.append(outcome)
            continue
        try:
            pairs.append((article, resolve_facts(outcome, resolver)))
            failures.append(None)
        except AllianceGraphError as e:
            failures.append(e)
    written = iter(store.write_articles(pairs))
    first_error: AllianceGraphError | None = None
    for article, failure in zip(batch, failures, strict=True):
        result = next(written) if failure is None else failure
        if result is True:
            report.documents += 1
        elif result is False:
            report.unchanged += 1
        else:
            if isinstance(result, AllianceGraphError) and first_error is None:
                first_error = result
            report.skipped.append(SkippedInput(article.source or article.id, str(result)))
    if raise_errors and first_error is not None:
        raise first_error


def run(paths: Iterable[Path | str], settings: Settings, progress: Progress | None = None) -> RunReport:
    """Ingest files and directories into the store named by `settings.db`.

    Articles stream through in batches of `settings.batch_size`: read and checked against the
    store here (one query per batch), extracted on `settings.workers` processes (at most two batches
    per worker in flight), then resolved and written here in input order, one transaction per batch.
    An article the store refuses is skipped alone; with ``on_error="raise"`` the first error of a
    batch is raised once the rest of that batch is written.
    """
    started = time.perf_counter()
    report = RunReport()
    resolver = Resolver(load_knowledge())
    raise_errors = settings.on_error == "raise"
    with (
        ExtractionPool(settings.workers, settings.triage, raise_errors) as pool,
        Store.open(settings.db) as store,
    ):
        # Known entities go in first, so profiles show parents and Wikidata ids no article gives.
        store.write_knowledge(resolver.knowledge.entities.values())
        before = store.counts()
        articles = iter_articles(
            paths,
            max_bytes=settings.max_file_bytes,
            max_chars=settings.max_article_chars,
            max_tags=settings.max_html_tags,
        )

        def fresh_batches() -> Iterator[tuple[int, list[Article]]]:
            for batch in batches(articles, settings.batch_size):
                fresh = unstored(store, batch, lambda article: article, report)
                store.prepare_stories(fresh)  # while the workers start, this runs on a core otherwise idle
                yield len(batch), fresh

        for size, batch, outcomes in pool.map(fresh_batches()):
            store_batch(store, resolver, batch, outcomes, report, raise_errors)
            if progress is not None:
                progress(size)
        after = store.counts()
    report.facts = after.get("facts", 0) - before.get("facts", 0)
    report.entities = after.get("entities", 0) - before.get("entities", 0)
    report.seconds = time.perf_counter() - started
    return report
