"""Where the time of one article goes, stage by stage, in one process (run by bench/run.py).

    python bench/stages.py ARTICLES.jsonl.gz [N]

Reads the first N articles (default 300), warms up on a few, then times each stage of the product
over them with triage on, and the full parse (triage off) for comparison. Prints one JSON line:
milliseconds per article for each stage, and the share of tokens triage sends to the model.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from alliancegraph.extract import triage
from alliancegraph.extract.extractor import Extractor, parse_text
from alliancegraph.extract.nlp import RULE_PIPES, rule_memo
from alliancegraph.ingest import iter_articles
from alliancegraph.model import Article
from alliancegraph.resolve.entities import Resolver, resolve_facts
from alliancegraph.resolve.knowledge import load_knowledge
from alliancegraph.store import Store

WARM = 100
BATCH = 32
"""Articles per store transaction, as `ingest` writes them (its default batch size)."""


def main() -> None:
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    ms: dict[str, float] = {}

    def timed(name: str, started: float, count: int) -> None:
        ms[name] = ms.get(name, 0.0) + 1000 * (time.perf_counter() - started) / count

    started = time.perf_counter()
    articles = [a for a in islice(iter_articles([path]), n + WARM) if isinstance(a, Article)]
    timed("read and clean", started, len(articles))
    warm, articles = articles[:WARM], articles[WARM:]
    count = len(articles)
    extractor = Extractor(triage=True)
    nlp = extractor.nlp
    list(extractor.extract_many(warm))
    ruler = nlp.get_pipe(triage.RULER)
    texts = [parse_text(a.text) for a in articles]

    started = time.perf_counter()
    docs = [ruler(nlp.make_doc(t)) for t in texts]
    timed("tokenizer + knowledge ruler", started, count)
    started = time.perf_counter()
    plans = [triage.plan(d) for d in docs]
    windows = [p.windows for p in plans]
    excerpts = [x for p in plans for x in p.excerpts]
    timed("triage (cues, selection, excerpts)", started, count)
    tokens = sum(len(d) for d in docs)
    kept = sum(b - a for ws in windows for _, a, b, _ in ws) / tokens
    parsed_share = sum(right - left for ws in windows for left, _, _, right in ws) / tokens
    for name, proc in nlp.pipeline:
        if name == triage.RULER or name in RULE_PIPES:
            continue
        started = time.perf_counter()
        excerpts = list(proc.pipe(excerpts)) if hasattr(proc, "pipe") else [proc(x) for x in excerpts]
        timed(f"model: {name}", started, count)
    started = time.perf_counter()
    excerpts = list(rule_memo(nlp).pipe(excerpts))
    timed("model: attribute ruler + lemmatizer (memo)", started, count)
    started = time.perf_counter()
    parsed = iter(excerpts)
    docs = [
        triage.assemble(d, p, [next(parsed) for _ in p.windows]) for d, p in zip(docs, plans, strict=True)
    ]
    timed("copy back into the article's Doc", started, count)
    started = time.perf_counter()
    facts = [
        extractor.facts_from_doc(a, d) if d.has_annotation("DEP") else []
        for a, d in zip(articles, docs, strict=True)
    ]
    timed("mentions, coreference, relation rules", started, count)
    resolver = Resolver(load_knowledge())
    started = time.perf_counter()
    resolved = [resolve_facts(f, resolver) for f in facts]
    timed("resolve", started, count)
    with tempfile.TemporaryDirectory() as tmp, Store.open(str(Path(tmp) / "stages.db")) as store:
        store.write_knowledge(resolver.knowledge.entities.values())
        started = time.perf_counter()
        pairs = list(zip(articles, resolved, strict=True))
        for k in range(0, count, BATCH):
            store.write_articles(pairs[k : k + BATCH])
        timed(f"store (one transaction per {BATCH} articles)", started, count)

    full = Extractor(nlp=nlp, triage=False)
    started = time.perf_counter()
    full_docs = [doc for doc, _ in triage.parse(nlp, ((t, None) for t in texts), triage=False)]
    full_ms = 1000 * (time.perf_counter() - started) / count
    del full_docs, full
    print(
        json.dumps(
            {"articles": count, "ms": ms, "kept": kept, "parsed": parsed_share, "full_parse_ms": full_ms}
        )
    )


if __name__ == "__main__":
    main()
