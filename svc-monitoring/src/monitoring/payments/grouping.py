"""How payments figures are grouped (what the API and the dashboard ask for)."""

from enum import StrEnum


class PaymentGrouping(StrEnum):
    SOURCE = "source"
    DAY = "day"
    MONTH = "month"
