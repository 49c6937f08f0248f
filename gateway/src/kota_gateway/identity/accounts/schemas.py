"""What clients send and receive about accounts and tokens."""

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.config import JsonDict

from kota_contracts.access import Role
from kota_gateway.identity import passwords
from kota_gateway.identity.accounts import nik as nik_rules
from kota_gateway.identity.accounts import phones
from kota_gateway.identity.accounts.models import STAFF_ROLES, Account, AccountKind
from kota_gateway.identity.accounts.nik import Sex
from kota_gateway.messages import _
from kota_shared.i18n import Message, Sequence, refused

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,63}$")
_INVALID_USERNAME = _(
    "A username is 3-64 characters: a letter, then letters, digits, '.', '_' or '-'."
)

# The documents' examples: a resident of Kota Tangerang (NIK region 3671) and the city's
# staff. Each validates with its model (gateway/tests/unit/test_request_examples.py).
CITIZEN_NIK_EXAMPLE = "3671014508900001"
"""Kota Tangerang (3671), district 01; a woman (day 05 + 40) born 5 August 1990; serial 0001."""
REFRESH_TOKEN_EXAMPLE = "q3L8vT0yZb1Xc6NfR2hWm9Ja5KdUe4Sg7PoQiYtAxBs"  # noqa: S105 - an example
CITIZEN_SIGN_IN_EXAMPLE: JsonDict = {
    "grant_type": "password",
    "username": CITIZEN_NIK_EXAMPLE,
    "password": "Cisadane-Pagi-1990",
}
OFFICER_SIGN_IN_EXAMPLE: JsonDict = {
    "grant_type": "password",
    "username": "rina.permits",
    "password": "Kantor-Walikota-Tng-7",
}
REFRESH_EXAMPLE: JsonDict = {"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN_EXAMPLE}


def _valid_nik(value: str) -> str:
    try:
        return nik_rules.parse_nik(value).value
    except nik_rules.InvalidNik as exc:
        raise refused("invalid_nik", exc.message) from None


def _valid_phone(value: str) -> str:
    try:
        return phones.normalise_phone(value)
    except phones.InvalidPhone as exc:
        raise refused("invalid_phone", exc.message) from None


def _valid_new_password(value: SecretStr) -> SecretStr:
    try:
        passwords.check_policy(value.get_secret_value())
    except passwords.WeakPassword as exc:
        raise refused("weak_password", exc.message) from None
    return value


def _valid_email(value: str) -> str:
    local, _at, domain = value.strip().rpartition("@")
    if not _EMAIL.fullmatch(value.strip()):
        raise refused("invalid_email", _("This is not an email address."))
    return f"{local}@{domain.lower()}"


def normalise_username(value: str) -> str:
    """A staff username in its stored form (lower case), or ValueError.

    It starts with a letter, so a sign-in name is never mistaken for a NIK or a phone.
    """
    username = value.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise ValueError(_INVALID_USERNAME)
    return username


def _valid_username(value: str) -> str:
    try:
        return normalise_username(value)
    except ValueError:
        raise refused("invalid_username", _INVALID_USERNAME) from None


def _name(value: str) -> str:
    return " ".join(value.split())


NikNumber = Annotated[
    str,
    Field(
        max_length=40,
        description="NIK, 16 digits (spaces, dots and dashes between groups are ignored).",
        examples=["3671014508900001"],
    ),
    AfterValidator(_valid_nik),
]
Phone = Annotated[
    str,
    Field(
        max_length=32,
        description="Indonesian phone number; `08…` and `62…` are stored as `+62…`.",
        examples=["+6281234567890"],
    ),
    AfterValidator(_valid_phone),
]
NewPassword = Annotated[
    SecretStr,
    Field(
        max_length=passwords.MAX_LENGTH,
        description=f"At least {passwords.MIN_LENGTH} characters, not only digits.",
    ),
    AfterValidator(_valid_new_password),
]
FullName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    Field(examples=["Siti Rahmawati"]),
    AfterValidator(_name),
]


Email = Annotated[str, Field(max_length=254), AfterValidator(_valid_email)]
BirthDate = Annotated[date, Field(description="Must agree with the NIK.", examples=["1990-08-05"])]
SexOnNik = Annotated[Sex, Field(description="Must agree with the NIK (women's day of birth + 40).")]


class _AgreesWithNik(BaseModel):
    """``birth_date`` and ``sex`` checked against ``nik``, which a subclass declares first."""

    @field_validator("birth_date", check_fields=False)
    @classmethod
    def _birth_date_agrees(cls, value: date, info: ValidationInfo) -> date:
        _agrees_with_nik(info, birth_date=value)
        return value

    @field_validator("sex", check_fields=False)
    @classmethod
    def _sex_agrees(cls, value: Sex, info: ValidationInfo) -> Sex:
        _agrees_with_nik(info, sex=value)
        return value


def _agrees_with_nik(
    info: ValidationInfo, *, birth_date: date | None = None, sex: Sex | None = None
) -> None:
    number = info.data.get("nik")
    if number is None:
        return  # the NIK itself is reported invalid already
    problems = nik_rules.disagreements(nik_rules.parse_nik(number), birth_date=birth_date, sex=sex)
    for reason in problems.values():
        raise refused("nik_mismatch", reason)


class CitizenRegistration(_AgreesWithNik):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "nik": CITIZEN_NIK_EXAMPLE,
                    "full_name": "Siti Rahmawati",
                    "phone": "+6281234567890",
                    "email": "siti.rahmawati@example.com",
                    "password": "Cisadane-Pagi-1990",
                    "birth_date": "1990-08-05",
                    "sex": "female",
                }
            ]
        },
    )

    # Declared first: birth_date and sex are checked against it.
    nik: NikNumber
    full_name: FullName
    phone: Phone
    email: Email | None = None
    password: NewPassword
    birth_date: BirthDate
    sex: SexOnNik


class AssistedCitizenRegistration(_AgreesWithNik):
    """A citizen registered by an officer at a kiosk: no password (they cannot sign in
    alone), and a phone and an email only if they have them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    # Kota Tangerang (3671), district 03; a man born 12 March 1975; serial 0002.
                    "nik": "3671031203750002",
                    "full_name": "Ahmad Fauzi",
                    "phone": "021-5523456",  # a landline, stored as +62215523456
                    "birth_date": "1975-03-12",
                    "sex": "male",
                }
            ]
        },
    )

    # Declared first: birth_date and sex are checked against it.
    nik: NikNumber
    full_name: FullName
    phone: Phone | None = None
    email: Email | None = None
    birth_date: BirthDate
    sex: SexOnNik


class AccountRead(BaseModel):
    """An account as its owner sees it (the NIK whole: it is theirs)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: AccountKind
    full_name: str
    roles: list[str]
    nik: str | None = None
    phone: str | None = None
    email: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    username: str | None = None
    kecamatan_code: str | None = Field(
        default=None,
        description="A citizen's district of domicile, from the civil registry (`36.71.05`).",
    )
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> "AccountRead":
        return cls.model_validate(account)


class PasswordGrant(BaseModel):
    model_config = ConfigDict(
        extra="ignore",  # OAuth2 clients may add client_id, scope, ...
        json_schema_extra={"examples": [CITIZEN_SIGN_IN_EXAMPLE, OFFICER_SIGN_IN_EXAMPLE]},
    )

    grant_type: Literal["password"]
    username: str = Field(
        min_length=1,
        max_length=254,
        description="A citizen's NIK or phone number, or a staff username.",
    )
    password: SecretStr = Field(min_length=1, max_length=passwords.MAX_LENGTH)


class RefreshGrant(BaseModel):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [REFRESH_EXAMPLE]})

    grant_type: Literal["refresh_token"]
    refresh_token: SecretStr = Field(min_length=1, max_length=200)


TokenRequest = Annotated[PasswordGrant | RefreshGrant, Field(discriminator="grant_type")]


class AccessTokenResponse(BaseModel):
    access_token: str = Field(description="EdDSA-signed JWT; send as `Authorization: Bearer`.")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="Seconds until the access token expires.")


class TokenResponse(AccessTokenResponse):
    refresh_token: str = Field(
        description="Opaque; exchange it once (grant_type=refresh_token) for a new pair."
    )


class LogoutRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"refresh_token": REFRESH_TOKEN_EXAMPLE}]},
    )

    refresh_token: SecretStr = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"current_password": "Cisadane-Pagi-1990", "new_password": "Taman-Elang-Biru-77"}
            ]
        },
    )

    current_password: SecretStr = Field(min_length=1, max_length=passwords.MAX_LENGTH)
    new_password: NewPassword

    @field_validator("new_password")
    @classmethod
    def _differs(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        current = info.data.get("current_password")
        if current is not None and current.get_secret_value() == value.get_secret_value():
            raise refused("same_password", _("The new password must differ from the current one."))
        return value


ROLE_NAMES: dict[Role, Message] = {
    Role.CITIZEN: _("citizen"),
    Role.PERMITS_OFFICER: _("permits officer"),
    Role.CLINIC_OFFICER: _("clinic officer"),
    Role.SCHOOL_OFFICER: _("school officer"),
    Role.FINANCE_OFFICER: _("finance officer"),
    Role.MONITORING_VIEWER: _("monitoring viewer"),
    Role.INFORMATION_OFFICER: _("information officer"),
    Role.CITY_ADMIN: _("city administrator"),
}
"""What a person reads for each role (the role's value is the API's, not a word)."""


def _staff_roles(roles: list[Role]) -> list[Role]:
    if not set(roles) <= STAFF_ROLES:
        staff = Sequence.of(ROLE_NAMES[role] for role in Role if role in STAFF_ROLES)
        raise refused(
            "invalid_role", _("A staff account can have these roles only: {roles}.", roles=staff)
        )
    return sorted(set(roles))


class StaffCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "username": "rina.permits",
                    "full_name": "Rina Marlina",
                    "roles": ["permits_officer"],
                    "password": "Kantor-Walikota-Tng-7",
                }
            ]
        },
    )

    username: Annotated[
        str, Field(max_length=64, examples=["rina.permits"]), AfterValidator(_valid_username)
    ]
    full_name: FullName
    roles: Annotated[
        list[Role],
        Field(min_length=1, examples=[["permits_officer"]]),
        AfterValidator(_staff_roles),
    ]
    password: NewPassword


class StaffRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    full_name: str
    roles: list[str]
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> "StaffRead":
        return cls.model_validate(account)


class AssistRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"citizen_nik": CITIZEN_NIK_EXAMPLE}]}
    )

    citizen_nik: NikNumber


class CitizenSummary(BaseModel):
    id: uuid.UUID
    full_name: str
    nik_masked: str = Field(examples=["3671**********0001"])


class AssistResponse(AccessTokenResponse):
    citizen: CitizenSummary
    acting_officer: uuid.UUID
