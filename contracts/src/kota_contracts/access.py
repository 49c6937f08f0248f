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
    CITY_ADMIN = "city_admin"


class Scope(enum.StrEnum):
    """What an agency client's token may be granted (``scope`` claim)."""

    PERMITS_VERIFY = "permits:verify"
    PAYMENTS_INVOICES_WRITE = "payments:invoices:write"
    HEALTH_FHIR_READ = "health:fhir:read"
    EDUCATION_RESULTS_READ = "education:results:read"
    MONITORING_READ = "monitoring:read"
