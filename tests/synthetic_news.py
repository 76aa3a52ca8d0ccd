"""Short news articles about invented carmakers, written at test time: alliances, stakes, joint ventures
and plants, so a batch of any size has facts to extract and store.

Each article is its own file (JSON records and plain text, alternately), named so that directory order
is the order they were written in. The same `seed` always gives the same batch.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

_FIRST = ["Zor", "Hal", "Kes", "Bren", "Vel", "Tar", "Mor", "Quin", "Dra", "Sel", "Orv", "Pell"]
_LAST = ["vik", "den", "tran", "nik", "mora", "rion", "wyn", "ster", "gard", "holm"]
_SUFFIX = ["Motor Corp", "Motor Co"]
_MODELS = ["Arro", "Sella", "Vanta", "Corsa", "Miro", "Tessa", "Ombra", "Fiera"]
_PLACES = [
    ("Tarnow", "Poland"),
    ("Zilina", "Slovakia"),
    ("Setubal", "Portugal"),
    ("Kolin", "Czech Republic"),
    ("Pitesti", "Romania"),
    ("Bursa", "Turkey"),
]
_TEMPLATES = [
    "{a} and {b} formed an alliance to share platforms.",
    "{a} said on Tuesday it had formed an alliance with {b}.",
    "{a} agreed to buy a {share} percent stake in {b}.",
    "{a} owns {share} percent of {b}.",
    "{a} and {b} agreed to set up a joint venture in {country}.",
    "{a} will build the {model} at its plant in {city}, {country}.",
    "{a} builds the {model} sedan at its {city} plant in {country}.",
]


def carmakers(count: int, rng: random.Random) -> list[str]:
    names = sorted({f"{f}{last} {s}" for f in _FIRST for last in _LAST for s in _SUFFIX})
    return rng.sample(names, count)


def article(number: int, makers: list[str], rng: random.Random) -> dict[str, str]:
    """One record: an id, a publication date and two or three sentences."""
    sentences = []
    for _ in range(rng.randint(2, 3)):
        a, b = rng.sample(makers, 2)
        city, country = rng.choice(_PLACES)
        template = rng.choice(_TEMPLATES)
        sentences.append(
            template.format(
                a=a, b=b, share=rng.randint(5, 60), model=rng.choice(_MODELS), city=city, country=country
            )
        )
    published = date(2010, 1, 4) + timedelta(days=number * 3)
    return {"id": f"story-{number:04d}", "date": published.isoformat(), "text": " ".join(sentences)}


def write_batch(folder: Path, count: int, seed: int = 6) -> list[str]:
    """Write `count` articles into `folder` (created), half as ``.json`` records and half as ``.txt``
    pages with a dateline; return their ids in directory order."""
    rng = random.Random(seed)
    makers = carmakers(24, rng)
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for number in range(count):
        record = article(number, makers, rng)
        if number % 2:
            page = f"{date.fromisoformat(record['date']):%b %d, %Y}\n\n{record['text']}\n"
            (folder / f"{record['id']}.txt").write_text(page, encoding="utf-8")
        else:
            (folder / f"{record['id']}.json").write_text(json.dumps(record), encoding="utf-8")
        ids.append(record["id"])
    return ids
