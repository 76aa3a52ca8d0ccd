"""Settings of a run, loaded in the order defaults < ``alliancegraph.toml`` < ``ALLIANCEGRAPH_*``
environment variables < command-line flags."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from alliancegraph.errors import AllianceGraphError

DEFAULT_DB = "alliancegraph.db"


class Settings(BaseModel):
    """What a run reads and writes and how it batches its work."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    db: str = Field(DEFAULT_DB, description="SQLite file, or a SQLAlchemy URL such as postgresql://...")
    batch_size: int = Field(32, ge=1, le=10_000, description="articles parsed per spaCy batch")
    on_error: Literal["skip", "raise"] = Field("skip", description="what a bad article does to the batch")
    max_file_bytes: int = Field(
        50 * 1024 * 1024, ge=1, description="largest file read whole (gunzipped), or JSON Lines line"
    )
    max_article_chars: int = Field(200_000, ge=1, description="longest article text parsed (characters)")
    max_html_tags: int = Field(10_000, ge=1, description="most tags of an HTML page parsed; more is skipped")
    triage: bool = Field(
        True, description="parse only the sentences that can state a fact (false: every sentence)"
    )
    workers: int = Field(
        default_factory=lambda: default_workers(),
        ge=1,
        le=64,
        description="extraction processes (default: one per core, at most 4); 1: in the ingesting process",
    )


MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """One extraction process per core, at most `MAX_DEFAULT_WORKERS`."""
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


ENV_PREFIX = "ALLIANCEGRAPH_"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from the defaults, the config file, the environment and then `overrides` (None ignored)."""
    values: dict[str, Any] = {}
    path = config_file or Path("alliancegraph.toml")
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise AllianceGraphError(f"Cannot read {path}: {e}. Fix the file or remove it.") from e
    for name in Settings.model_fields:
        env = os.environ.get(ENV_PREFIX + name.upper())
        if env:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AllianceGraphError(
            f"Invalid setting {where!r}: {first['msg']}. Check {path}, {ENV_PREFIX}* and the flags."
        ) from e
