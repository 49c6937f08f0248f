"""The payments service's own problems (RFC 9457), each with a stable code."""

from kota_shared.problems import Conflict, Problem, Unauthorized, ValidationFailed


class InvalidCallbackSignature(Unauthorized):
    code = "invalid_callback_signature"
    title_en = "The notification's signature is missing or does not verify."
    title_id = "Tanda tangan notifikasi tidak ada atau tidak sah."


class CallbackTimestampOutOfRange(Problem):
    status = 400
    code = "callback_timestamp_out_of_range"
    title_en = "The notification's timestamp is too old or in the future."
    title_id = "Cap waktu notifikasi terlalu lama atau berada di masa depan."


class UnknownPaymentReference(ValidationFailed):
    code = "unknown_payment_reference"
    title_en = "No invoice has this virtual account or bill number."
    title_id = "Tidak ada tagihan dengan nomor virtual account atau nomor tagihan ini."


class AmountMismatch(ValidationFailed):
    code = "amount_mismatch"
    title_en = "The amount paid does not match the invoice."
    title_id = "Jumlah pembayaran tidak sesuai dengan tagihan."


class SourceReferenceConflict(Conflict):
    code = "source_reference_conflict"
    title_en = "An invoice for this reference already exists with different details."
    title_id = "Tagihan untuk referensi ini sudah ada dengan rincian yang berbeda."


class RefundExceedsRefundable(ValidationFailed):
    code = "refund_exceeds_refundable"
    title_en = "The refund is larger than what can still be refunded."
    title_id = "Jumlah pengembalian melebihi sisa yang dapat dikembalikan."


class RefundableChanged(Problem):
    """GOV.UK Pay's answer when the client's idea of the refundable amount is stale."""

    status = 412
    code = "refundable_amount_changed"
    title_en = "The refundable amount has changed since you looked; check it and try again."
    title_id = "Sisa yang dapat dikembalikan telah berubah; periksa kembali lalu ulangi."


class InvoiceNotRefundable(Conflict):
    code = "invoice_not_refundable"
    title_en = "Only a paid invoice can be refunded."
    title_id = "Hanya tagihan yang sudah dibayar yang dapat dikembalikan."


class InvoiceNotOpen(Conflict):
    code = "invoice_not_open"
    title_en = "Only an open invoice can be cancelled."
    title_id = "Hanya tagihan yang masih terbuka yang dapat dibatalkan."


class InvalidStatementFile(ValidationFailed):
    code = "invalid_settlement_statement"
    title_en = "The settlement statement could not be read."
    title_id = "Laporan penyelesaian transaksi tidak dapat dibaca."
