"""When a send the provider did not take is tried again, and when it is given up: the suite's
jittered exponential back-off (`kota_shared.backoff`), within the time the citizen's channel
is given before the next one is tried."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from kota_shared.backoff import Backoff


@dataclass(frozen=True)
class RetryPolicy:
    backoff: Backoff
    give_up_after: timedelta
    """From the first attempt: a provider down longer than this hands the notice on to the
    next channel (the same time a receipt is waited for)."""

    def next_try(
        self, *, now: datetime, attempts: int, first_attempted_at: datetime
    ) -> datetime | None:
        """When to try again after ``attempts`` tries, or None to give up."""
        at = now + timedelta(seconds=self.backoff.delay(attempts))
        return None if at > first_attempted_at + self.give_up_after else at
