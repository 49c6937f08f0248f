"""Reading and writing catalogue entries (the only module here that queries permit types)."""

from collections.abc import Sequence

from sqlalchemy import literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.models import PermitType


def _definition(row: PermitType) -> PermitTypeDefinition:
    return PermitTypeDefinition.model_validate(row.definition)


async def get(session: AsyncSession, *, code: str) -> PermitTypeDefinition | None:
    row = await session.get(PermitType, code)
    return _definition(row) if row is not None else None


async def definition_of(session: AsyncSession, *, code: str) -> PermitTypeDefinition:
    """The type of an existing application, even if withdrawn since: work begun goes on."""
    definition = await get(session, code=code)
    if definition is None:
        raise LookupError(f"permit type {code} vanished from the catalogue")
    return definition


async def list_all(
    session: AsyncSession, *, include_inactive: bool
) -> Sequence[PermitTypeDefinition]:
    query = select(PermitType).order_by(PermitType.code)
    if not include_inactive:
        query = query.where(PermitType.active.is_(True))
    return [_definition(row) for row in await session.scalars(query)]


def _values(definition: PermitTypeDefinition, updated_by: str) -> dict[str, object]:
    return {
        "code": definition.code,
        "category": definition.category.value,
        "active": definition.active,
        "definition": definition.model_dump(mode="json"),
        "updated_by": updated_by,
    }


async def save(session: AsyncSession, *, definition: PermitTypeDefinition, updated_by: str) -> bool:
    """Create or replace an entry; True when it was new."""
    values = _values(definition, updated_by)
    statement = insert(PermitType).values(values)
    inserted = await session.scalar(
        statement.on_conflict_do_update(
            index_elements=[PermitType.code],
            set_={key: statement.excluded[key] for key in values if key != "code"},
        ).returning(literal_column("xmax = 0"))  # 0 on a fresh insert, not on an update
    )
    return bool(inserted)


async def add_missing(
    session: AsyncSession, *, definitions: Sequence[PermitTypeDefinition], updated_by: str
) -> int:
    """Add the entries whose code is not there yet (an admin's later edits are kept)."""
    if not definitions:
        return 0
    added = await session.scalars(
        insert(PermitType)
        .values([_values(d, updated_by) for d in definitions])
        .on_conflict_do_nothing(index_elements=[PermitType.code])
        .returning(PermitType.code)
    )
    return len(added.all())
