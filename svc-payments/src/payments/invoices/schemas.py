"""What clients receive about invoices."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from payments.invoices.models import InvoiceStatus


class InvoiceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    source_reference: str
    description: str
    amount_rupiah: int = Field(description="Whole rupiah (currency code 360).", examples=[150000])
    status: InvoiceStatus
    due_at: datetime
    created_at: datetime
