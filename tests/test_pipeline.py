"""The pipeline runner: stages in order, and the cyclic collector paused per document."""

from __future__ import annotations

import gc

import pytest

import podium
from conftest import SEED
from podium.pipeline import DEFAULT_STAGES, Pipeline, Stage, collector_paused


@pytest.fixture
def collector_state():
    """Leave the collector as the test found it."""
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_during_a_document_and_resumes_after(collector_state):
    seen = []
    probe = Stage("probe", ("text",), "probe", lambda doc, ctx: seen.append(gc.isenabled()))
    gc.enable()
    podium.analyze("Hello.", stages=[probe])
    assert seen == [False]
    assert gc.isenabled()


def test_a_failing_stage_still_resumes_the_collector(collector_state):
    def fail(doc, ctx):
        raise RuntimeError("stage failed")

    gc.enable()
    with pytest.raises(RuntimeError):
        podium.analyze("Hello.", stages=[Stage("fail", ("text",), "fail", fail)])
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled(collector_state):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
    podium.analyze("Hello.", stages=["segment"])
    assert not gc.isenabled()


def test_the_stages_leave_no_reference_cycles(collector_state):
    """Pausing the collector is safe because the stages make no cyclic garbage: reference
    counting frees everything a document's analysis throws away."""
    pipeline = Pipeline(DEFAULT_STAGES)
    podium.analyze(SEED, stages=pipeline)  # knowledge, tables and caches built first
    gc.collect()
    gc.disable()
    for _ in range(3):
        podium.analyze(SEED, stages=pipeline)
    assert gc.collect() == 0
