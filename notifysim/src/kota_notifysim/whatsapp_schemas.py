"""WhatsApp Cloud API's wire shapes, as Meta's Graph API has them: a template send, its
answer, the Graph error object, message templates and the status webhook.

Only what the city sends is accepted: template messages (a business may start a
conversation with nothing else) whose parameters are text.
"""

from typing import Literal

from pydantic import BaseModel, Field

StatusName = Literal["sent", "delivered", "read", "failed"]

MAX_BODY_CHARS = 1024
"""A template body's whole text, filled in, is at most 1,024 characters."""


class TextParameter(BaseModel):
    type: Literal["text"]
    text: str = Field(min_length=1, max_length=MAX_BODY_CHARS)


class SendComponent(BaseModel):
    type: Literal["header", "body", "button"]
    parameters: list[TextParameter] = Field(default_factory=list, max_length=100)


class Language(BaseModel):
    code: str = Field(min_length=2, max_length=15, examples=["id", "en"])
    policy: Literal["deterministic"] = "deterministic"


class TemplateSend(BaseModel):
    name: str = Field(min_length=1, max_length=512)
    language: Language
    components: list[SendComponent] = Field(default_factory=list, max_length=10)

    def body_parameters(self) -> tuple[str, ...]:
        """The ``{{1}}``, ``{{2}}``… of the template's body, in order."""
        return tuple(
            parameter.text
            for component in self.components
            if component.type == "body"
            for parameter in component.parameters
        )


class MessageCreate(BaseModel):
    messaging_product: Literal["whatsapp"]
    recipient_type: Literal["individual"] = "individual"
    to: str = Field(max_length=32, examples=["6281234567890"])
    """The customer's number in international form, ``+`` optional."""
    type: Literal["template"]
    template: TemplateSend
    biz_opaque_callback_data: str | None = Field(default=None, max_length=512)
    """The client's own id for the message, repeated in every status webhook."""


class Contact(BaseModel):
    input: str
    wa_id: str


class SentMessage(BaseModel):
    id: str
    message_status: Literal["accepted"] = "accepted"


class MessageSent(BaseModel):
    messaging_product: Literal["whatsapp"] = "whatsapp"
    contacts: list[Contact]
    messages: list[SentMessage]


class GraphErrorData(BaseModel):
    messaging_product: Literal["whatsapp"] = "whatsapp"
    details: str


class GraphErrorDetail(BaseModel):
    message: str
    type: str
    code: int
    error_subcode: int | None = None
    error_data: GraphErrorData | None = None
    fbtrace_id: str


class GraphError(BaseModel):
    """Every refusal, in the Graph API's shape (fields left out where Meta leaves them out)."""

    error: GraphErrorDetail


class TemplateComponent(BaseModel):
    type: Literal["HEADER", "BODY", "FOOTER", "BUTTONS"]
    text: str | None = Field(default=None, max_length=1024)


class TemplateCreate(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9_]{1,512}$")
    language: str = Field(min_length=2, max_length=15)
    category: Literal["UTILITY", "MARKETING", "AUTHENTICATION"]
    components: list[TemplateComponent] = Field(min_length=1, max_length=10)

    def body(self) -> str | None:
        return next((c.text for c in self.components if c.type == "BODY"), None)


class TemplateCreated(BaseModel):
    id: str
    status: Literal["APPROVED"] = "APPROVED"
    category: str


class TemplateRead(TemplateCreate):
    id: str
    status: Literal["APPROVED"] = "APPROVED"


class TemplateList(BaseModel):
    data: list[TemplateRead]


class TemplateDeleted(BaseModel):
    success: bool


class StatusError(BaseModel):
    code: int
    title: str
    message: str
    error_data: dict[str, str]
    href: str = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"


class Status(BaseModel):
    id: str
    """The message's ``wamid.…``."""
    status: StatusName
    timestamp: str
    """When it happened, in Unix seconds (a string, as Meta sends it)."""
    recipient_id: str
    biz_opaque_callback_data: str | None = None
    errors: list[StatusError] | None = None
    """Only on ``failed``."""


class Metadata(BaseModel):
    display_phone_number: str
    phone_number_id: str


class ChangeValue(BaseModel):
    messaging_product: Literal["whatsapp"] = "whatsapp"
    metadata: Metadata
    statuses: list[Status]


class Change(BaseModel):
    value: ChangeValue
    field: Literal["messages"] = "messages"


class Entry(BaseModel):
    id: str
    """The WhatsApp Business Account."""
    changes: list[Change]


class StatusWebhook(BaseModel):
    """What is POSTed to the WhatsApp receipt URL per status (``sent``, ``delivered``,
    ``read`` or ``failed``), signed per Standard Webhooks; fields without a value are left
    out, as Meta leaves them out."""

    object: Literal["whatsapp_business_account"] = "whatsapp_business_account"
    entry: list[Entry]
