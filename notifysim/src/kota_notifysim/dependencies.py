"""The simulator as every endpoint reaches it (one per app, made in its lifespan), and the
bearer credential both providers ask for."""

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from kota_notifysim.sending import Simulator


def _simulator(request: Request) -> Simulator:
    simulator: Simulator = request.app.state.simulator
    return simulator


SimulatorDep = Annotated[Simulator, Depends(_simulator)]


def holds(credentials: HTTPAuthorizationCredentials | None, secret: str) -> bool:
    """Whether the request's bearer credential is ``secret``, compared in constant time and
    as bytes: a header may carry any Latin-1 character, which a ``str`` comparison refuses."""
    if credentials is None:
        return False
    return hmac.compare_digest(credentials.credentials.encode(), secret.encode())
