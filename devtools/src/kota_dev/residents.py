"""People put into the civil registry simulator by a test, before they register.

A citizen registers only once the registry knows them (NIK, name, date of birth), so a test
that registers someone first adds them here, through the simulator's control API, as a
family card of their own or with their family. Synchronous: the simulator is another
process, and the calls are few and local.
"""

from datetime import date
from typing import Any, Literal

import httpx

DEFAULT_KELURAHAN = "36.71.01.1001"
"""Sukarasa, Kecamatan Tangerang: a real kelurahan of Kota Tangerang."""

Sex = Literal["male", "female"]


def member(
    *,
    nik: str,
    full_name: str,
    birth_date: date | str,
    sex: Sex,
    relationship: str = "KEPALA KELUARGA",
) -> dict[str, Any]:
    """One person on a family card, in the simulator's words."""
    born = birth_date if isinstance(birth_date, str) else birth_date.isoformat()
    return {
        "nik": nik,
        "name": full_name,
        "birth_date": born,
        "sex": sex,
        "relationship": relationship,
    }


def add_family(
    registry_url: str,
    members: list[dict[str, Any]],
    *,
    kelurahan_code: str = DEFAULT_KELURAHAN,
    issued_on: date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> dict[str, Any]:
    """Register a family card (the head first) and return it as the simulator holds it:
    its number, issue date, address with coordinates, and members."""
    address: dict[str, Any] = {
        "kelurahan_code": kelurahan_code,
        "street": "Jl. Uji Coba No. 1",
        "rt": "001",
        "rw": "001",
    }
    if latitude is not None and longitude is not None:
        address |= {"latitude": latitude, "longitude": longitude}
    body: dict[str, Any] = {"address": address, "members": members}
    if issued_on is not None:
        body["issued_on"] = issued_on.isoformat()
    response = httpx.post(f"{registry_url}/simulator/families", json=body, timeout=10)
    assert response.status_code == 201, response.text
    family: dict[str, Any] = response.json()
    return family


def add_resident(registry_url: str, registration: dict[str, Any]) -> dict[str, Any]:
    """The person a registration body (``nik``, ``full_name``, ``birth_date``, ``sex``)
    describes, as the head of a family card of their own."""
    head = member(
        nik=registration["nik"],
        full_name=registration["full_name"],
        birth_date=registration["birth_date"],
        sex=registration["sex"],
    )
    return add_family(registry_url, [head])


def set_availability(registry_url: str, mode: str, *, delay_seconds: float = 0) -> None:
    """``up``, ``down`` (every registry call answers 503) or ``slow`` (each waits first)."""
    body: dict[str, Any] = {"mode": mode}
    if mode == "slow":
        body["delay_seconds"] = delay_seconds
    response = httpx.put(f"{registry_url}/simulator/availability", json=body, timeout=10)
    assert response.status_code == 200, response.text


def calls(registry_url: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """The calls the registry received, newest first."""
    response = httpx.get(f"{registry_url}/simulator/calls", params={"limit": limit}, timeout=10)
    assert response.status_code == 200, response.text
    received: list[dict[str, Any]] = response.json()
    return received
