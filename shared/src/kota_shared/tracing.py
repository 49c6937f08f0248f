"""W3C trace context: one tracer per service, carried over HTTP and Kafka headers.

Spans are created with OpenTelemetry. Trace ids flow through headers and logs whatever
happens to the spans, which is what lets one citizen's request be followed across services.
Exporting spans is the operator's choice, with the standard variables:
``OTEL_TRACES_EXPORTER`` names one or more exporters, comma-separated: ``otlp`` sends them
to a collector over OTLP/HTTP (protobuf) at ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``; the SDK's default is a collector on localhost:4318),
``console`` writes them to stdout, ``none`` (the default) exports nothing; and
``OTEL_TRACES_SAMPLER`` picks which are recorded. With no exporter and no sampler set, spans
are not recorded at all (``parentbased_always_off``): recording what nobody reads was an
eighth of the gateway's CPU per request.

A setting this build cannot honour (another exporter, OTLP over gRPC) stops the service at
start with a message naming the variable: spans an operator asked for are never dropped
without a word.
"""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased

EXPORTERS = ("none", "console", "otlp")
OTLP_PROTOCOLS = ("http/protobuf",)
"""What the installed exporter speaks (``opentelemetry-exporter-otlp-proto-http``)."""


class UnsupportedTracingSetting(ValueError):
    """An ``OTEL_*`` variable asks for something this build cannot do."""


def _chosen_exporters() -> list[str]:
    raw = os.environ.get("OTEL_TRACES_EXPORTER", "none")
    chosen = [name.strip().lower() for name in raw.split(",") if name.strip()] or ["none"]
    unknown = [name for name in chosen if name not in EXPORTERS]
    if unknown:
        raise UnsupportedTracingSetting(
            f"OTEL_TRACES_EXPORTER={raw!r}: {', '.join(unknown)} is not supported here "
            f"(use one or more of {', '.join(EXPORTERS)})"
        )
    if "none" in chosen and len(chosen) > 1:
        raise UnsupportedTracingSetting(
            f"OTEL_TRACES_EXPORTER={raw!r}: 'none' cannot be combined with an exporter"
        )
    return [name for name in chosen if name != "none"]


def _otlp_exporter() -> SpanExporter:
    """OTLP over HTTP; the exporter itself reads the endpoint, headers, timeout and TLS
    variables (``OTEL_EXPORTER_OTLP_*``), so they mean here what they mean everywhere."""
    for variable in ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"):
        protocol = os.environ.get(variable)
        if protocol is not None:
            if protocol.strip().lower() not in OTLP_PROTOCOLS:
                raise UnsupportedTracingSetting(
                    f"{variable}={protocol!r} is not supported here (use {OTLP_PROTOCOLS[0]})"
                )
            break
    # Imported here: protobuf and requests are loaded only by a service that exports.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def _exporter(name: str) -> SpanExporter:
    return _otlp_exporter() if name == "otlp" else ConsoleSpanExporter()


def setup_tracing(service_name: str) -> None:
    """Install a tracer provider once per process (later calls keep the first).

    Raises `UnsupportedTracingSetting` for settings it cannot honour, before anything is
    installed, so a misconfigured service fails at start rather than running untraced.
    """
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    exporters = [_exporter(name) for name in _chosen_exporters()]
    sampler_chosen = "OTEL_TRACES_SAMPLER" in os.environ
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}),
        # None: the SDK's own choice, which reads OTEL_TRACES_SAMPLER.
        sampler=None if exporters or sampler_chosen else ParentBased(ALWAYS_OFF),
    )
    for exporter in exporters:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)


_TRACER = trace.get_tracer("kota_shared")
"""Made once: ``get_tracer`` builds a new tracer (and scope) per call, ~15% of what a
request's observability costs. Made before `setup_tracing` is fine: until a provider is
installed it is a proxy that binds to the real tracer on first use after."""


def tracer() -> trace.Tracer:
    return _TRACER


def inject_headers() -> dict[str, str]:
    """The current trace context as headers (``traceparent``, ``tracestate``)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextmanager
def span_from_headers(
    name: str, headers: Mapping[str, str], kind: trace.SpanKind
) -> Iterator[None]:
    """Continue the caller's trace (or start one) for the duration of the block."""
    token = context.attach(propagate.extract(headers))
    try:
        with tracer().start_as_current_span(name, kind=kind):
            yield
    finally:
        context.detach(token)


def current_trace_id() -> str | None:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else None
