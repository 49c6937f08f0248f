"""The control API's errors as RFC 9457 problem documents (``application/problem+json``).

The simulator stands alone (no kota_shared), so it renders its own small problems: a test
that misuses the control API gets a machine-readable ``code`` and a ``detail`` saying which
field broke which rule, never an HTML page or a 500. The Dukcapil side answers as Dukcapil
does instead (`kota_regsim.dukcapil`).
"""

import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An error the caller can act on, answered with ``status`` and a stable ``code``."""

    def __init__(self, *, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail

    def response(self, *, headers: dict[str, str] | None = None) -> JSONResponse:
        body = {
            "type": f"/problems/{self.code}",
            "title": HTTPStatus(self.status).phrase,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
        }
        return JSONResponse(
            body, status_code=self.status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
        )


async def _problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return exc.response()


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return Problem(status=422, code="validation_failed", detail=detail).response()


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    """Unknown routes and wrong methods, in the same shape as everything else."""
    assert isinstance(exc, HTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    code = re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")
    problem = Problem(status=exc.status_code, code=code, detail=str(exc.detail))
    return problem.response(headers=dict(exc.headers or {}))


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
