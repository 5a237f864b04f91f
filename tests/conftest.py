"""Shared fixtures: the seed transcript, fixture files, and the optional development corpus."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SEED = FIXTURES / "sochi-2019-05-14-voltaire.txt"
SHARED_DATA = HERE.parent.parent / "shared" / "data"
CORPUS = SHARED_DATA / "transcripts" / "transcripts.jsonl.gz"


@pytest.fixture(scope="session")
def seed():
    import podium

    return podium.analyze(SEED)


def corpus_docs(limit: int = 0):
    """Documents of the development corpus (skips the test when it is absent)."""
    if not CORPUS.exists():
        pytest.skip("../shared/data/transcripts is not here")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit and i >= limit:
                break
            yield json.loads(line)
