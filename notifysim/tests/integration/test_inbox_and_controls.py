"""The inbox a developer reads (JSON and a page) and the controls a test sets, over HTTP;
their errors are problem documents."""

import pytest
from notifysim_harness import NUMBER, Simulator, StartSimulator

from kota_shared.testing.problems import assert_problem

OTHER = "+6281298765432"


async def test_the_inbox_lists_what_was_sent_newest_first_and_filters(
    simulator: Simulator,
) -> None:
    first = (await simulator.sms(text="Izin diajukan", reference="n-1")).json()["message_id"]
    second = (await simulator.whatsapp("Budi", biz_opaque_callback_data="n-2")).json()
    third = (await simulator.sms(to=OTHER, text="Tagihan dibuka")).json()["message_id"]
    wamid = second["messages"][0]["id"]

    async def ids(**params: str | int) -> list[str]:
        answer = await simulator.client.get("/messages", params=params)
        assert answer.status_code == 200, answer.text
        return [m["message_id"] for m in answer.json()]

    assert await ids() == [third, wamid, first]
    assert await ids(to=NUMBER) == [wamid, first]
    assert await ids(to=NUMBER.removeprefix("+")) == [wamid, first]
    assert await ids(to=NUMBER.replace("+", " ")) == [wamid, first]  # an unescaped + in a query
    assert await ids(channel="sms") == [third, first]
    assert await ids(reference="n-2") == [wamid]
    assert await ids(limit=1) == [third]
    (sms,) = (await simulator.client.get("/messages", params={"reference": "n-1"})).json()
    assert sms["text"] == "Izin diajukan"
    assert (sms["channel"], sms["to"], sms["segments"], sms["encoding"]) == (
        "sms",
        NUMBER,
        1,
        "GSM-7",
    )
    assert sms["fate"] == "delivered"
    assert sms["planned_receipts"] == ["DELIVRD"]


async def test_the_inbox_keeps_the_newest_messages_only(start_simulator: StartSimulator) -> None:
    async with start_simulator(inbox_size=2) as simulator:
        sent = [(await simulator.sms(text=f"{n}")).json()["message_id"] for n in range(3)]
        listed = (await simulator.client.get("/messages")).json()
        forgotten = await simulator.client.get(f"/messages/{sent[0]}")

    assert [m["message_id"] for m in listed] == sent[:0:-1]
    assert_problem(forgotten, 404, "message_not_found")


@pytest.mark.parametrize(
    "params", [{"to": "0812"}, {"channel": "email"}, {"limit": 0}, {"limit": 1001}]
)
async def test_a_bad_filter_is_a_validation_problem(
    simulator: Simulator, params: dict[str, str | int]
) -> None:
    answer = await simulator.client.get("/messages", params=params)

    assert_problem(answer, 422, "validation_failed")


async def test_the_page_shows_what_phones_show_escaped_and_scriptless(
    simulator: Simulator,
) -> None:
    await simulator.sms(text="<script>alert(1)</script> Izin disetujui")
    await simulator.whatsapp("Budi & Ani")

    page = await simulator.client.get("/")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Izin disetujui" in page.text
    assert "Budi &amp; Ani" in page.text
    assert "izin_disetujui" in page.text
    stylesheet = await simulator.client.get("/static/inbox.css")
    assert stylesheet.status_code == 200
    assert stylesheet.headers["content-type"].startswith("text/css")


async def test_the_page_filters_by_number(simulator: Simulator) -> None:
    await simulator.sms(text="untuk yang pertama")
    await simulator.sms(to=OTHER, text="untuk yang kedua")

    page = await simulator.client.get("/", params={"to": OTHER})

    assert "untuk yang kedua" in page.text
    assert "untuk yang pertama" not in page.text


async def test_a_numbers_controls_are_read_set_and_released(simulator: Simulator) -> None:
    path = f"/control/numbers/{NUMBER.removeprefix('+')}"

    before = (await simulator.client.get(path)).json()
    put = await simulator.client.put(
        path, json={"fate": "temporary_failure", "receipt_delay_seconds": 30, "times": 2}
    )
    released = await simulator.client.delete(path)
    after = (await simulator.client.get(path)).json()

    assert before == {
        "number": NUMBER,
        "controlled": False,
        "fate": "delivered",
        "read": True,
        "receipt_delay_seconds": None,
        "withhold_receipts": False,
        "times": None,
    }
    assert put.json() == before | {
        "controlled": True,
        "fate": "temporary_failure",
        "receipt_delay_seconds": 30,
        "times": 2,
    }
    assert released.status_code == 204
    assert after == before


@pytest.mark.parametrize("number", ["0812345", "halo", "+62"])
async def test_controls_need_an_international_number(simulator: Simulator, number: str) -> None:
    answer = await simulator.client.put(f"/control/numbers/{number}", json={"fate": "refused"})

    problem = assert_problem(answer, 422, "validation_failed")
    assert [e["field"] for e in problem["errors"]] == ["number"]


@pytest.mark.parametrize(
    "body",
    [
        {"fate": "lost"},
        {"receipt_delay_seconds": -1},
        {"times": 0},
        {"withhold_receipts": "perhaps"},
    ],
)
async def test_bad_controls_are_a_validation_problem(
    simulator: Simulator, body: dict[str, object]
) -> None:
    answer = await simulator.client.put(f"/control/numbers/{NUMBER}", json=body)

    assert_problem(answer, 422, "validation_failed")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/control/availability", {"sms": "sideways"}),
        ("/control/receipts", {"sms_url": "not a url"}),
    ],
)
async def test_bad_switches_are_a_validation_problem(
    simulator: Simulator, path: str, body: dict[str, str]
) -> None:
    assert_problem(await simulator.client.put(path, json=body), 422, "validation_failed")


async def test_unknown_paths_and_probes(simulator: Simulator) -> None:
    assert_problem(await simulator.client.get("/nowhere"), 404, "not_found")
    assert_problem(await simulator.client.get("/messages/"), 404, "not_found")  # no redirect
    assert (await simulator.client.get("/livez")).json() == {"status": "alive"}
    assert (await simulator.client.get("/readyz")).json() == {"status": "ready"}


async def test_the_api_description_documents_the_receipts(simulator: Simulator) -> None:
    openapi = (await simulator.client.get("/openapi.json")).json()

    assert set(openapi["webhooks"]) == {"sms-delivery-report", "whatsapp-status"}
    operations = [op for path in openapi["paths"].values() for op in path.values()]
    assert all("Who may call" in op["description"] for op in operations)
