"""The HTTP face of the graph: a read-only REST API under `/api` and the web explorer, in one app."""

from alliancegraph.serve.app import create_app, readonly_url

__all__ = ["create_app", "readonly_url"]
