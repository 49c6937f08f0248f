"""What officers send and receive about announcements, and what the public feed shows."""

import uuid
from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from information.announcements.models import Announcement, AnnouncementStatus, FanOut
from information.messages import _
from kota_contracts.access import Role
from kota_contracts.information import AnnouncementAudience, AnnouncementCategory
from kota_shared.i18n import Language, refused

KECAMATAN_PATTERN = r"^\d{2}\.\d{2}\.\d{2}$"
MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 5000

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_CHARS)
]
Body = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS)
]
KecamatanCode = Annotated[str, StringConstraints(pattern=KECAMATAN_PATTERN)]


def _staff(role: Role) -> Role:
    if role is Role.CITIZEN:
        raise refused("not_a_staff_role", _("Citizens are reached as everyone or by kecamatan."))
    return role


StaffRole = Annotated[Role, AfterValidator(_staff)]


class TitleTexts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Title = Field(description="Bahasa Indonesia (required).")
    en: Title | None = Field(default=None, description="English; Indonesian is shown if absent.")


class BodyTexts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Body = Field(description="Bahasa Indonesia (required), plain text.")
    en: Body | None = Field(default=None, description="English; Indonesian is shown if absent.")


class Everyone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal[AnnouncementAudience.EVERYONE]


class Kecamatan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal[AnnouncementAudience.KECAMATAN]
    kecamatan_codes: list[KecamatanCode] = Field(
        min_length=1,
        max_length=50,
        description="The city's kecamatan by dotted Kemendagri code (`36.71.05`); a code "
        "that is not one of the city's is 422 `unknown_kecamatan`.",
        examples=[["36.71.05", "36.71.06"]],
    )


class Officers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal[AnnouncementAudience.OFFICERS]
    roles: list[StaffRole] = Field(
        min_length=1, description="Staff holding any of these roles.", examples=[["clinic_officer"]]
    )


Audience = Annotated[Everyone | Kecamatan | Officers, Field(discriminator="kind")]


class AnnouncementWrite(BaseModel):
    """An announcement as an officer writes it: the whole of it each time (create, or
    replace while it may still be edited)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "category": "health",
                    "title": {
                        "id": "Vaksinasi gratis di Puskesmas Cipondoh",
                        "en": "Free vaccination at Puskesmas Cipondoh",
                    },
                    "body": {
                        "id": "Sabtu, 12 Desember, pukul 08.00-12.00. Bawa KTP.",
                        "en": "Saturday 12 December, 08.00-12.00. Bring your ID card.",
                    },
                    "audience": {"kind": "kecamatan", "kecamatan_codes": ["36.71.05"]},
                    "publish_at": "2026-12-08T01:00:00Z",
                    "expires_at": "2026-12-12T05:00:00Z",
                }
            ]
        },
    )

    category: AnnouncementCategory
    title: TitleTexts
    body: BodyTexts
    audience: Audience
    publish_at: AwareDatetime | None = Field(
        default=None,
        description="When it becomes current and reaches inboxes; none, or a time already "
        "passed when it is published: at once.",
    )
    expires_at: AwareDatetime | None = Field(
        default=None,
        description="When it leaves the feed; after `publish_at` (422 "
        "`expiry_before_publication`). None: when it is withdrawn.",
    )


class ImageRead(BaseModel):
    url: str = Field(description="Public, without signing in, while the announcement is current.")
    content_type: str = Field(examples=["image/jpeg"])
    size: int
    sha256: str

    @classmethod
    def of(cls, announcement: Announcement) -> Self | None:
        if announcement.image_sha256 is None or announcement.image_content_type is None:
            return None
        return cls(
            url=image_path(announcement.id),
            content_type=announcement.image_content_type,
            size=announcement.image_size or 0,
            sha256=announcement.image_sha256,
        )


FEED_PATH = "/v1/information/feed"


def image_path(announcement_id: uuid.UUID) -> str:
    return f"{FEED_PATH}/{announcement_id}/image"


class FanOutRead(BaseModel):
    recipients: int = Field(description="Inboxes that have received it so far.")
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def of(cls, fan_out: FanOut) -> Self:
        return cls(
            recipients=fan_out.recipients,
            started_at=fan_out.started_at,
            completed_at=fan_out.completed_at,
        )


class AnnouncementRead(BaseModel):
    """An announcement as officers see it: both languages, its audience and its progress."""

    id: uuid.UUID
    status: AnnouncementStatus
    category: AnnouncementCategory
    title: TitleTexts
    body: BodyTexts
    audience: Audience
    publish_at: datetime | None
    expires_at: datetime | None
    image: ImageRead | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    published_by: str | None
    published_at: datetime | None
    withdrawn_by: str | None
    withdrawn_at: datetime | None
    fan_out: FanOutRead | None = Field(description="Once published: its way into inboxes.")

    @classmethod
    def of(cls, announcement: Announcement, *, fan_out: FanOut | None) -> Self:
        return cls(
            id=announcement.id,
            status=announcement.status,
            category=announcement.category,
            title=TitleTexts(id=announcement.title_id, en=announcement.title_en),
            body=BodyTexts(id=announcement.body_id, en=announcement.body_en),
            audience=audience_of(announcement),
            publish_at=announcement.publish_at,
            expires_at=announcement.expires_at,
            image=ImageRead.of(announcement),
            created_by=announcement.created_by,
            created_at=announcement.created_at,
            updated_at=announcement.updated_at,
            published_by=announcement.published_by,
            published_at=announcement.published_at,
            withdrawn_by=announcement.withdrawn_by,
            withdrawn_at=announcement.withdrawn_at,
            fan_out=FanOutRead.of(fan_out) if fan_out is not None else None,
        )


def audience_of(announcement: Announcement) -> Everyone | Kecamatan | Officers:
    match announcement.audience:
        case AnnouncementAudience.KECAMATAN:
            return Kecamatan(
                kind=announcement.audience, kecamatan_codes=announcement.kecamatan_codes
            )
        case AnnouncementAudience.OFFICERS:
            return Officers(kind=announcement.audience, roles=announcement.roles)
        case _:
            return Everyone(kind=AnnouncementAudience.EVERYONE)


class PublicAnnouncement(BaseModel):
    """A current announcement as the public feed shows it, in one language."""

    id: uuid.UUID
    category: AnnouncementCategory
    title: str
    body: str
    language: Language = Field(description="The language of title and body.")
    audience: Literal[AnnouncementAudience.EVERYONE, AnnouncementAudience.KECAMATAN]
    kecamatan_codes: list[str] = Field(description="For a kecamatan audience; else empty.")
    publish_at: datetime
    expires_at: datetime | None
    updated_at: datetime
    image: ImageRead | None

    @classmethod
    def of(cls, announcement: Announcement, language: Language) -> Self:
        title, body, shown = texts_in(announcement, language)
        assert announcement.publish_at is not None  # published ones have one
        return cls(
            id=announcement.id,
            category=announcement.category,
            title=title,
            body=body,
            language=shown,
            audience=announcement.audience,
            kecamatan_codes=announcement.kecamatan_codes,
            publish_at=announcement.publish_at,
            expires_at=announcement.expires_at,
            updated_at=announcement.updated_at,
            image=ImageRead.of(announcement),
        )


def texts_in(announcement: Announcement, language: Language) -> tuple[str, str, Language]:
    """Title, body and their language: English when asked and written, else Indonesian."""
    if language == "en" and announcement.title_en and announcement.body_en:
        return announcement.title_en, announcement.body_en, "en"
    return announcement.title_id, announcement.body_id, "id"
