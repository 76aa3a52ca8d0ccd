"""The read API: `open_graph(db)` and the views it returns."""

from alliancegraph.query.graph import Graph, open_graph
from alliancegraph.query.views import EntityProfile, EvidenceView, FactView, SearchHit, Stats

__all__ = ["EntityProfile", "EvidenceView", "FactView", "Graph", "SearchHit", "Stats", "open_graph"]
