"""Imported by the fork server of the extraction workers, and only there: it imports the extractor and
loads the pipeline once, so that every worker forked from the server starts with them (see
`alliancegraph.extract.workers`).

The loaded objects are then frozen out of garbage collection (`gc.freeze`): a worker's collections
would otherwise walk them and write to their headers, copying the memory pages the worker shares with
the server (about 35 MiB less memory, counted as PSS, for two workers on 1,000 articles)."""

from __future__ import annotations

import gc
from contextlib import suppress

import alliancegraph.extract.extractor  # noqa: F401  (the rules, imported once here, not in each worker)
from alliancegraph.extract.nlp import build_nlp, rule_memo

with suppress(Exception):  # each worker then loads the pipeline itself and reports the error
    rule_memo(build_nlp())

gc.freeze()
