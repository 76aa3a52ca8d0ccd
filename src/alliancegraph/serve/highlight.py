"""Where an evidence sentence names a fact's head and tail, for the evidence panel to mark them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any


def highlights(
    sentence: str, head_names: Sequence[str | None], tail_names: Sequence[str | None]
) -> list[dict[str, Any]]:
    """Spans of `sentence` (``start``, ``end``, ``role`` "head" or "tail", ``text``), in order.

    Each list of names is tried in turn, the first being the name the article itself gave (the
    stated words), then the stored name and aliases, longest first; the first name found is marked
    wherever it occurs. Head and tail spans never overlap."""
    spans = _find(sentence, head_names, "head", ())
    spans += _find(sentence, tail_names, "tail", spans)
    return sorted(spans, key=lambda s: s["start"])


def _find(
    sentence: str, names: Sequence[str | None], role: str, taken: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    first = [n for n in names[:1] if n]
    rest = sorted({n for n in names[1:] if n and n not in first}, key=len, reverse=True)
    spans: list[dict[str, Any]] = []
    for name in first + rest:
        for m in re.finditer(rf"(?<!\w){re.escape(name.strip())}(?!\w)", sentence, flags=re.IGNORECASE):
            start, end = m.start(), m.end()
            if any(start < s["end"] and s["start"] < end for s in (*taken, *spans)):
                continue
            spans.append({"start": start, "end": end, "role": role, "text": m.group(0)})
        if spans:
            return spans
    return spans
