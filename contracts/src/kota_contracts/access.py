"""Who may do what: the roles a Kota LIVE token carries and the scopes an agency client is
granted. The gateway issues them and every service checks them, so they are one definition
here rather than string literals in each service (a typo there would lock everyone out)."""

import enum


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    PERMITS_OFFICER = "permits_officer"
    CLINIC_OFFICER = "clinic_officer"
    SCHOOL_OFFICER = "school_officer"
    FINANCE_OFFICER = "finance_officer"
    MONITORING_VIEWER = "monitoring_viewer"
    INFORMATION_OFFICER = "information_officer"
    """Publishes the city's announcements and hands notices over at a kiosk."""
    CITY_ADMIN = "city_admin"


class Scope(enum.StrEnum):
    """What an agency client's token may be granted (``scope`` claim).

    Only scopes that some operation requires (``Require(scopes=...)``): a scope offered
    with nothing behind it would promise an agency access that does not exist. A test in
    the gateway's suite fails when one is left without an operation.
    """

    PERMITS_VERIFY = "permits:verify"
    PAYMENTS_INVOICES_WRITE = "payments:invoices:write"
    MONITORING_READ = "monitoring:read"
    IDENTITY_CONTACTS_READ = "identity:contacts:read"


SCOPE_PURPOSES: dict[Scope, str] = {
    Scope.PERMITS_VERIFY: "Look up an issued permit (an agency, e.g. a bank, checking it).",
    Scope.PAYMENTS_INVOICES_WRITE: "Open invoices on the city's behalf (an agency billing).",
    Scope.MONITORING_READ: "Read the city's service-level figures.",
    Scope.IDENTITY_CONTACTS_READ: (
        "Read an account's contact details (phone, district) to reach the person: the city's "
        "own services only (information), never an outside agency."
    ),
}
"""What each scope lets an agency do, as the API documents show it to integrators."""
