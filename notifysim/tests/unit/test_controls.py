"""A number's controls: held for every send, or counted down over the next ones."""

from kota_notifysim.controls import DEFAULT, Behaviour, Controls

NUMBER = "+6281234567890"


def test_a_number_without_controls_is_delivered_and_read() -> None:
    assert Controls().take(NUMBER) == DEFAULT == Behaviour(fate="delivered", read=True)


def test_controls_without_times_hold_until_changed() -> None:
    controls = Controls()
    controls.set_number(NUMBER, Behaviour(fate="permanent_failure"))

    fates = [controls.take(NUMBER).fate for _ in range(3)]

    assert fates == ["permanent_failure"] * 3


def test_times_counts_the_next_sends_then_the_number_fares_as_any_other() -> None:
    controls = Controls()
    controls.set_number(NUMBER, Behaviour(fate="temporary_failure", times=2))

    fates = [controls.take(NUMBER).fate for _ in range(3)]

    assert fates == ["temporary_failure", "temporary_failure", "delivered"]
    assert controls.number(NUMBER) is None


def test_reset_forgets_numbers_and_brings_every_channel_up() -> None:
    controls = Controls()
    controls.set_number(NUMBER, Behaviour(fate="refused"))
    controls.set_up("sms", False)

    controls.reset()

    assert controls.number(NUMBER) is None
    assert controls.is_up("sms")
    assert controls.is_up("whatsapp")
