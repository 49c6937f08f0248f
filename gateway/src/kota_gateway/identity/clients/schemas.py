"""What the agency-client endpoints take and give."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.config import JsonDict

from kota_gateway.identity.clients.models import AgencyClient

CLIENT_ID_EXAMPLE = "ac_5f2c9e41d7a0b3c86e1f"
CLIENT_SECRET_EXAMPLE = "acs_Yk3fR8tQm1ZpW6vN0cJx4LbH9sDa2GeU7oTiKq5rVnE"  # noqa: S105 - an example


class AgencyClientCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Verifikasi izin usaha untuk kredit UMKM",
                    "agency": "PT Bank Pembangunan Daerah Banten",
                    "scopes": ["permits:verify"],
                }
            ]
        }
    )

    name: str = Field(min_length=1, max_length=200, examples=["SIM verification (Polda)"])
    agency: str = Field(min_length=1, max_length=200, examples=["Kepolisian Daerah Banten"])
    scopes: list[str] = Field(
        min_length=1,
        max_length=20,
        description="From the scopes this deployment allows (GATEWAY_AGENCY_CLIENT_SCOPES).",
        examples=[["permits:verify"]],
    )


class AgencyClientRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    client_id: str
    name: str
    agency: str
    scopes: list[str]
    active: bool
    created_by: str
    created_at: datetime
    secret_rotated_at: datetime | None
    previous_secret_expires_at: datetime | None = Field(
        description="Until when the secret before the last rotation is still accepted."
    )
    revoked_at: datetime | None

    @classmethod
    def of(cls, client: AgencyClient) -> "AgencyClientRead":
        return cls.model_validate(client)


class AgencyClientCreated(AgencyClientRead):
    client_secret: str = Field(description="Shown this once: only its hash is kept.")

    @classmethod
    def with_secret(cls, client: AgencyClient, secret: str) -> "AgencyClientCreated":
        return cls(**AgencyClientRead.of(client).model_dump(), client_secret=secret)


SECRET_ROTATION_EXAMPLE: JsonDict = {"grace_period_seconds": 86400}
"""The current secret keeps working for a day beside the new one."""


class SecretRotation(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SECRET_ROTATION_EXAMPLE]})

    grace_period_seconds: int = Field(
        default=0,
        ge=0,
        le=7 * 24 * 3600,
        description="How long the current secret keeps working beside the new one (0: not at all).",
    )


class SecretRotated(BaseModel):
    client_id: str
    client_secret: str = Field(description="Shown this once: only its hash is kept.")
    previous_secret_valid_until: datetime | None

    @classmethod
    def of(cls, client: AgencyClient, secret: str) -> "SecretRotated":
        return cls(
            client_id=client.client_id,
            client_secret=secret,
            previous_secret_valid_until=client.previous_secret_expires_at,
        )


def _blank_is_missing(value: object) -> object:
    return None if value == "" else value


FormValue = Annotated[str | None, BeforeValidator(_blank_is_missing)]
"""A form field; sent empty (``scope=``) is as not sent."""


class ClientCredentialsGrant(BaseModel):
    """RFC 6749 §4.4.2, form-encoded. A field missing or wrong is answered with OAuth2's own
    errors (`invalid_request`, `unsupported_grant_type`, `invalid_client`), not a 422."""

    model_config = ConfigDict(
        extra="ignore",  # OAuth2 client libraries may add parameters of their own
        json_schema_extra={
            "examples": [
                {"grant_type": "client_credentials", "scope": "permits:verify"},
                {
                    "grant_type": "client_credentials",
                    "client_id": CLIENT_ID_EXAMPLE,
                    "client_secret": CLIENT_SECRET_EXAMPLE,
                    "scope": "permits:verify",
                },
            ]
        },
    )

    grant_type: FormValue = Field(default=None, description="`client_credentials`.")
    scope: FormValue = Field(
        default=None,
        description="Space-separated; some of the client's scopes (all of them if not sent).",
    )
    client_id: FormValue = Field(
        default=None, description="Only if not sent in HTTP Basic (which is preferred)."
    )
    client_secret: FormValue = Field(
        default=None, description="Only if not sent in HTTP Basic (which is preferred)."
    )


class ClientToken(BaseModel):
    """RFC 6749 §5.1."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int
    scope: str
