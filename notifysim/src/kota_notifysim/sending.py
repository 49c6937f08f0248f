"""What happens to a send: refused as the provider would refuse it, or taken into the inbox
with its receipts planned and scheduled as the number's controls say."""

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from kota_notifysim.config import NotifysimSettings
from kota_notifysim.controls import Behaviour, Controls
from kota_notifysim.delivery import ReceiptCourier
from kota_notifysim.errors import GraphRefusal, SmsRefusal
from kota_notifysim.inbox import Inbox, Message, TemplateSent
from kota_notifysim.numbers import recipient
from kota_notifysim.receipts import sms_plan, whatsapp_plan
from kota_notifysim.templates import Templates
from kota_notifysim.whatsapp_schemas import MAX_BODY_CHARS, MessageCreate
from kota_shared.clock import Clock
from kota_shared.sms import measure

_BROKEN_PARAMETER = re.compile(r"[\n\t]| {5,}")
"""What Meta refuses in a body parameter: a new line, a tab, more than four spaces."""


@dataclass
class Simulator:
    settings: NotifysimSettings
    inbox: Inbox
    controls: Controls
    templates: Templates
    receipts: ReceiptCourier
    clock: Clock

    def send_sms(self, *, to: str, text: str, reference: str | None) -> Message:
        number = recipient(to)
        if number is None:
            raise SmsRefusal(
                status=400,
                code="invalid_number",
                message=f"'to' must be a valid number in international form, such as "
                f"+6281234567890; {to[:32]!r} is not",
            )
        if not text.strip():
            raise SmsRefusal(status=400, code="empty_text", message="'text' is empty")
        length = measure(text)
        limit = self.settings.sms_max_segments
        if length.segments > limit:
            raise SmsRefusal(
                status=400,
                code="text_too_long",
                message=f"the text takes {length.segments} {length.encoding} segments; "
                f"at most {limit} are sent",
            )
        behaviour = self.controls.take(number.e164)
        if behaviour.fate == "refused":
            raise SmsRefusal(
                status=400,
                code="recipient_rejected",
                message=f"the operator refuses messages to {number.e164}",
            )
        message = Message(
            message_id=str(uuid.uuid4()),
            channel="sms",
            to=number.e164,
            accepted_at=self.clock(),
            text=text,
            reference=reference,
            segments=length.segments,
            encoding=length.encoding,
            fate=behaviour.fate,
            planned=sms_plan(behaviour, mobile=number.mobile),
        )
        return self._accept(message, behaviour)

    def send_whatsapp(self, *, phone_number_id: str, body: MessageCreate) -> Message:
        if phone_number_id != self.settings.whatsapp_phone_number_id:
            raise GraphRefusal(
                status=400,
                code=100,
                subcode=33,
                type="GraphMethodException",
                message=f"Unsupported post request. Object with ID '{phone_number_id[:32]}' "
                "does not exist, cannot be loaded due to missing permissions, or does not "
                "support this operation.",
            )
        number = recipient(body.to)
        if number is None:
            raise GraphRefusal(
                status=400,
                code=131009,
                message="(#131009) Parameter value is not valid",
                details=f"to: {body.to[:32]!r} is not a phone number in international form",
            )
        template = body.template
        parameters = template.body_parameters()
        text = self._rendered(template.name, template.language.code, parameters)
        behaviour = self.controls.take(number.e164)
        if behaviour.fate == "refused":
            raise GraphRefusal(
                status=400,
                code=131026,
                message="(#131026) Message undeliverable",
                details=f"Unable to deliver the message to {number.wa_id}.",
            )
        message = Message(
            message_id="wamid." + secrets.token_urlsafe(30),
            channel="whatsapp",
            to=number.e164,
            accepted_at=self.clock(),
            text=text,
            reference=body.biz_opaque_callback_data,
            template=TemplateSent(template.name, template.language.code, parameters),
            fate=behaviour.fate,
            planned=whatsapp_plan(behaviour),
        )
        return self._accept(message, behaviour)

    def _rendered(self, name: str, language: str, parameters: tuple[str, ...]) -> str | None:
        """The body the citizen reads, if the template is known; refusals as Meta's."""
        if any(_BROKEN_PARAMETER.search(p) for p in parameters):
            raise GraphRefusal(
                status=400,
                code=132018,
                message="(#132018) There's an issue with the parameters in your template.",
                details="Param text cannot have new-line/tab characters or more than 4 "
                "consecutive spaces",
            )
        template = self.templates.find(name, language)
        if template is None:
            if self.settings.whatsapp_require_templates:
                raise GraphRefusal(
                    status=400,
                    code=132001,
                    message="(#132001) Template name does not exist in the translation",
                    details=f"template name ({name[:64]}) does not exist in {language}",
                )
            return None
        if len(parameters) != template.parameter_count:
            raise GraphRefusal(
                status=400,
                code=132000,
                message="(#132000) Number of parameters does not match the expected number "
                "of params",
                details=f"body: number of localizable_params ({len(parameters)}) does not "
                f"match the expected number of params ({template.parameter_count})",
            )
        text = template.render(parameters)
        if len(text) > MAX_BODY_CHARS:
            raise GraphRefusal(
                status=400,
                code=132005,
                message="(#132005) Translated text too long",
                details=f"the body filled in has {len(text)} characters; at most {MAX_BODY_CHARS}",
            )
        return text

    async def reset(self) -> None:
        """Forget everything, receipt URLs back to the configured ones: receipts still
        owed are cancelled first, so none goes out for a message the inbox no longer holds."""
        await self.receipts.cancel_all()
        self.receipts.point("sms", self.settings.sms_receipt_url)
        self.receipts.point("whatsapp", self.settings.whatsapp_receipt_url)
        self.inbox.clear()
        self.templates.clear()
        self.controls.reset()

    def _accept(self, message: Message, behaviour: Behaviour) -> Message:
        delay = behaviour.receipt_delay_seconds
        if delay is None:
            delay = self.settings.receipt_delay_seconds
        if not behaviour.withhold_receipts:
            message.receipts_due_at = message.accepted_at + timedelta(seconds=delay)
        self.inbox.accept(message)
        if not behaviour.withhold_receipts:
            self.receipts.schedule(message, delay=delay)
        return message.copy()
