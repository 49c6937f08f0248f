"""What the kiosk's letters refuse besides a caller without a role (``forbidden``) and
another citizen's letters (``not_found``)."""

from information.messages import _
from kota_shared.problems import Forbidden, NotFound


class NotRegisteredAtKiosk(Forbidden):
    """An information officer sees the letters of citizens a kiosk registered; anyone else's
    are printed only in an assisted session, with the citizen's own token."""

    code = "not_registered_at_kiosk"
    title = _(
        "This citizen was not registered at a kiosk: print their letters in an assisted "
        "session, with their own token."
    )


class HandoverByOfficerOnly(Forbidden):
    code = "handover_by_officer_only"
    title = _(
        "Only an officer at a kiosk hands a letter over: an information officer, or an "
        "officer in an assisted session for the citizen."
    )


class NoPendingLetters(NotFound):
    code = "no_pending_letters"
    title = _("This citizen has no letters waiting to be handed over.")
