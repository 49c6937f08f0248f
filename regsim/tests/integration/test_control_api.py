"""The control API tests use (``/simulator``): adding and reading family cards, the call log,
availability and the quota, and its errors as problem documents."""

from datetime import UTC, date, datetime
from typing import Any

import pytest

from kota_regsim import regions
from kota_shared.testing.clock import MovableClock

Simulator = Any  # the conftest driver
StartSimulator = Any

CIPONDOH_INDAH = "36.71.05.1003"
FAMILY: dict[str, Any] = {
    "issued_on": "2021-02-03",
    "address": {
        "kelurahan_code": CIPONDOH_INDAH,
        "street": "Jl. Anggrek No. 5",
        "rt": "2",
        "rw": "007",
    },
    "members": [
        {
            "name": "Bambang Wibowo",
            "birth_date": "1980-06-01",
            "sex": "male",
            "relationship": "KEPALA KELUARGA",
        },
        {
            "nik": "3671054412830001",
            "name": "Tuti Handayani",
            "birth_date": "1983-12-04",
            "sex": "female",
            "relationship": "ISTRI",
        },
        {
            "name": "Zahra Putri",
            "birth_date": "2015-09-30",
            "sex": "female",
            "relationship": "ANAK",
            "registered_in": "360101",
        },
    ],
}


def assert_problem(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = answer.json()
    assert problem["code"] == code
    assert problem["type"] == f"/problems/{code}"
    assert problem["status"] == status
    assert {"type", "title", "status", "code", "detail"} <= problem.keys()
    return problem


def with_member(index: int, **changes: Any) -> dict[str, Any]:
    members = [dict(m) for m in FAMILY["members"]]
    members[index] |= changes
    return FAMILY | {"members": members}


async def test_a_family_is_registered_with_what_was_left_out_filled_in(
    simulator: Simulator,
) -> None:
    answer = await simulator.client.post("/simulator/families", json=FAMILY)

    assert answer.status_code == 201, answer.text
    card = answer.json()
    assert card["no_kk"] == "3671050302210001"  # Cipondoh, 3 February 2021, serial 0001
    assert card["issued_on"] == "2021-02-03"
    head, wife, daughter = card["members"]
    assert head["nik"] == "3671050106800001"
    assert wife["nik"] == "3671054412830001"
    assert daughter["nik"] == "3601017009150001"  # Kabupaten Pandeglang, day 30 + 40
    assert (head["place_of_birth"], daughter["place_of_birth"]) == ("TANGERANG", "PANDEGLANG")
    address = card["address"]
    assert (address["rt"], address["rw"]) == ("002", "007")
    assert (address["kelurahan_name"], address["kecamatan_code"]) == ("Cipondoh Indah", "36.71.05")
    kelurahan = regions.kelurahan(CIPONDOH_INDAH)
    assert kelurahan is not None
    assert kelurahan.box.contains(address["latitude"], address["longitude"])

    again = await simulator.client.get(f"/simulator/families/{card['no_kk']}")
    assert again.json() == card
    verified = await simulator.call(
        "CALL_VERIFY_BY_ELEMEN",
        {"NIK": head["nik"], "NAMA_LGKP": "Bambang Wibowo", "TGL_LHR": "01-06-1980"},
    )
    assert simulator.records(verified) == [
        {"NIK": "Sesuai", "NAMA_LGKP": "Sesuai (100)", "TGL_LHR": "Sesuai"}
    ]


async def test_a_family_without_dates_or_coordinates_is_issued_today(
    start_simulator: StartSimulator,
) -> None:
    clock = MovableClock()
    clock.fixed = datetime(2026, 12, 6, 20, tzinfo=UTC)  # 03:00 on 7 December in Jakarta
    body = {k: v for k, v in FAMILY.items() if k != "issued_on"}
    async with start_simulator(clock=clock) as simulator:
        answer = await simulator.client.post("/simulator/families", json=body)

    card = answer.json()
    assert card["issued_on"] == "2026-12-07"
    assert card["no_kk"][6:12] == "071226"


async def test_a_person_is_read_with_their_card(simulator: Simulator) -> None:
    answer = await simulator.client.get("/simulator/people/3671014508900001")

    assert answer.status_code == 200
    siti = answer.json()
    assert {k: siti[k] for k in ("nik", "name", "birth_date", "sex", "relationship")} == {
        "nik": "3671014508900001",
        "name": "Siti Rahmawati",
        "birth_date": "1990-08-05",
        "sex": "female",
        "relationship": "ISTRI",
    }
    assert (siti["no_kk"], siti["family_card_issued_on"]) == ("3671012309150003", "2023-05-02")
    assert siti["address"]["kelurahan_code"] == "36.71.01.1008"


async def test_a_demo_card_is_read_whole(simulator: Simulator) -> None:
    answer = await simulator.client.get("/simulator/families/3671010403180002")

    card = answer.json()
    assert card["issued_on"] == "2018-03-04"
    assert [m["name"] for m in card["members"]] == [
        "Agus Salim",
        "Rina Marlina",
        "Muhammad Rizky Pratama",
        "Aisyah Putri Salim",
    ]
    assert card["address"]["city_name"] == "Kota Tangerang"
    assert (date.today() - date.fromisoformat(card["issued_on"])).days > 365


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (with_member(1, nik="3671050412830001"), "members[1].nik"),  # a man's day digits
        (with_member(1, nik="3671054412840001"), "members[1].nik"),  # another year
        (with_member(1, relationship="KEPALA KELUARGA"), "members: a card has exactly one"),
        (FAMILY | {"no_kk": "3671010302210001"}, "no_kk"),  # another kecamatan's number
        (FAMILY | {"issued_on": "1999-12-31"}, "issued_on"),
        (FAMILY | {"address": FAMILY["address"] | {"kelurahan_code": "36.74.01.1001"}}, "address"),
        (
            FAMILY | {"address": FAMILY["address"] | {"latitude": -6.3, "longitude": 106.5}},
            "not in Cipondoh Indah",
        ),
    ],
)
async def test_a_family_that_breaks_a_rule_is_422(
    simulator: Simulator, body: dict[str, Any], detail: str
) -> None:
    answer = await simulator.client.post("/simulator/families", json=body)

    problem = assert_problem(answer, 422, "invalid_family")
    assert detail in problem["detail"]


@pytest.mark.parametrize(
    "body",
    [
        with_member(0, sex="laki-laki"),
        with_member(0, relationship="TETANGGA"),
        with_member(0, nik="367105010680001"),  # 15 digits
        with_member(0, birth_date="1980-02-30"),
        FAMILY | {"members": []},
        FAMILY | {"address": FAMILY["address"] | {"rt": "1a"}},
        FAMILY | {"colour": "blue"},
    ],
)
async def test_a_body_that_is_not_a_family_is_a_validation_problem(
    simulator: Simulator, body: dict[str, Any]
) -> None:
    answer = await simulator.client.post("/simulator/families", json=body)

    assert_problem(answer, 422, "validation_failed")


async def test_a_number_the_registry_holds_is_409(simulator: Simulator) -> None:
    first = await simulator.client.post("/simulator/families", json=FAMILY)
    same_card = await simulator.client.post(
        "/simulator/families", json=FAMILY | {"no_kk": first.json()["no_kk"]}
    )
    same_nik = await simulator.client.post("/simulator/families", json=FAMILY)
    demo_nik = await simulator.client.post(
        "/simulator/families",
        json=with_member(1, nik="3671014508900001", birth_date="1990-08-05"),
    )

    assert first.status_code == 201
    assert "no_kk" in assert_problem(same_card, 409, "already_registered")["detail"]
    assert "members[1].nik" in assert_problem(same_nik, 409, "already_registered")["detail"]
    assert "members[1].nik" in assert_problem(demo_nik, 409, "already_registered")["detail"]
    assert (await simulator.client.get("/simulator/families/3671050302210002")).status_code == 404


async def test_unknown_cards_and_people_are_404(simulator: Simulator) -> None:
    card = await simulator.client.get("/simulator/families/3671010403189999")
    person = await simulator.client.get("/simulator/people/3671014508909999")
    malformed = await simulator.client.get("/simulator/people/36710145089")

    assert_problem(card, 404, "family_not_found")
    assert_problem(person, 404, "person_not_found")
    assert_problem(malformed, 422, "validation_failed")
    assert_problem(await simulator.client.get("/simulator/families/"), 404, "not_found")


async def test_the_call_log_lists_calls_newest_first(simulator: Simulator) -> None:
    await simulator.call("CALL_NIK", {"NIK": "3671010101700001"})
    await simulator.call(
        "CALL_VERIFY_BY_ELEMEN",
        {"NIK": "3671014508900001", "NAMA_LGKP": "x"},
        account={"USER_ID": "kota-live-dev", "PASSWORD": "wrong", "IP_USER": "10.0.0.9"},
    )
    await simulator.call("CALL_KK", {"NO_KK": "3671010403180002", "NIK": "3671010101700001"})

    calls = await simulator.calls()

    assert [
        (c["service"], c["user_id"], c["ip_user"], c["nik"], c["no_kk"], c["answer"]) for c in calls
    ] == [
        ("CALL_KK", "kota-live-dev", "127.0.0.1", None, "3671010403180002", "found"),
        (
            "CALL_VERIFY_BY_ELEMEN",
            "kota-live-dev",
            "10.0.0.9",
            "3671014508900001",
            None,
            "wrong_credentials",
        ),
        ("CALL_NIK", "kota-live-dev", "127.0.0.1", "3671010101700001", None, "found"),
    ]
    assert {c["institution"] for c in calls} == {"PEMKOT_TANGERANG"}
    assert calls[0]["at"] >= calls[1]["at"] >= calls[2]["at"]
    assert all("password" not in key.lower() for c in calls for key in c)
    assert len(await simulator.calls(limit=2)) == 2
    none = await simulator.client.get("/simulator/calls", params={"limit": 0})
    assert_problem(none, 422, "validation_failed")


async def test_the_call_log_forgets_the_oldest_first(start_simulator: StartSimulator) -> None:
    async with start_simulator(call_log_size=2) as simulator:
        for nik in ("3671010101700001", "3671014508900001", "3671031203750002"):
            await simulator.call("CALL_NIK", {"NIK": nik})
        calls = await simulator.calls()

    assert [c["nik"] for c in calls] == ["3671031203750002", "3671014508900001"]


async def test_availability_is_read_and_set(simulator: Simulator) -> None:
    initially = await simulator.client.get("/simulator/availability")
    slow = await simulator.client.put(
        "/simulator/availability", json={"mode": "slow", "delay_seconds": 0.5}
    )
    read_back = await simulator.client.get("/simulator/availability")
    wrong_mode = await simulator.client.put("/simulator/availability", json={"mode": "broken"})
    too_slow = await simulator.client.put(
        "/simulator/availability", json={"mode": "slow", "delay_seconds": 601}
    )

    assert initially.json() == {"mode": "up", "delay_seconds": 0.0}
    assert slow.json() == read_back.json() == {"mode": "slow", "delay_seconds": 0.5}
    assert_problem(wrong_mode, 422, "validation_failed")
    assert_problem(too_slow, 422, "validation_failed")


async def test_the_control_api_refuses_a_body_over_its_limit(
    start_simulator: StartSimulator,
) -> None:
    async with start_simulator(control_max_body_bytes=2048) as simulator:
        padded = with_member(0, name="x" * 100) | {"padding": "x" * 2048}
        answer = await simulator.client.post("/simulator/families", json=padded)

    problem = assert_problem(answer, 413, "payload_too_large")
    assert "2048" in problem["detail"]


async def test_the_probes_answer(simulator: Simulator) -> None:
    assert (await simulator.client.get("/livez")).json() == {"status": "alive"}
    ready = await simulator.client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
