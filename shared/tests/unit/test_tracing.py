"""What happens to spans, by the standard OTEL_* variables (each case in a fresh process,
since a tracer provider is installed once per process)."""

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

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


@pytest.mark.parametrize(
    "env",
    [
        {"OTEL_TRACES_EXPORTER": "zipkin"},
        {"OTEL_TRACES_EXPORTER": "otlp,jaeger"},
        {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
    ],
)
def test_an_exporter_this_build_cannot_run_stops_the_service_saying_why(
    env: dict[str, str],
) -> None:
    probe = _probe(**env)

    assert probe.returncode != 0
    assert "UnsupportedTracingSetting" in probe.stderr
    assert any(f"{variable}=" in probe.stderr for variable in env)


class _Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver: keeps each export request's path and decoded spans."""

    received: ClassVar[list[tuple[str, ExportTraceServiceRequest]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        self.received.append((self.path, request))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        _Collector.received.clear()


def test_the_otlp_exporter_sends_spans_to_the_standard_endpoint(collector: str) -> None:
    probe = _probe(OTEL_TRACES_EXPORTER="otlp", OTEL_EXPORTER_OTLP_ENDPOINT=collector)

    assert probe.returncode == 0, probe.stderr
    seen = _lines(probe.stdout)
    assert seen["recording"] == "True"
    # Flushed by the batch processor at exit, before the process ended.
    (path, request), *_ = _Collector.received
    assert path == "/v1/traces"
    (resource_spans,) = request.resource_spans
    attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert attributes["service.name"] == "probe"
    (span,) = [span for scope in resource_spans.scope_spans for span in scope.spans]
    assert span.name == "GET /probe"
    assert span.trace_id.hex() == seen["trace_id"]


def test_otlp_may_be_chosen_beside_the_console(collector: str) -> None:
    probe = _probe(OTEL_TRACES_EXPORTER="console, otlp", OTEL_EXPORTER_OTLP_ENDPOINT=collector)

    assert probe.returncode == 0, probe.stderr
    assert '"name": "GET /probe"' in probe.stdout
    assert [path for path, _ in _Collector.received] == ["/v1/traces"]
