"""The settlement statement as CSV: what the provider says it paid out on one local day.

The payments service reconciles its ledger against this file, so it lists every settled
payment, including those whose callback was never sent or never acknowledged.
"""

import csv
import io
from collections.abc import Iterable

from kota_paysim.ledger import Payment
from kota_paysim.schemas import PaymentRead

COLUMNS = ("provider_transaction_id", "channel", "reference", "amount", "paid_at")


def render_statement(payments: Iterable[Payment]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for payment in payments:
        writer.writerow(PaymentRead.of(payment).model_dump(mode="json"))
    return out.getvalue()
