"""The one refusal a caller gets when the civil registry cannot answer: nothing is decided
as if it had (no citizen registered unverified, no family card guessed)."""

from kota_gateway.messages import _
from kota_shared.problems import Forbidden, NotFound, Problem

RETRY_AFTER_SECONDS = 60
"""What ``Retry-After`` says when the registry is down or slow: a maintenance window or a
network fault is minutes long, and a citizen retrying sooner only spends the quota."""


class RegistryUnavailable(Problem):
    status = 503
    code = "registry_unavailable"
    title = _(
        "The civil registry (Dukcapil) cannot be reached right now, so your details cannot "
        "be checked. Nothing was saved; please try again later."
    )

    def __init__(self, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(
            _("Please try again in a few minutes."),
            headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
        )


class FamilyCardNotFound(NotFound):
    code = "family_card_not_found"
    title = _("The civil registry lists no family card (KK) for your NIK.")


class CitizensOnly(Forbidden):
    code = "citizens_only"
    title = _("Only a citizen's own account has a family card (KK) to read.")
