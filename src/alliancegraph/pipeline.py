"""The main job: read articles, extract their facts, resolve entities and store them.

`run` composes the stages explicitly and returns a `RunReport`. A bad input is recorded and
skipped; each article is written in its own transaction, so a crash never leaves half an article
and a re-run completes what is missing without duplicating anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from alliancegraph.config import Settings
from alliancegraph.errors import AllianceGraphError
from alliancegraph.extract.extractor import Extractor
from alliancegraph.ingest import iter_articles
from alliancegraph.model import Article, Fact, RunReport, SkippedInput
from alliancegraph.resolve.entities import Resolver, resolve_facts
from alliancegraph.resolve.knowledge import load_knowledge
from alliancegraph.store import Store
from alliancegraph.store.repository import text_hash

Progress = Callable[[int], None]


def _batches(items: Iterable[Article | SkippedInput], size: int) -> Iterator[list[Article | SkippedInput]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def extract_facts(
    paths: Iterable[Path | str], extractor: Extractor | None = None, skipped: list[SkippedInput] | None = None
) -> Iterator[tuple[Article, list[Fact]]]:
    """The facts of each readable article, without a store; unreadable inputs go to `skipped`."""
    extractor = extractor or Extractor()
    articles = []
    for item in iter_articles(paths):
        if isinstance(item, SkippedInput):
            if skipped is not None:
                skipped.append(item)
        else:
            articles.append(item)
    yield from extractor.extract_many(articles)


def run(paths: Iterable[Path | str], settings: Settings, progress: Progress | None = None) -> RunReport:
    """Ingest files and directories into the store named by `settings.db`."""
    started = time.perf_counter()
    report = RunReport()
    extractor = Extractor()
    resolver = Resolver(load_knowledge())
    with Store.open(settings.db) as store:
        # Known entities go in first, so profiles show parents and Wikidata ids no article gives.
        store.write_knowledge(resolver.knowledge.entities.values())
        before = store.counts()
        articles = iter_articles(
            paths,
            max_bytes=settings.max_file_bytes,
            max_chars=settings.max_article_chars,
            max_tags=settings.max_html_tags,
        )
        for batch in _batches(articles, settings.batch_size):
            fresh: list[Article] = []
            for item in batch:
                if isinstance(item, SkippedInput):
                    report.skipped.append(item)
                elif store.has_document(item.id, text_hash(item.text)):
                    report.unchanged += 1
                else:
                    fresh.append(item)
            for article, facts in _extract_each(extractor, fresh, report, settings):
                try:
                    if store.write_article(article, resolve_facts(facts, resolver)):
                        report.documents += 1
                except AllianceGraphError as e:
                    if settings.on_error == "raise":
                        raise
                    report.skipped.append(SkippedInput(article.source or article.id, str(e)))
            if progress is not None:
                progress(len(batch))
        after = store.counts()
    report.facts = after.get("facts", 0) - before.get("facts", 0)
    report.entities = after.get("entities", 0) - before.get("entities", 0)
    report.seconds = time.perf_counter() - started
    return report


def _extract_each(
    extractor: Extractor, articles: list[Article], report: RunReport, settings: Settings
) -> Iterator[tuple[Article, list[Fact]]]:
    """Extract a batch at once; if the batch fails, retry article by article so one bad text costs only itself."""
    try:
        yield from list(extractor.extract_many(articles, batch_size=settings.batch_size))
        return
    except Exception:  # noqa: BLE001 - the one article that breaks the parser is found below
        if settings.on_error == "raise":
            raise
    for article in articles:
        try:
            yield article, extractor.extract(article)
        except Exception as e:  # noqa: BLE001
            report.skipped.append(SkippedInput(article.source or article.id, f"extraction failed: {e}"))
