"""Extraction on several processes: each worker builds its own `Extractor` and sends back facts.

Articles go to the workers in batches and facts come back in the order the batches were sent, so
the caller (the single writer of the store) sees the same sequence as with one process. At most
two batches per worker are in flight (and, while the workers start, `READ_AHEAD` per worker read
ahead), so memory does not grow with the input.

Why not ``nlp.pipe(..., n_process=2)``: spaCy's worker processes send parsed Docs back through
pipes that every forked sibling also holds open. When the consumer of ``nlp.pipe`` raises (one
article that breaks a relation rule), the generator's cleanup waits for the workers to exit while
they are blocked writing results nobody will read (the sibling's inherited copy of the read end
keeps the pipe from breaking): the run hangs with idle workers. Here the workers catch each
article's failure themselves and return it as data, pickle only articles and facts (not Docs),
and never fork the ingesting process, so no lock, thread or file descriptor of it is inherited.
Where the platform has it, workers fork from multiprocessing's fork server, a clean process that
loaded the pipeline once (`alliancegraph.extract.preload`): each worker starts at once and shares
the model's memory pages. Elsewhere they are spawned and load the pipeline themselves.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from alliancegraph.errors import AllianceGraphError
from alliancegraph.model import Article, Fact

if TYPE_CHECKING:  # the ingesting process does not load spaCy when workers extract
    from alliancegraph.extract.extractor import Extractor

Outcome = list[Fact] | str
"""The facts of one article, or why its extraction failed."""

K = TypeVar("K")


def extract_batch(
    extractor: Extractor, articles: list[Article], raise_errors: bool = False, batch_size: int | None = None
) -> list[Outcome]:
    """The outcome of each article: the batch in one pass (`batch_size` articles per parse, all by
    default), and article by article if that fails, so that one text that breaks the parser or a
    rule costs only itself."""
    try:
        size = batch_size or max(1, len(articles))
        return [facts for _, facts in extractor.extract_many(articles, batch_size=size)]
    except Exception:  # noqa: BLE001 - the article at fault is found below
        if raise_errors:
            raise
    outcomes: list[Outcome] = []
    for article in articles:
        try:
            outcomes.append(extractor.extract(article))
        except Exception as e:  # noqa: BLE001
            outcomes.append(f"extraction failed: {type(e).__name__}: {e}")
    return outcomes


_worker: Extractor | None = None
_raise_errors = False


def _start_worker(triage: bool, raise_errors: bool, ingest: int) -> None:
    global _worker, _raise_errors
    from alliancegraph.extract.extractor import Extractor

    born = _stat(ingest)[1]
    threading.Thread(target=_exit_with, args=(ingest, born), name="ingest-watch", daemon=True).start()
    _worker = Extractor(triage=triage)
    _raise_errors = raise_errors


def _exit_with(ingest: int, born: str | None) -> None:
    """End this worker when the ingest that started it is gone (killed): the task queue never
    reports it, since every worker holds a copy of its writing end, and a worker forked by the fork
    server is not the ingest's child (the server, in turn, lives as long as its workers)."""
    while _running(ingest, born):
        time.sleep(1.0)
    os._exit(1)


def _stat(pid: int) -> tuple[str | None, str | None]:
    """The state letter and start time of process `pid` from /proc (None, None where unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], fields[19]
    except (OSError, IndexError):
        return None, None


def _running(pid: int, born: str | None) -> bool:
    """Whether process `pid`, started at `born`, is alive: not gone, not a zombie (killed but not
    yet reaped), and not another process that was given the same pid since."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    state, started = _stat(pid)
    if state is None:
        return True  # no /proc here: the signal check above has to do
    return state not in {"Z", "X"} and started == born


def _run_batch(articles: list[Article]) -> list[Outcome]:
    if _worker is None:  # pragma: no cover - the initializer always ran
        raise AllianceGraphError("Extraction worker used before it was started.")
    return extract_batch(_worker, articles, _raise_errors)


def _context() -> multiprocessing.context.BaseContext:
    """Fork from the fork server that preloaded the pipeline where there is one, else spawn."""
    if not _forkserver():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["alliancegraph.extract.preload"])
    return context


def _forkserver() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()


def prepare(workers: int) -> None:
    """Start loading the pipeline for `workers` extraction processes now, in the background.

    Where workers fork from the fork server, the server loads the pipeline (about 1.5 s of one core)
    while the caller goes on with its own start, and forks workers once that is done. Does nothing
    for one worker, where there is no fork server, or when the server runs already.
    """
    if workers > 1 and _forkserver():
        from multiprocessing import forkserver

        _context()
        forkserver.ensure_running()


READ_AHEAD = 16
"""Batches per worker the caller may read while the workers start (`_read_while_starting`);
bounded, so memory does not grow with the input."""


class ExtractionPool:
    """Extracts batches of articles on `workers` processes, in order.

    Use as a context manager; `map` yields each batch with the outcome of each of its articles.
    With one worker, extraction runs in this process. With more, the fork server starts loading the
    pipeline on entering, so the load overlaps the caller's own start (opening the store, reading the
    first articles), and every batch goes to a worker forked from it. Where there is no fork server,
    an input of a single batch is extracted in this process (spawning workers that each load the
    pipeline would cost more than it saves).
    """

    def __init__(self, workers: int = 1, triage: bool = True, raise_errors: bool = False):
        self.workers = workers
        self.triage = triage
        self.raise_errors = raise_errors
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ExtractionPool:
        prepare(self.workers)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def map(
        self, batches: Iterable[tuple[K, list[Article]]]
    ) -> Iterator[tuple[K, list[Article], list[Outcome]]]:
        """(key, articles, outcome of each article) for each (key, articles), in order."""
        it = iter(batches)
        head = list(islice(it, 2))
        if self.workers <= 1 or (len(head) < 2 and not _forkserver()):
            from alliancegraph.extract.extractor import Extractor

            extractor = Extractor(triage=self.triage)
            for key, batch in chain(head, it):
                yield key, batch, extract_batch(extractor, batch, self.raise_errors) if batch else []
            return
        executor = self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(self.triage, self.raise_errors, os.getpid()),
        )
        source = chain(head, it)
        pending: deque[tuple[K, list[Article], Future[list[Outcome]]]] = deque()
        limit = 2 * self.workers
        for key, batch in chain(self._read_while_starting(executor, source), source):
            pending.append((key, batch, self._submit(executor, batch)))
            while len(pending) >= limit:
                yield self._result(*pending.popleft())
        while pending:
            yield self._result(*pending.popleft())

    def _read_while_starting(
        self, executor: ProcessPoolExecutor, source: Iterator[tuple[K, list[Article]]]
    ) -> list[tuple[K, list[Article]]]:
        """Batches read from `source` while the workers start, at most `READ_AHEAD` per worker.

        Forking a worker waits until the fork server has loaded the pipeline (a second or two at the
        start). This process reads and checks articles meanwhile, on a core that would otherwise sit
        idle, instead of later, when the workers want both cores."""
        starting = threading.Thread(
            target=_start_workers, args=(executor, self.workers), name="worker-start", daemon=True
        )
        starting.start()
        ready: list[tuple[K, list[Article]]] = []
        while starting.is_alive() and len(ready) < READ_AHEAD * self.workers:
            item = next(source, None)
            if item is None:
                break
            ready.append(item)
        starting.join()
        return ready

    @staticmethod
    def _submit(executor: ProcessPoolExecutor, batch: list[Article]) -> Future[list[Outcome]]:
        try:
            return executor.submit(_run_batch, batch)
        except BrokenProcessPool as e:
            raise _died(batch) from e

    @staticmethod
    def _result(
        key: K, batch: list[Article], future: Future[list[Outcome]]
    ) -> tuple[K, list[Article], list[Outcome]]:
        try:
            return key, batch, future.result()
        except BrokenProcessPool as e:
            raise _died(batch) from e


def _died(batch: list[Article]) -> AllianceGraphError:
    first = repr(batch[0].id) if batch else "none"
    return AllianceGraphError(
        f"An extraction process died while reading {len(batch)} articles (first: {first}). "
        "Articles already stored are kept; re-run to complete the rest, with ALLIANCEGRAPH_WORKERS=1 "
        "to find the article at fault."
    )


def _start_workers(executor: ProcessPoolExecutor, workers: int) -> None:
    """Fork the workers and wait until they answer: one task each, sent before any has answered, so
    the pool starts a process for each (it starts one per task while none is idle). A pool that
    cannot start breaks, and the batches sent to it report that."""
    with suppress(Exception):
        for started in [executor.submit(_started) for _ in range(workers)]:
            started.result()


def _started() -> bool:
    return True
