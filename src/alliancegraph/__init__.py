"""AllianceGraph: an evidence-backed, time-aware knowledge graph of automotive alliances."""

from alliancegraph.errors import AllianceGraphError, ArticleParseError, EntityNotFound
from alliancegraph.model import RELATIONS, STATUSES, Article, Evidence, Fact, RunReport

__all__ = [
    "RELATIONS",
    "STATUSES",
    "AllianceGraphError",
    "Article",
    "ArticleParseError",
    "EntityNotFound",
    "Evidence",
    "Fact",
    "RunReport",
]
__version__ = "0.1.0"
