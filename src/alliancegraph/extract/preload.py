"""Imported by the fork server of the extraction workers, and only there: it loads the pipeline once,
so that every worker forked from the server starts with it (see `alliancegraph.extract.workers`)."""

from __future__ import annotations

from contextlib import suppress

from alliancegraph.extract.nlp import build_nlp, rule_memo

with suppress(Exception):  # each worker then loads the pipeline itself and reports the error
    rule_memo(build_nlp())
