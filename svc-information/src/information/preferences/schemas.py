"""What a citizen reads and sets about how they are reached."""

from datetime import time
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from information.messages import _
from information.preferences.models import (
    DEFAULT_CHANNELS,
    DEFAULT_QUIET_HOURS,
    Channel,
    Preference,
)
from kota_shared.i18n import Language, refused


class Preferences(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channels": ["sms", "whatsapp"],
                    "language": "id",
                    "quiet_from": "21:00",
                    "quiet_until": "06:00",
                }
            ]
        },
    )

    channels: list[Channel] = Field(
        max_length=len(Channel),
        description="Besides the inbox, in the order to try them: when one brings no "
        "delivery receipt in time, the next is tried. Empty: the inbox only.",
        examples=[["whatsapp", "sms"]],
    )
    language: Language = Field(description="The language of SMS and WhatsApp messages.")
    quiet_from: time | None = Field(
        description="City time from which nothing but what cannot wait is sent (null: never "
        "quiet).",
        examples=["21:00"],
    )
    quiet_until: time | None = Field(description="City time quiet ends.", examples=["06:00"])

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(set(self.channels)) != len(self.channels):
            raise refused("duplicate_channel", _("Each channel may be listed once."))
        if (self.quiet_from is None) != (self.quiet_until is None):
            raise refused(
                "incomplete_quiet_hours", _("Give both ends of the quiet hours, or neither.")
            )
        if self.quiet_from is not None and self.quiet_from == self.quiet_until:
            raise refused(
                "empty_quiet_hours", _("Quiet hours must start and end at different times.")
            )
        return self

    @classmethod
    def of(cls, preference: Preference | None) -> Self:
        """The citizen's preferences, or the defaults until they set any."""
        if preference is None:
            quiet_from, quiet_until = DEFAULT_QUIET_HOURS
            return cls(
                channels=list(DEFAULT_CHANNELS),
                language="id",
                quiet_from=quiet_from,
                quiet_until=quiet_until,
            )
        return cls(
            channels=[Channel(channel) for channel in preference.channels],
            language="en" if preference.language == "en" else "id",
            quiet_from=preference.quiet_from,
            quiet_until=preference.quiet_until,
        )
