"""A permit type as an admin defines it: its form, documents, fee and service levels, coherent.

This is the schema ``PUT /v1/permits/types/{code}`` accepts and every seed catalogue is checked
against.
"""

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import ConfigDict, Field, PositiveInt, StringConstraints, model_validator

from kota_shared import i18n
from permits.catalogue.base import CatalogueModel, Label, require_unique
from permits.catalogue.documents import DocumentRequirement
from permits.catalogue.fees import FeeRule, fee_fields
from permits.catalogue.fields import FieldSpec
from permits.catalogue.service_levels import DeadlinePolicy, StageTargets
from permits.messages import _

KbliCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
RiskLevel = Literal["low", "medium_low", "medium_high", "high"]


class Category(StrEnum):
    """Which office handles a type and where the app lists it."""

    BUSINESS = "business"
    BUILDING = "building"
    """PBG and SLF."""
    ADVERTISEMENT = "advertisement"
    EVENT = "event"
    HEALTH_PRACTICE = "health_practice"
    ENVIRONMENT = "environment"
    OTHER = "other"


def _serves_every_value(form: FieldSpec, needed: FieldSpec) -> bool:
    """Whether every answer the form accepts is one the fee rule can price."""
    if form.kind != needed.kind or not form.required:
        return False
    if needed.choices is not None and not set(form.choices or []) <= set(needed.choices):
        return False
    if needed.min is not None and (form.min is None or form.min < needed.min):
        return False
    return needed.max is None or (form.max is not None and form.max <= needed.max)


class PermitTypeDefinition(CatalogueModel):
    """A permit type as an admin edits it: form, documents, fee and service levels."""

    model_config = ConfigDict(  # joins CatalogueModel's: strict and frozen still
        json_schema_extra={
            "examples": [
                {  # banners for a week-long event: a small fixed fee, approved by default
                    "code": "REKLAME_INSIDENTIL",
                    "name_id": "Izin Reklame Insidentil",
                    "name_en": "Temporary advertisement permit",
                    "category": "advertisement",
                    "fields": [
                        {
                            "name": "site_address",
                            "label_id": "Alamat titik lokasi reklame",
                            "label_en": "Address of the advertisement site",
                            "kind": "text",
                            "max_length": 300,
                        },
                        {
                            "name": "ad_type",
                            "label_id": "Jenis reklame",
                            "label_en": "Type of advertisement",
                            "kind": "choice",
                            "choices": ["banner", "flag_banner", "billboard"],
                        },
                        {
                            "name": "units",
                            "label_id": "Jumlah unit",
                            "label_en": "Number of units",
                            "kind": "integer",
                            "min": "1",
                            "max": "50",
                        },
                        {
                            "name": "start_date",
                            "label_id": "Tanggal mulai tayang",
                            "label_en": "First day on display",
                            "kind": "date",
                        },
                        {
                            "name": "end_date",
                            "label_id": "Tanggal akhir tayang",
                            "label_en": "Last day on display",
                            "kind": "date",
                        },
                    ],
                    "documents": [
                        {
                            "kind": "ktp",
                            "label_id": "KTP pemohon",
                            "label_en": "Applicant's identity card (KTP)",
                        },
                        {
                            "kind": "design",
                            "label_id": "Desain reklame beserta ukurannya",
                            "label_en": "Design of the advertisement with its dimensions",
                            "content_types": ["application/pdf", "image/jpeg", "image/png"],
                            "max_bytes": 5242880,
                        },
                    ],
                    "fee_rule": {"kind": "fixed", "amount": 50000},
                    "stage_targets": {"verification": 1, "review": 2},
                    "deadline_policy": "auto_approve",
                    "validity_months": 1,
                    "active": True,
                }
            ]
        }
    )

    code: str = Field(
        pattern=r"^[A-Z][A-Z0-9_]{1,19}$",
        description="Also the permit-number prefix, e.g. `PBG` in PBG/3671/2026/000123.",
    )
    name_id: Label
    name_en: Label
    category: Category
    kbli: list[KbliCode] = Field(default_factory=list, description="Business types only.")
    risk_level: RiskLevel | None = Field(default=None, description="OSS RBA; business only.")
    fields: list[FieldSpec]
    documents: list[DocumentRequirement]
    fee_rule: FeeRule
    stage_targets: StageTargets
    deadline_policy: DeadlinePolicy
    validity_months: PositiveInt | None = Field(description="None: the permit does not expire.")
    active: bool = True

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        require_unique(_("Field names"), [spec.name for spec in self.fields])
        require_unique(_("Document kinds"), [document.kind for document in self.documents])
        require_unique(_("KBLI codes"), self.kbli)
        if self.category is Category.BUSINESS:
            if not self.kbli:
                raise ValueError(_("A business permit type needs at least one KBLI code."))
        elif self.kbli or self.risk_level is not None:
            raise ValueError(_("KBLI codes and a risk level belong to business permit types only."))
        form = {spec.name: spec for spec in self.fields}
        unserved = [
            needed.name
            for needed in fee_fields(self.fee_rule)
            if needed.name not in form or not _serves_every_value(form[needed.name], needed)
        ]
        if unserved:
            raise ValueError(
                _(
                    "The fee rule reads these form fields, which the form must ask as required "
                    "questions accepting only answers the rule can price: {fields}.",
                    fields=i18n.Sequence.of(unserved),
                )
            )
        return self
