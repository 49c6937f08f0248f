"""Async SQLAlchemy: naming convention, engine, and one session per request committed once.

Services never call ``commit()``: the request (or the event handler) boundary commits if
the work succeeded and rolls back otherwise, so a half-applied change cannot escape.
"""

import enum
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Enum, MetaData
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A service's own metadata with the shared naming convention (stable constraint names)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def value_enum(enum_class: type[enum.Enum], *, length: int = 32) -> Enum:
    """A column type storing ``enum_class`` by its members' values, as a short string.

    Rows read as the API writes them (``submitted``, not ``SUBMITTED``), and adding a member
    needs no migration of a PostgreSQL enum type.
    """
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    # hide_parameters: a failed statement's error must not put a NIK or a name in the logs.
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        hide_parameters=True,
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: a response may still read attributes after the boundary commits.
    return async_sessionmaker(engine, expire_on_commit=False)


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session, session.begin():
        yield session


# scope="function": the commit runs when the endpoint returns, before the response is sent,
# so a failed commit is reported to the client instead of silently losing an accepted write.
DbSession = Annotated[AsyncSession, Depends(_request_session, scope="function")]
"""A request-scoped session inside one transaction: committed when the endpoint returns."""
