"""Dukcapil's web service over real HTTP: what each service answers for the demo families, what
verification keeps to itself, and every refusal, in the texts the gateway's adapter reads."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from kota_regsim.config import DEV_PASSWORD, DEV_USER_ID, Account
from kota_shared.testing.clock import MovableClock

Simulator = Any  # the conftest driver
StartSimulator = Any

SITI = {"NIK": "3671014508900001", "NAMA_LGKP": "Siti Rahmawati", "TGL_LHR": "05-08-1990"}
AGUS_NIK = "3671010101700001"
AGUS_CARD = "3671010403180002"
UNKNOWN_NIK = "3671014508900099"
DEV_ACCOUNT = {"USER_ID": DEV_USER_ID, "PASSWORD": DEV_PASSWORD, "IP_USER": "127.0.0.1"}

NOT_FOUND = "Data Tidak Ditemukan"
WRONG_CREDENTIALS = "User ID atau Password salah"
IP_NOT_REGISTERED = "IP tidak terdaftar"
QUOTA_EXHAUSTED = "Kuota akses hari ini telah habis"


async def test_verification_answers_sesuai_for_each_element_that_matches(
    simulator: Simulator,
) -> None:
    answer = await simulator.call(
        "CALL_VERIFY_BY_ELEMEN",
        {
            **SITI,
            "NAMA_LGKP": "SITI RAHMAWATI",
            "TRESHOLD": "90",
            "TMPT_LHR": "Tangerang",
            "JENIS_KLMIN": "PEREMPUAN",
            "NO_KK": "3671012309150003",
        },
    )

    assert simulator.records(answer) == [
        {
            "NIK": "Sesuai",
            "NAMA_LGKP": "Sesuai (100)",
            "TMPT_LHR": "Sesuai (100)",
            "TGL_LHR": "Sesuai",
            "JENIS_KLMIN": "Sesuai",
            "NO_KK": "Sesuai",
        }
    ]
    assert answer.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("change", "verdicts"),
    [
        (
            {"NAMA_LGKP": "Siti Rahmadani"},
            {"NIK": "Sesuai", "NAMA_LGKP": "Tidak Sesuai (85)", "TGL_LHR": "Sesuai"},
        ),
        (
            {"NAMA_LGKP": "Rina Marlina"},
            {"NIK": "Sesuai", "NAMA_LGKP": "Tidak Sesuai (42)", "TGL_LHR": "Sesuai"},
        ),
        (
            {"TGL_LHR": "06-08-1990"},
            {"NIK": "Sesuai", "NAMA_LGKP": "Sesuai (100)", "TGL_LHR": "Tidak Sesuai"},
        ),
        (
            {"TGL_LHR": "1990-08-05"},  # not how Dukcapil writes a date
            {"NIK": "Sesuai", "NAMA_LGKP": "Sesuai (100)", "TGL_LHR": "Tidak Sesuai"},
        ),
    ],
)
async def test_a_mismatch_says_which_element_and_never_what_is_stored(
    simulator: Simulator, change: dict[str, str], verdicts: dict[str, str]
) -> None:
    answer = await simulator.call("CALL_VERIFY_BY_ELEMEN", {**SITI, **change})

    (answered,) = simulator.records(answer)
    assert answered == verdicts
    # A verdict per element sent, a name's score at most: no stored name, date or number.
    assert all(re.fullmatch(r"(Tidak )?Sesuai( \(\d{1,3}\))?", v) for v in answered.values())


async def test_the_threshold_decides_how_alike_a_name_must_be(simulator: Simulator) -> None:
    near = {**SITI, "NAMA_LGKP": "Siti Rahmadani"}

    strict = await simulator.call("CALL_VERIFY_BY_ELEMEN", {**near, "TRESHOLD": "90"})
    lenient = await simulator.call("CALL_VERIFY_BY_ELEMEN", {**near, "TRESHOLD": "80"})
    default = await simulator.call("CALL_VERIFY_BY_ELEMEN", near)

    assert simulator.records(strict)[0]["NAMA_LGKP"] == "Tidak Sesuai (85)"
    assert simulator.records(lenient)[0]["NAMA_LGKP"] == "Sesuai (85)"
    assert simulator.records(default)[0]["NAMA_LGKP"] == "Tidak Sesuai (85)"  # 90


async def test_an_unknown_nik_is_not_found_and_nothing_more(simulator: Simulator) -> None:
    answer = await simulator.call("CALL_VERIFY_BY_ELEMEN", {**SITI, "NIK": UNKNOWN_NIK})

    assert simulator.refusal(answer) == NOT_FOUND
    (call, *_) = await simulator.calls()
    assert (call["service"], call["nik"], call["answer"]) == (
        "CALL_VERIFY_BY_ELEMEN",
        UNKNOWN_NIK,
        "not_found",
    )


async def test_call_nik_reads_a_resident_with_the_cards_address(simulator: Simulator) -> None:
    answer = await simulator.call("CALL_NIK", {"NIK": AGUS_NIK})

    assert simulator.records(answer) == [
        {
            "NIK": AGUS_NIK,
            "NO_KK": AGUS_CARD,
            "NAMA_LGKP": "AGUS SALIM",
            "TMPT_LHR": "TANGERANG",
            "TGL_LHR": "01-01-1970",
            "JENIS_KLMIN": "LAKI-LAKI",
            "STAT_HBKEL": "KEPALA KELUARGA",
            "ALAMAT": "JL. MAWAR NO. 12",
            "NO_RT": "003",
            "NO_RW": "005",
            "NO_PROP": "36",
            "NO_KAB": "71",
            "NO_KEC": "01",
            "NO_KEL": "1007",
            "PROP_NAME": "BANTEN",
            "KAB_NAME": "KOTA TANGERANG",
            "KEC_NAME": "TANGERANG",
            "KEL_NAME": "SUKASARI",
        }
    ]


async def test_call_nik_for_an_unknown_nik_is_not_found(simulator: Simulator) -> None:
    answer = await simulator.call("CALL_NIK", {"NIK": UNKNOWN_NIK})

    assert simulator.refusal(answer) == NOT_FOUND


async def test_call_kk_lists_every_member_head_first_with_the_issue_date(
    simulator: Simulator,
) -> None:
    answer = await simulator.call("CALL_KK", {"NO_KK": AGUS_CARD})

    members = simulator.records(answer)
    assert [(m["NIK"], m["NAMA_LGKP"], m["STAT_HBKEL"], m["TGL_LHR"]) for m in members] == [
        (AGUS_NIK, "AGUS SALIM", "KEPALA KELUARGA", "01-01-1970"),
        ("3329015806750001", "RINA MARLINA", "ISTRI", "18-06-1975"),
        ("3671010411130001", "MUHAMMAD RIZKY PRATAMA", "ANAK", "04-11-2013"),
        ("3671015707160001", "AISYAH PUTRI SALIM", "ANAK", "17-07-2016"),
    ]
    assert {m["NO_KK"] for m in members} == {AGUS_CARD}
    assert {m["TGL_TERBIT_KK"] for m in members} == {"04-03-2018"}
    assert {(m["LATITUDE"], m["LONGITUDE"]) for m in members} == {("-6.180100", "106.629700")}
    assert members[1]["TMPT_LHR"] == "BREBES"  # first registered in 33.29, Kabupaten Brebes
    call_nik = simulator.records(await simulator.call("CALL_NIK", {"NIK": AGUS_NIK}))[0]
    assert {k: v for k, v in members[0].items() if k in call_nik} == call_nik


async def test_call_kk_for_an_unknown_card_is_not_found(simulator: Simulator) -> None:
    answer = await simulator.call("CALL_KK", {"NO_KK": "3671010403180099"})

    assert simulator.refusal(answer) == NOT_FOUND


@pytest.mark.parametrize(
    ("account", "institution"),
    [
        ({"PASSWORD": "not-the-password"}, "PEMKOT_TANGERANG"),
        ({"PASSWORD": DEV_PASSWORD + "x"}, "PEMKOT_TANGERANG"),
        ({"USER_ID": "somebody-else"}, "PEMKOT_TANGERANG"),
        ({}, "PEMKAB_SERANG"),
    ],
    ids=["wrong-password", "longer-password", "unknown-user", "another-institution"],
)
async def test_a_wrong_account_is_refused_alike_whatever_is_wrong(
    simulator: Simulator, account: dict[str, str], institution: str
) -> None:
    answer = await simulator.call(
        "CALL_NIK",
        {"NIK": AGUS_NIK},
        account=DEV_ACCOUNT | account,
        institution=institution,
    )

    assert simulator.refusal(answer) == WRONG_CREDENTIALS
    (call, *_) = await simulator.calls()
    assert call["answer"] == "wrong_credentials"
    assert call["institution"] == institution
    assert call["user_id"] == (DEV_ACCOUNT | account)["USER_ID"]


async def test_an_address_the_account_did_not_register_is_refused(simulator: Simulator) -> None:
    answer = await simulator.call(
        "CALL_NIK", {"NIK": AGUS_NIK}, account=DEV_ACCOUNT | {"IP_USER": "10.20.30.40"}
    )

    assert simulator.refusal(answer) == IP_NOT_REGISTERED
    (call, *_) = await simulator.calls()
    assert (call["answer"], call["ip_user"]) == ("ip_not_registered", "10.20.30.40")


def account(*, daily_quota: int) -> dict[str, Account]:
    return {
        DEV_USER_ID: Account(
            password=DEV_PASSWORD,
            institution="PEMKOT_TANGERANG",
            ips=["127.0.0.1"],
            daily_quota=daily_quota,
        ),
        "another-agency": Account(
            password="another-password",
            institution="PEMKOT_TANGERANG",
            ips=["127.0.0.1"],
            daily_quota=daily_quota,
        ),
    }


@pytest.fixture
def clock() -> MovableClock:
    clock = MovableClock()
    # 23:00 in Jakarta (UTC+7) on 1 March: the local day ends at 17:00 UTC.
    clock.fixed = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    return clock


@pytest.fixture
async def rationed(
    start_simulator: StartSimulator, clock: MovableClock
) -> AsyncIterator[Simulator]:
    """A simulator whose accounts may call three times a day."""
    async with start_simulator(clock=clock, accounts=account(daily_quota=3)) as running:
        yield running


async def test_every_call_of_the_day_counts_until_the_quota_is_spent(
    rationed: Simulator,
) -> None:
    found = await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})
    not_found = await rationed.call("CALL_NIK", {"NIK": UNKNOWN_NIK})
    verified = await rationed.call("CALL_VERIFY_BY_ELEMEN", SITI)
    refused = await rationed.call("CALL_KK", {"NO_KK": AGUS_CARD})
    refused_again = await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})

    assert rationed.records(found)[0]["NIK"] == AGUS_NIK
    assert rationed.refusal(not_found) == NOT_FOUND
    assert rationed.records(verified)[0]["NIK"] == "Sesuai"
    assert rationed.refusal(refused) == QUOTA_EXHAUSTED
    assert rationed.refusal(refused_again) == QUOTA_EXHAUSTED
    assert [c["answer"] for c in await rationed.calls(limit=2)] == ["quota_exhausted"] * 2
    other = DEV_ACCOUNT | {"USER_ID": "another-agency", "PASSWORD": "another-password"}
    theirs = await rationed.call("CALL_NIK", {"NIK": AGUS_NIK}, account=other)
    assert rationed.records(theirs)[0]["NIK"] == AGUS_NIK  # each account has its own


async def test_refused_accounts_spend_nothing(rationed: Simulator) -> None:
    for _ in range(5):
        wrong = DEV_ACCOUNT | {"PASSWORD": "wrong"}
        await rationed.call("CALL_NIK", {"NIK": AGUS_NIK}, account=wrong)

    answer = await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})

    assert rationed.records(answer)[0]["NIK"] == AGUS_NIK


async def test_a_new_day_in_jakarta_brings_a_new_quota(
    rationed: Simulator, clock: MovableClock
) -> None:
    for _ in range(3):
        await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})
    clock.fixed = datetime(2026, 3, 1, 16, 59, 59, tzinfo=UTC)  # 23:59:59 local
    still_spent = await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})

    clock.fixed = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)  # midnight local: 2 March
    next_day = await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})

    assert rationed.refusal(still_spent) == QUOTA_EXHAUSTED
    assert rationed.records(next_day)[0]["NIK"] == AGUS_NIK


async def test_a_quota_reset_starts_the_day_again(rationed: Simulator) -> None:
    for _ in range(3):
        await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})
    assert rationed.refusal(await rationed.call("CALL_NIK", {"NIK": AGUS_NIK})) == QUOTA_EXHAUSTED

    reset = await rationed.client.post("/simulator/quota/reset")

    assert reset.status_code == 204
    assert reset.content == b""
    answers = [await rationed.call("CALL_NIK", {"NIK": AGUS_NIK}) for _ in range(4)]
    assert [a.json()["content"][0].get("RESPON") for a in answers] == [None] * 3 + [QUOTA_EXHAUSTED]


async def test_an_unknown_service_is_404(simulator: Simulator) -> None:
    answer = await simulator.call("CALL_FOTO", {"NIK": AGUS_NIK})

    assert answer.status_code == 404
    assert answer.json() == {"RESPON": "Layanan tidak dikenal"}
    (call, *_) = await simulator.calls()
    assert (call["service"], call["answer"]) == ("CALL_FOTO", "unknown_service")


@pytest.mark.parametrize(
    ("service", "body", "text"),
    [
        ("CALL_NIK", b"not json", "Parameter tidak lengkap"),
        ("CALL_NIK", b'["NIK", "3671010101700001"]', "Parameter tidak lengkap"),
        ("CALL_NIK", DEV_ACCOUNT, "Parameter tidak lengkap"),
        ("CALL_NIK", DEV_ACCOUNT | {"NIK": "  "}, "Parameter tidak lengkap"),
        ("CALL_NIK", DEV_ACCOUNT | {"NIK": 3671010101700001}, "Parameter tidak lengkap"),
        ("CALL_KK", DEV_ACCOUNT | {"NIK": AGUS_NIK}, "Parameter tidak lengkap"),
        ("CALL_NIK", {"NIK": AGUS_NIK, "USER_ID": DEV_USER_ID}, "Parameter tidak lengkap"),
        (
            "CALL_VERIFY_BY_ELEMEN",
            DEV_ACCOUNT | SITI | {"TRESHOLD": "high"},
            "Parameter tidak valid",
        ),
        (
            "CALL_VERIFY_BY_ELEMEN",
            DEV_ACCOUNT | SITI | {"TRESHOLD": "101"},
            "Parameter tidak valid",
        ),
        ("CALL_VERIFY_BY_ELEMEN", DEV_ACCOUNT | SITI | {"TRESHOLD": 90}, "Parameter tidak valid"),
        ("CALL_VERIFY_BY_ELEMEN", DEV_ACCOUNT | SITI | {"TGL_LHR": None}, "Parameter tidak valid"),
    ],
)
async def test_a_malformed_call_is_400(
    simulator: Simulator, service: str, body: bytes | dict[str, Any], text: str
) -> None:
    url = f"/dukcapil/get_json/PEMKOT_TANGERANG/{service}"
    if isinstance(body, bytes):
        answer = await simulator.client.post(url, content=body)
    else:
        answer = await simulator.client.post(url, json=body)

    assert answer.status_code == 400
    assert answer.json() == {"RESPON": text}
    (call, *_) = await simulator.calls()
    assert call["answer"] == "bad_request"


async def test_a_body_over_the_limit_is_413_unread(start_simulator: StartSimulator) -> None:
    async with start_simulator(max_body_bytes=1024) as simulator:
        padded = DEV_ACCOUNT | {"NIK": AGUS_NIK, "PADDING": "x" * 1024}
        too_large = await simulator.call("CALL_NIK", padded)
        just_fits = await simulator.call("CALL_NIK", {"PADDING": "x" * 800, "NIK": AGUS_NIK})
        calls = await simulator.calls()

    assert too_large.status_code == 413
    assert too_large.json() == {"RESPON": "Ukuran permintaan melebihi batas"}
    assert too_large.headers["connection"] == "close"
    assert simulator.records(just_fits)[0]["NIK"] == AGUS_NIK
    assert [c["answer"] for c in calls] == ["found"]  # the refused one never reached it


async def test_a_streamed_body_is_413_once_it_passes_the_limit(
    start_simulator: StartSimulator,
) -> None:
    """Chunked, without a Content-Length, and never finished: the answer comes anyway, so
    the simulator refused it as it passed the limit instead of reading on to the end."""
    async with start_simulator(max_body_bytes=1024) as simulator:
        host, port = simulator.client.base_url.host, simulator.client.base_url.port
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(
                b"POST /dukcapil/get_json/PEMKOT_TANGERANG/CALL_NIK HTTP/1.1\r\n"
                b"Host: regsim\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            for _ in range(5):  # 1,280 bytes, and no last chunk
                writer.write(b"100\r\n" + b"x" * 256 + b"\r\n")
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), timeout=10)  # until it closes
        finally:
            writer.close()
        after = await simulator.call("CALL_NIK", {"NIK": AGUS_NIK})
        calls = await simulator.calls()

    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 "), raw
    assert b"connection: close" in head.lower()
    assert json.loads(body) == {"RESPON": "Ukuran permintaan melebihi batas"}
    assert simulator.records(after)[0]["NIK"] == AGUS_NIK  # still serving
    assert [c["answer"] for c in calls] == ["found"]


async def test_down_for_maintenance_every_call_is_503(simulator: Simulator) -> None:
    down = await simulator.client.put("/simulator/availability", json={"mode": "down"})

    answers = [
        await simulator.call("CALL_NIK", {"NIK": AGUS_NIK}),
        await simulator.call("CALL_VERIFY_BY_ELEMEN", SITI),
        await simulator.call("CALL_KK", {"NO_KK": AGUS_CARD}, account={}),
    ]

    assert down.json() == {"mode": "down", "delay_seconds": 0.0}
    assert {a.status_code for a in answers} == {503}
    assert {a.text for a in answers} == {'{"RESPON":"Layanan sedang dalam pemeliharaan"}'}
    calls = await simulator.calls(limit=3)
    assert [c["service"] for c in calls] == ["CALL_KK", "CALL_VERIFY_BY_ELEMEN", "CALL_NIK"]
    assert {c["answer"] for c in calls} == {"unavailable"}


class RecordedSleep:
    """Stands in for ``asyncio.sleep``: records how long the app meant to wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def test_slow_calls_wait_first_then_answer_as_usual(simulator: Simulator) -> None:
    sleep = RecordedSleep()
    simulator.app.state.sleep = sleep
    slow = await simulator.client.put(
        "/simulator/availability", json={"mode": "slow", "delay_seconds": 2.5}
    )

    answer = await simulator.call("CALL_NIK", {"NIK": AGUS_NIK})

    assert slow.json() == {"mode": "slow", "delay_seconds": 2.5}
    assert sleep.waits == [2.5]
    assert simulator.records(answer)[0]["NIK"] == AGUS_NIK


async def test_up_again_answers_without_waiting(simulator: Simulator) -> None:
    sleep = RecordedSleep()
    simulator.app.state.sleep = sleep
    await simulator.client.put("/simulator/availability", json={"mode": "down"})
    await simulator.client.put("/simulator/availability", json={"mode": "slow", "delay_seconds": 1})

    up = await simulator.client.put("/simulator/availability", json={"mode": "up"})
    answer = await simulator.call("CALL_NIK", {"NIK": AGUS_NIK})

    assert up.json() == {"mode": "up", "delay_seconds": 0.0}
    assert (await simulator.client.get("/simulator/availability")).json() == up.json()
    assert sleep.waits == []
    assert simulator.records(answer)[0]["NIK"] == AGUS_NIK


async def test_found_and_refused_alike_are_200_pages(simulator: Simulator) -> None:
    """The shape the gateway's adapter reads: only the content tells them apart."""
    found = await simulator.call("CALL_NIK", {"NIK": AGUS_NIK})
    missing = await simulator.call("CALL_NIK", {"NIK": UNKNOWN_NIK})

    assert found.status_code == missing.status_code == 200
    assert set(found.json()) == set(missing.json())
    assert set(found.json()) == {
        "content",
        "lastPage",
        "numberOfElements",
        "sort",
        "totalElements",
        "firstPage",
        "number",
        "size",
    }
