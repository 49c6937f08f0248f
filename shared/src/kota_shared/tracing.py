"""W3C trace context: one tracer per service, carried over HTTP and Kafka headers.

Spans are created with OpenTelemetry; exporting them is the operator's choice (standard
``OTEL_*`` variables with an exporter installed). Without one, trace ids still flow through
headers and logs, which is what lets one citizen's request be followed across services.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider


def setup_tracing(service_name: str) -> None:
    """Install a tracer provider once per process (later calls keep the first)."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    trace.set_tracer_provider(
        TracerProvider(resource=Resource.create({"service.name": service_name}))
    )


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
