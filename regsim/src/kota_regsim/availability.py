"""Whether the registry answers: up, down for maintenance (503), or slow (each call waits)."""

from dataclasses import dataclass
from typing import Literal

Mode = Literal["up", "down", "slow"]


@dataclass(frozen=True)
class Availability:
    mode: Mode = "up"
    delay_seconds: float = 0.0
    """How long each call waits before it is handled, in ``slow`` mode."""

    @property
    def delay(self) -> float:
        return self.delay_seconds if self.mode == "slow" else 0.0


class Switch:
    """The registry's current availability; replaced whole, so a reader never sees half."""

    def __init__(self) -> None:
        self.current = Availability()

    def set(self, availability: Availability) -> None:
        self.current = availability
