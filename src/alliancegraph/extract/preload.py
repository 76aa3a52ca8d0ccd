"""Imported by the fork server of the extraction workers, and only there: it loads the pipeline once,
so that every worker forked from the server starts with it (see `alliancegraph.extract.workers`)."""

from __future__ import annotations

from alliancegraph.extract.nlp import build_nlp, rule_memo

try:
    rule_memo(build_nlp())
except Exception:  # noqa: BLE001, S110 - each worker loads it again and reports the error itself
    pass
