"""What tests and developers tell the simulator: how a number fares, and whether each
provider is up.

A number without controls gets its messages delivered (and, on WhatsApp, read), with
receipts after the configured delay. Controls for a number hold for both channels, for
every send or for the next ``times`` sends only, after which the number fares as any other.
"""

import threading
from dataclasses import dataclass, replace
from typing import Literal

from kota_notifysim.inbox import Channel

Fate = Literal["delivered", "permanent_failure", "temporary_failure", "refused"]
"""``refused``: the send itself is answered with an error, no message is taken. The
others are taken and then reported by their receipts: delivered, failed for good (not a
number that can receive it), or failed for now (the phone stayed off)."""

CHANNELS: tuple[Channel, ...] = ("sms", "whatsapp")


@dataclass(frozen=True)
class Behaviour:
    fate: Fate = "delivered"
    read: bool = True
    """On WhatsApp, a delivered message is also read (a ``read`` status follows)."""
    receipt_delay_seconds: float | None = None
    """How long after the send the receipts start; None: the simulator's default."""
    withhold_receipts: bool = False
    """Never send this number's receipts, as when a provider loses them."""
    times: int | None = None
    """How many more sends these controls hold for; None: until they are changed."""


DEFAULT = Behaviour()


class Controls:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._numbers: dict[str, Behaviour] = {}
        self._down: set[Channel] = set()

    def set_number(self, number: str, behaviour: Behaviour) -> None:
        with self._lock:
            self._numbers[number] = behaviour

    def number(self, number: str) -> Behaviour | None:
        with self._lock:
            return self._numbers.get(number)

    def forget_number(self, number: str) -> bool:
        with self._lock:
            return self._numbers.pop(number, None) is not None

    def take(self, number: str) -> Behaviour:
        """How one send to ``number`` fares, counting it against the controls' ``times``."""
        with self._lock:
            behaviour = self._numbers.get(number)
            if behaviour is None:
                return DEFAULT
            if behaviour.times is not None:
                if behaviour.times <= 1:
                    del self._numbers[number]
                else:
                    self._numbers[number] = replace(behaviour, times=behaviour.times - 1)
            return behaviour

    def is_up(self, channel: Channel) -> bool:
        with self._lock:
            return channel not in self._down

    def set_up(self, channel: Channel, up: bool) -> None:
        with self._lock:
            if up:
                self._down.discard(channel)
            else:
                self._down.add(channel)

    def reset(self) -> None:
        with self._lock:
            self._numbers.clear()
            self._down.clear()
