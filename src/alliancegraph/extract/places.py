"""Place names: which are countries, regions or states, and which adjectives stand for a place.

The extractor needs to tell a country ("built in Japan": no plant named) from a town ("built in
Kamenz": the Kamenz plant), and to read "Latin American markets" or "the U.S. market" as places.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources


@dataclass(frozen=True)
class Places:
    """Lookup tables loaded from the packaged ``places.json``."""

    countries: dict[str, str]
    """Every country name or alias, mapped to the country's canonical name."""
    regions: frozenset[str]
    states: frozenset[str]
    demonyms: dict[str, str]
    """Adjectives and "X-based" forms mapped to the place they stand for."""

    def canonical(self, name: str) -> str:
        """The canonical form of a place name: countries by their alias table, others unchanged."""
        name = name.strip()
        if name.lower().startswith("the "):
            name = name[4:]
        return self.countries.get(name, self.demonyms.get(name, name))

    def is_country(self, name: str) -> bool:
        return self.canonical(name) in self._country_names or name in self.countries

    def is_area(self, name: str) -> bool:
        """True for countries, regions and states: places too large to name a plant."""
        canon = self.canonical(name)
        return (
            self.is_country(name)
            or canon in self.regions
            or canon.lower() in self._regions_lower
            or canon in self.states
        )

    @cached_property
    def _country_names(self) -> frozenset[str]:
        """The canonical country names."""
        return frozenset(self.countries.values())

    @cached_property
    def _regions_lower(self) -> frozenset[str]:
        return frozenset(region.lower() for region in self.regions)


@lru_cache(maxsize=1)
def load_places() -> Places:
    data = json.loads(resources.files("alliancegraph.data").joinpath("places.json").read_text(encoding="utf-8"))
    countries = {name: name for name in data["countries"]}
    for canon, aliases in data["country_aliases"].items():
        for alias in aliases:
            countries.setdefault(alias, canon)
    return Places(
        countries=countries,
        regions=frozenset(data["regions"]),
        states=frozenset(data["states"]),
        demonyms=dict(data["demonyms"]),
    )
