"""A family card (Kartu Keluarga, KK) as the gateway answers ``GET /v1/me/family-card``.

The gateway reads it from the civil registry for the citizen whose token asks; a service
that needs a citizen's family (education: which children, which home, since when) calls that
endpoint with the citizen's own token and reads the answer with these models, so both sides
keep one definition of the shape.
"""

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PATH = "/v1/me/family-card"
"""Where the gateway serves the caller's own family card."""

CHILD = "ANAK"
"""``relationship`` of a child of the head of the family, as the card prints it."""

EXAMPLE: dict[str, Any] = {
    "number": "3671010403180002",
    "issued_on": "2018-03-04",
    "address": {
        "street": "JL. MAWAR NO. 12",
        "rt": "003",
        "rw": "005",
        "kelurahan_code": "36.71.01.1007",
        "kelurahan_name": "SUKASARI",
        "kecamatan_code": "36.71.01",
        "kecamatan_name": "TANGERANG",
        "regency_code": "36.71",
        "regency_name": "KOTA TANGERANG",
        "province_code": "36",
        "province_name": "BANTEN",
        "latitude": -6.1801,
        "longitude": 106.6297,
    },
    "members": [
        {
            "nik": "3671010101700001",
            "full_name": "AGUS SALIM",
            "birth_date": "1970-01-01",
            "sex": "male",
            "relationship": "KEPALA KELUARGA",
        },
        {
            "nik": "3671010411130001",
            "full_name": "MUHAMMAD RIZKY PRATAMA",
            "birth_date": "2013-11-04",
            "sex": "male",
            "relationship": "ANAK",
        },
    ],
}


class FamilyCardAddress(BaseModel):
    street: str
    rt: str
    rw: str
    kelurahan_code: str = Field(description="Kemendagri code, dotted: `36.71.01.1001`.")
    kelurahan_name: str
    kecamatan_code: str = Field(description="Kemendagri code, dotted: `36.71.01`.")
    kecamatan_name: str
    regency_code: str
    regency_name: str
    province_code: str
    province_name: str
    latitude: float | None = Field(
        default=None, description="Where the address is, when the registry's answer says."
    )
    longitude: float | None = None


class FamilyCardMember(BaseModel):
    nik: str
    full_name: str
    birth_date: date
    sex: Literal["male", "female"]
    relationship: str = Field(description="As the card prints it: `KEPALA KELUARGA`, `ANAK`, …")


class FamilyCard(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    number: str = Field(description="The family card (KK) number, 16 digits.")
    issued_on: date = Field(description="The date the card was issued (TGL_TERBIT_KK).")
    address: FamilyCardAddress
    members: list[FamilyCardMember]

    def member(self, nik: str) -> FamilyCardMember | None:
        return next((m for m in self.members if m.nik == nik), None)
