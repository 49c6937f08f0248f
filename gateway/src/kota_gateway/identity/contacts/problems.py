"""What the contact API refuses besides a caller without its scope (``forbidden``)."""

from kota_gateway.messages import _
from kota_shared.problems import NotFound


class AccountNotFound(NotFound):
    """The contact API was asked for an account id no account has (the read is still
    audited); a lookup of several lists such ids in ``unknown`` instead."""

    code = "account_not_found"
    title = _("No account has this id.")
