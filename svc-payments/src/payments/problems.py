"""The payments service's own problems (RFC 9457), each with a stable code."""

from kota_shared.problems import Conflict, Problem, ValidationFailed
from payments.messages import _


class UnknownPaymentReference(ValidationFailed):
    code = "unknown_payment_reference"
    title = _("No invoice has this virtual account or bill number.")


class AmountMismatch(ValidationFailed):
    code = "amount_mismatch"
    title = _("The amount paid does not match the invoice.")


class SourceReferenceConflict(Conflict):
    code = "source_reference_conflict"
    title = _("An invoice for this reference already exists with different details.")


class RefundExceedsRefundable(ValidationFailed):
    code = "refund_exceeds_refundable"
    title = _("The refund is larger than what can still be refunded.")


class RefundableChanged(Problem):
    """GOV.UK Pay's answer when the client's idea of the refundable amount is stale."""

    status = 412
    code = "refundable_amount_changed"
    title = _("The refundable amount has changed since you looked; check it and try again.")


class InvoiceNotRefundable(Conflict):
    code = "invoice_not_refundable"
    title = _("Only a paid invoice can be refunded.")


class InvoiceNotOpen(Conflict):
    code = "invoice_not_open"
    title = _("Only an open invoice can be cancelled.")


class InvalidStatementFile(ValidationFailed):
    code = "invalid_settlement_statement"
    title = _("The settlement statement could not be read.")
