"""What happens to spans, by the standard OTEL_* variables (each case in a fresh process,
since a tracer provider is installed once per process)."""

import os
import subprocess
import sys

import pytest

SCRIPT = """
from opentelemetry.trace import SpanKind, get_current_span
from kota_shared import tracing

tracing.setup_tracing("probe")
with tracing.span_from_headers("GET /probe", {}, SpanKind.SERVER):
    print("recording", get_current_span().is_recording())
    print("trace_id", tracing.current_trace_id())
    print("traceparent", tracing.inject_headers()["traceparent"])
"""


def _probe(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], env={**clean, **env}, capture_output=True, text=True
    )


def _lines(stdout: str) -> dict[str, str]:
    return dict(line.split(" ", 1) for line in stdout.splitlines() if " " in line)


def test_by_default_spans_are_not_recorded_but_trace_ids_still_flow() -> None:
    probe = _probe()

    assert probe.returncode == 0, probe.stderr
    seen = _lines(probe.stdout)
    assert seen["recording"] == "False"
    assert len(seen["trace_id"]) == 32
    assert int(seen["trace_id"], 16) != 0
    assert seen["traceparent"].split("-")[1] == seen["trace_id"]


def test_the_console_exporter_records_and_writes_spans() -> None:
    probe = _probe(OTEL_TRACES_EXPORTER="console")

    assert probe.returncode == 0, probe.stderr
    assert _lines(probe.stdout)["recording"] == "True"
    assert '"name": "GET /probe"' in probe.stdout  # flushed by the processor at exit


def test_a_chosen_sampler_decides_even_without_an_exporter() -> None:
    probe = _probe(OTEL_TRACES_SAMPLER="always_on")

    assert probe.returncode == 0, probe.stderr
    assert _lines(probe.stdout)["recording"] == "True"


@pytest.mark.parametrize("exporter", ["otlp", "zipkin"])
def test_an_exporter_this_build_cannot_run_stops_the_service(exporter: str) -> None:
    probe = _probe(OTEL_TRACES_EXPORTER=exporter)

    assert probe.returncode != 0
    assert "OTEL_TRACES_EXPORTER" in probe.stderr
