"""Figures as JSON (the default) or as CSV for a spreadsheet: ``?format=csv``.

Both carry the same rows and columns (the row model's fields, in order), so an official's
download matches what the dashboard showed.
"""

import csv
import io
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"


FormatQuery = Annotated[
    Format, Query(alias="format", description="`json` (default) or `csv` to download.")
]


def _cell(value: object) -> object:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return "" if value is None else value


def rows_response(
    rows: Sequence[BaseModel], model: type[BaseModel], *, format: Format, name: str
) -> Response:
    """``rows`` (of ``model``) as the response ``format`` asks for; ``name`` names the file."""
    if format is Format.JSON:
        return JSONResponse([row.model_dump(mode="json") for row in rows])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = list(model.model_fields)
    writer.writerow(columns)
    for row in rows:
        data = row.model_dump(mode="json")
        writer.writerow([_cell(data[column]) for column in columns])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
