"""The pages' assets, served by monitoring itself (see `monitoring.pages.assets`)."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from kota_shared.problems import NotFound
from monitoring.messages import _
from monitoring.pages import assets

router = APIRouter(include_in_schema=False)

A_YEAR = 365 * 24 * 3600


@router.get(assets.URL + "/{name:path}")
async def asset(
    name: str, version: Annotated[str | None, Query(alias="v", max_length=64)] = None
) -> FileResponse:
    found = assets.served().get(name)
    if found is None:
        raise NotFound(_("There is no such asset."))
    # Linked with its version, it never changes under that address; without, it may.
    cache = f"public, max-age={A_YEAR}, immutable" if version == found.version else "no-cache"
    return FileResponse(found.path, media_type=found.media_type, headers={"Cache-Control": cache})
