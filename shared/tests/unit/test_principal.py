"""Who a record names as having acted: the kiosk officer when there is one."""

from kota_shared.auth import Principal


def test_a_citizen_acting_alone_is_the_one_who_acted() -> None:
    assert Principal(subject="citizen-1", roles=frozenset({"citizen"})).acted_by == "citizen-1"


def test_at_a_kiosk_the_officer_is_the_one_who_acted() -> None:
    at_kiosk = Principal(
        subject="citizen-1", roles=frozenset({"citizen"}), acting_officer="officer-7"
    )

    assert at_kiosk.acted_by == "officer-7"
    assert at_kiosk.subject == "citizen-1"  # the record still belongs to the citizen
