"""W3C trace context: one tracer per service, carried over HTTP and Kafka headers.

Spans are created with OpenTelemetry. Trace ids flow through headers and logs whatever
happens to the spans, which is what lets one citizen's request be followed across services.
Exporting spans is the operator's choice, with the standard variables:
``OTEL_TRACES_EXPORTER=console`` writes them to stdout (``none``, the default, exports
nothing) and ``OTEL_TRACES_SAMPLER`` picks which are recorded. With no exporter and no sampler
set, spans are not recorded at all (``parentbased_always_off``): recording what nobody reads
was an eighth of the gateway's CPU per request.
"""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased

EXPORTERS = ("none", "console")


def setup_tracing(service_name: str) -> None:
    """Install a tracer provider once per process (later calls keep the first)."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "none").strip().lower()
    if exporter not in EXPORTERS:
        raise ValueError(
            f"OTEL_TRACES_EXPORTER={exporter!r} is not supported here (use one of {EXPORTERS})"
        )
    sampler_chosen = "OTEL_TRACES_SAMPLER" in os.environ
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}),
        # None: the SDK's own choice, which reads OTEL_TRACES_SAMPLER.
        sampler=None if exporter != "none" or sampler_chosen else ParentBased(ALWAYS_OFF),
    )
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
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
