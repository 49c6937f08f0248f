"""What the control API (``/simulator``) accepts and answers. Its own words, not Dukcapil's:
sex is ``male``/``female``, dates ISO 8601, codes dotted."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from kota_regsim import regions
from kota_regsim.audit import Answer, Call
from kota_regsim.availability import Availability, Mode
from kota_regsim.numbers import Sex
from kota_regsim.population import (
    MAX_MEMBERS,
    FamilyCard,
    FamilySpec,
    MemberSpec,
    Person,
    Relationship,
)

Digits16 = Annotated[str, Field(pattern=r"^\d{16}$")]
Neighbourhood = Annotated[str, Field(pattern=r"^\d{1,3}$", examples=["003"])]

FAMILY_EXAMPLE: dict[str, Any] = {
    "issued_on": "2021-02-03",
    "address": {
        "kelurahan_code": "36.71.05.1003",
        "street": "Jl. Anggrek No. 5",
        "rt": "002",
        "rw": "007",
    },
    "members": [
        {
            "name": "Bambang Wibowo",
            "birth_date": "1980-06-01",
            "sex": "male",
            "relationship": "KEPALA KELUARGA",
        },
        {
            "nik": "3671054412830001",
            "name": "Tuti Handayani",
            "birth_date": "1983-12-04",
            "sex": "female",
            "relationship": "ISTRI",
        },
        {
            "name": "Zahra Putri",
            "birth_date": "2015-09-30",
            "sex": "female",
            "relationship": "ANAK",
        },
    ],
}


class AddressCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kelurahan_code: str = Field(
        max_length=16,
        description="A kelurahan of Kota Tangerang, dotted (36.71.05.1003) or not.",
        examples=["36.71.05.1003"],
    )
    street: str = Field(min_length=1, max_length=120, examples=["Jl. Anggrek No. 5"])
    rt: Neighbourhood
    rw: Neighbourhood
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    """Both or neither; inside the kelurahan. Default: a point of the kelurahan's box."""


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nik: Digits16 | None = Field(
        default=None, description="Default: the next unused NIK for the birth date."
    )
    name: str = Field(min_length=1, max_length=100)
    birth_date: date
    sex: Sex
    relationship: Relationship
    place_of_birth: str | None = Field(
        default=None,
        max_length=60,
        description="Default: the regency of the NIK's first six digits (TANGERANG for 3671).",
    )
    registered_in: str | None = Field(
        default=None,
        pattern=r"^\d{6}$",
        description="For a NIK the registry makes: the kecamatan of first registration "
        "(six digits); default the card's.",
    )

    def spec(self) -> MemberSpec:
        return MemberSpec(**self.model_dump())


class FamilyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [FAMILY_EXAMPLE]})

    no_kk: Digits16 | None = Field(
        default=None,
        description="Default: the next unused number of the address's kecamatan for issued_on.",
    )
    issued_on: date | None = Field(
        default=None,
        description="TGL_TERBIT_KK; not before the date in no_kk. Default: that date, or today.",
    )
    address: AddressCreate
    members: list[MemberCreate] = Field(
        min_length=1, max_length=MAX_MEMBERS, description="In the card's order."
    )

    def spec(self) -> FamilySpec:
        return FamilySpec(
            kelurahan_code=self.address.kelurahan_code,
            street=self.address.street,
            rt=self.address.rt,
            rw=self.address.rw,
            latitude=self.address.latitude,
            longitude=self.address.longitude,
            members=tuple(m.spec() for m in self.members),
            number=self.no_kk,
            issued_on=self.issued_on,
        )


class MemberRead(BaseModel):
    nik: str
    name: str
    birth_date: date
    sex: Sex
    relationship: Relationship
    place_of_birth: str

    @classmethod
    def of(cls, person: Person) -> "MemberRead":
        return cls.model_validate(person, from_attributes=True)


class AddressRead(BaseModel):
    street: str
    rt: str
    rw: str
    kelurahan_code: str
    kelurahan_name: str
    kecamatan_code: str
    kecamatan_name: str
    city_code: str
    city_name: str
    province_code: str
    province_name: str
    latitude: float
    longitude: float

    @classmethod
    def of(cls, card: FamilyCard) -> "AddressRead":
        address = card.address
        kelurahan = address.kelurahan
        return cls(
            street=address.street,
            rt=address.rt,
            rw=address.rw,
            kelurahan_code=kelurahan.code,
            kelurahan_name=kelurahan.name,
            kecamatan_code=kelurahan.kecamatan.code,
            kecamatan_name=kelurahan.kecamatan.name,
            city_code=regions.CITY_CODE,
            city_name=regions.CITY_NAME,
            province_code=regions.PROVINCE_CODE,
            province_name=regions.PROVINCE_NAME,
            latitude=address.latitude,
            longitude=address.longitude,
        )


class FamilyRead(BaseModel):
    no_kk: str
    issued_on: date
    address: AddressRead
    members: list[MemberRead]

    @classmethod
    def of(cls, card: FamilyCard) -> "FamilyRead":
        return cls(
            no_kk=card.number,
            issued_on=card.issued_on,
            address=AddressRead.of(card),
            members=[MemberRead.of(p) for p in card.members],
        )


class PersonRead(MemberRead):
    no_kk: str
    family_card_issued_on: date
    address: AddressRead

    @classmethod
    def of_card(cls, person: Person, card: FamilyCard) -> "PersonRead":
        return cls(
            **MemberRead.of(person).model_dump(),
            no_kk=card.number,
            family_card_issued_on=card.issued_on,
            address=AddressRead.of(card),
        )


class AvailabilityUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"mode": "slow", "delay_seconds": 2.5}]},
    )

    mode: Mode
    delay_seconds: float = Field(
        default=0.0, ge=0, le=600, description="How long each call waits, in slow mode."
    )

    def availability(self) -> Availability:
        return Availability(mode=self.mode, delay_seconds=self.delay_seconds)


class AvailabilityRead(BaseModel):
    mode: Mode
    delay_seconds: float

    @classmethod
    def of(cls, availability: Availability) -> "AvailabilityRead":
        return cls(mode=availability.mode, delay_seconds=availability.delay_seconds)


class CallRead(BaseModel):
    at: datetime
    service: str
    institution: str
    user_id: str | None
    ip_user: str | None
    nik: str | None
    no_kk: str | None
    answer: Answer

    @classmethod
    def of(cls, call: Call) -> "CallRead":
        return cls.model_validate(call, from_attributes=True)
