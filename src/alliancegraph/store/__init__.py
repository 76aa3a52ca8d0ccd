"""The graph store: the only package that writes SQL."""

from alliancegraph.store.engine import read_only_url, shown
from alliancegraph.store.repository import Store, fact_id, text_hash

__all__ = ["Store", "fact_id", "read_only_url", "shown", "text_hash"]
