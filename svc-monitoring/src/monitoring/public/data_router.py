"""Open data (``/v1/monitoring/public/data``): each dataset as CSV and JSON, with metadata.

Anyone may call, with no token: aggregates only, small cells suppressed
(docs/dashboard.md#open-data).
"""

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.problems import NotFound
from monitoring.messages import _
from monitoring.public import metadata
from monitoring.public.datasets import DATASETS, Dataset, Scope
from monitoring.public.scope import public_scope

router = APIRouter(prefix=metadata.DATA_URL, tags=["open data"])

PublicScope = Annotated[Scope, Depends(public_scope)]
CACHE = {"Cache-Control": "public, max-age=300"}
WHO = (
    "Who may call: anyone, with no token. Aggregates only: a count under "
    "`MONITORING_PUBLIC_MINIMUM_COUNT` (5), and what is computed from one, is written `<5`. "
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _dataset(identifier: str) -> Dataset:
    found = DATASETS.get(identifier)
    if found is None:
        raise NotFound(_("There is no open dataset with this name."))
    return found


@router.get(
    "",
    summary="The open datasets and their metadata",
    description=WHO + "Each dataset's metadata (Satu Data Indonesia's elements) with "
    "where to download it as CSV and JSON. `year` narrows every dataset to one calendar year.",
)
async def open_data_catalogue(request: Request, scope: PublicScope, now: Now) -> JSONResponse:
    settings = request.app.state.runtime.settings
    documents = [
        metadata.document(dataset, scope=scope, settings=settings, now=now)
        for dataset in DATASETS.values()
    ]
    return JSONResponse({"datasets": documents}, headers=CACHE)


@router.get(
    "/{identifier}.metadata.json",
    summary="One open dataset's metadata",
    description=WHO + "Title, description, publisher, licence, update frequency, data "
    "standard, temporal and spatial coverage, every column, the reference codes (Kemendagri "
    "district codes) and the suppression rule, in Bahasa Indonesia and English.",
    responses={404: {"description": "No dataset has this name."}},
)
async def open_dataset_metadata(
    request: Request, identifier: str, scope: PublicScope, now: Now
) -> JSONResponse:
    dataset = _dataset(identifier)
    settings = request.app.state.runtime.settings
    return JSONResponse(
        metadata.document(dataset, scope=scope, settings=settings, now=now), headers=CACHE
    )


@router.get(
    "/{identifier}.json",
    summary="One open dataset as JSON",
    description=WHO + "`metadata` (as `.metadata.json` gives it) and `data`, the rows.",
    responses={404: {"description": "No dataset has this name."}},
)
async def open_dataset_json(
    request: Request, identifier: str, scope: PublicScope, now: Now, db: DbSession
) -> JSONResponse:
    dataset = _dataset(identifier)
    settings = request.app.state.runtime.settings
    body: dict[str, Any] = {
        "metadata": metadata.document(dataset, scope=scope, settings=settings, now=now),
        "data": await dataset.rows(db, scope),
    }
    return JSONResponse(body, headers=CACHE)


@router.get(
    "/{identifier}.csv",
    summary="One open dataset as CSV",
    description=WHO + "UTF-8, a header row of the columns the metadata describes.",
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        404: {"description": "No dataset has this name."},
    },
)
async def open_dataset_csv(identifier: str, scope: PublicScope, db: DbSession) -> Response:
    dataset = _dataset(identifier)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in dataset.columns])
    for row in await dataset.rows(db, scope):
        writer.writerow([_cell(row[column.name]) for column in dataset.columns])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            **CACHE,
            "Content-Disposition": f'attachment; filename="{dataset.identifier}.csv"',
        },
    )


def _cell(value: object) -> object:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value
