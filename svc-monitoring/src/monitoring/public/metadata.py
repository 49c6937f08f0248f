"""Each open dataset's metadata, in the spirit of Satu Data Indonesia (Perpres 39/2019).

Satu Data asks four things of government data: a data standard, metadata, interoperability
and reference codes. Here: every dataset is a UTF-8 CSV with a header row and the same rows
as JSON, dates in ISO 8601, districts by their Kemendagri codes (the code list is in the
metadata), and a metadata document that says what the data is, who publishes it, under
which licence, how often it changes, what each column means and how small cells are
suppressed. Texts are given in Bahasa Indonesia and English.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kota_shared.i18n import Message
from monitoring.config import MonitoringSettings
from monitoring.messages import _
from monitoring.public.datasets import Dataset, Scope
from monitoring.public.suppression import marker

DATA_URL = "/v1/monitoring/public/data"
LICENCE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
REGION_CODE_LIST = (
    "Kode dan data wilayah administrasi pemerintahan (Kemendagri), "
    "Kepmendagri No. 300.2.2-2138 Tahun 2025"
)
PRODUCER = "Kota LIVE e-Monitoring"


def bilingual(message: Message) -> dict[str, str]:
    return {"id": message.render("id"), "en": message.render("en")}


def urls(identifier: str) -> dict[str, str]:
    return {
        "csv": f"{DATA_URL}/{identifier}.csv",
        "json": f"{DATA_URL}/{identifier}.json",
        "metadata": f"{DATA_URL}/{identifier}.metadata.json",
    }


def document(
    dataset: Dataset, *, scope: Scope, settings: MonitoringSettings, now: datetime
) -> dict[str, Any]:
    """The metadata of ``dataset`` over ``scope``, as of ``now``."""
    links = urls(dataset.identifier)
    shown = marker(scope.minimum)
    return {
        "identifier": dataset.identifier,
        "title": bilingual(dataset.title),
        "description": bilingual(dataset.description),
        "publisher": settings.open_data_publisher,
        "producer": PRODUCER,
        "licence": LICENCE,
        "update_frequency": {
            "code": "daily",
            **bilingual(
                _(
                    "Daily: figures are built from each service's events within seconds; "
                    "the current month's change every day."
                )
            ),
        },
        "modified": now.isoformat(),
        "temporal_coverage": {
            "from": scope.period.since.isoformat(),
            "to": scope.period.until.isoformat(),
        },
        "spatial_coverage": {"code": settings.city_code, "name": settings.city_name},
        "language": ["id", "en"],
        "data_standard": bilingual(
            _(
                "Satu Data Indonesia (Perpres 39/2019): CSV in UTF-8 with a header row, the "
                "same rows as JSON; dates in ISO 8601; districts by their Kemendagri region "
                "codes, dotted; counts as whole numbers, shares from 0 to 1, amounts in "
                "whole rupiah."
            )
        ),
        "columns": [
            {
                "name": column.name,
                "type": column.type,
                "description": bilingual(column.description),
                **({"unit": bilingual(column.unit)} if column.unit else {}),
                "may_be_suppressed": column.suppressible,
            }
            for column in dataset.columns
        ],
        "reference_codes": [
            reference(column, districts=settings.districts) for column in dataset.reference_columns
        ],
        "suppression": {
            "minimum_count": scope.minimum,
            "marker": shown,
            **bilingual(
                _(
                    "A count from 1 to {below} is written {marker}, and so is a share, a "
                    "median or an amount computed from one; where a total of the rows is "
                    "published, one more cell is suppressed beside a lone suppressed one, so "
                    "that no subtraction gives it back. Zero is shown.",
                    below=scope.minimum - 1,
                    marker=shown,
                )
            ),
        },
        "personal_data": bilingual(
            _("None: aggregates only, with no names, identity numbers, addresses or record ids.")
        ),
        "distributions": [
            {"format": "CSV", "media_type": "text/csv", "url": links["csv"]},
            {"format": "JSON", "media_type": "application/json", "url": links["json"]},
        ],
        "metadata_url": links["metadata"],
    }


def reference(column: str, *, districts: Mapping[str, str]) -> dict[str, Any]:
    """The code list a column's values come from: the city's districts."""
    return {
        "column": column,
        "code_list": REGION_CODE_LIST,
        "codes": [{"code": code, "name": name} for code, name in sorted(districts.items())],
    }
