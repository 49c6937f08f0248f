"""What the agency-client endpoints take and give."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kota_gateway.identity.clients.models import AgencyClient


class AgencyClientCreate(BaseModel):
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


class SecretRotation(BaseModel):
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


class ClientToken(BaseModel):
    """RFC 6749 §5.1."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int
    scope: str
