"""Errors as RFC 9457 problem documents (``application/problem+json``), every one of them.

The simulator stands alone (no kota_shared), so it renders its own small problems: a client
of a test tool should still get a machine-readable ``code``, never an HTML page or a 500.
"""

import re
from collections.abc import Mapping
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


def problem_response(
    *, status: int, code: str, detail: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {
        "type": f"https://docs.kota.live/problems/{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
    }
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


async def _handle_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(status=exc.status, code=exc.code, detail=exc.detail)


async def _handle_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return problem_response(status=422, code="validation_failed", detail=detail)


async def _handle_http(_request: Request, exc: Exception) -> JSONResponse:
    """Unknown routes and wrong methods, in the same shape as everything else."""
    assert isinstance(exc, HTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    code = re.sub(r"[^a-z0-9]+", "_", phrase.lower()).strip("_")
    return problem_response(
        status=exc.status_code, code=code, detail=str(exc.detail), headers=exc.headers
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(HTTPException, _handle_http)
