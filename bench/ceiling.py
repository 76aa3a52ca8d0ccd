"""The full-parse ceiling: spaCy's whole English pipeline over every article text, on two processes.

Run by bench/run.py as its own process so its time and memory are measured apart from the product's:
    python bench/ceiling.py ARTICLES.jsonl.gz [N_PROCESS]
Prints one JSON line: articles, words, tokens and the seconds spent in nlp.pipe.
"""

from __future__ import annotations

import gzip
import json
import sys
import time

import spacy

from alliancegraph.extract.nlp import MODEL


def main() -> None:
    path = sys.argv[1]
    n_process = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    nlp = spacy.load(MODEL)
    started = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe(texts, n_process=n_process, batch_size=32):
        tokens += len(doc)
    seconds = time.perf_counter() - started
    words = sum(len(t.split()) for t in texts)
    print(json.dumps({"articles": len(texts), "words": words, "tokens": tokens, "pipe_seconds": seconds}))


if __name__ == "__main__":
    main()
