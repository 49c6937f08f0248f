"""Outage or fault, decided once: is an error the infrastructure's (wait it out) or ours?

The outbox relay, the consumers, the periodic jobs and the HTTP error handlers all ask
`transience`. An outage (PostgreSQL restarting or unreachable, Kafka away) is waited out and
retried; contention (a serialization failure, a deadlock) is retried at once; anything else
is a fault of the message or of the code, and is reported as such.
"""

import enum

from aiokafka.errors import KafkaError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError


class Transience(enum.Enum):
    OUTAGE = "outage"
    """A dependency is away or overloaded: retry after a pause."""
    CONTENTION = "contention"
    """Concurrent transactions collided: the same work succeeds when retried."""


_CONNECTION_SQLSTATE_CLASS = "08"  # connection exception
_OUTAGE_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown: the server is stopping (pg_ctl stop/restart -m fast)
        "57P02",  # crash_shutdown: another backend crashed (or -m immediate)
        "57P03",  # cannot_connect_now: the server is starting up or shutting down
        "57P05",  # idle_session_timeout
        "53300",  # too_many_connections
        "53400",  # configuration_limit_exceeded
        "58000",  # system_error
        "58030",  # io_error
    }
)
_CONTENTION_SQLSTATES = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available
    }
)


def _sqlstate(exc: DBAPIError) -> str | None:
    state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return state if isinstance(state, str) else None


# OSErrors that say a path is wrong, not that a peer or a disk is away: a local fault.
_LOCAL_OS_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)


def _own_transience(exc: BaseException) -> Transience | None:
    if isinstance(exc, _LOCAL_OS_ERRORS):
        return None
    if isinstance(exc, KafkaError | OSError | TimeoutError | PoolTimeoutError):
        return Transience.OUTAGE
    if isinstance(exc, DBAPIError):
        state = _sqlstate(exc)
        if state in _CONTENTION_SQLSTATES:
            return Transience.CONTENTION
        if (
            exc.connection_invalidated
            or isinstance(exc, OperationalError | InterfaceError)
            or state in _OUTAGE_SQLSTATES
            or (state is not None and state.startswith(_CONNECTION_SQLSTATE_CLASS))
        ):
            return Transience.OUTAGE
    return None


def transience(exc: BaseException) -> Transience | None:
    """How ``exc`` (or the error it was raised from) is transient; None for a real fault."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = _own_transience(current)
        if found is not None:
            return found
        current = current.__cause__
    return None


def describe(exc: BaseException) -> str:
    """One short line for a log: the driver's own error, without SQL or parameters."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    first_line = str(cause).partition("\n")[0]
    return f"{type(cause).__name__}: {first_line}"[:300]


def is_transient(exc: BaseException) -> bool:
    """True when retrying later is the answer: never dead-letter or crash on such an error."""
    return transience(exc) is not None
