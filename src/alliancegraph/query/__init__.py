"""The read API: `open_graph(db)` and the views it returns."""

from alliancegraph.query.graph import ALLIANCE_RELATIONS, Graph, open_graph
from alliancegraph.query.temporal import parse_date
from alliancegraph.query.views import (
    DiffView,
    EntityProfile,
    EvidenceView,
    FactChange,
    FactView,
    PartnerView,
    PathStep,
    SearchHit,
    Stats,
    StatusChange,
    TimelineEvent,
)

__all__ = [
    "ALLIANCE_RELATIONS",
    "DiffView",
    "EntityProfile",
    "EvidenceView",
    "FactChange",
    "FactView",
    "Graph",
    "PartnerView",
    "PathStep",
    "SearchHit",
    "Stats",
    "StatusChange",
    "TimelineEvent",
    "open_graph",
    "parse_date",
]
