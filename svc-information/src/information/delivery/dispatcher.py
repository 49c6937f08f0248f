"""The dispatcher: sends the messages that are due, once each, within every limit.

The queue is the ``messages`` table itself, written in the notice's transaction (so a
notice and its first message commit together, as an event and its outbox row do), and
claimed with ``FOR UPDATE SKIP LOCKED``, so any number of dispatchers in any number of
replicas share it without a coordinator. A message goes through short transactions, each
committed before anything leaves the process:

1. **claim** a batch of due messages for a lease (``claim_token``, ``due_at`` moved to the
   lease's end); those in their citizen's quiet hours are given back, due when quiet ends.
   A dispatcher that dies here loses nothing: the lease runs out and another takes them.
2. **read the phones** of the batch from identity (one call), **take tokens** from the
   provider's bucket (one row per provider, on the database's clock), render each message.
3. **reserve** each send under its number's advisory lock: count the number's sends of the
   last hour (all, and identical ones), and if it may go, mark it ``sending`` and counted.
   Committed *before* the provider is called: a message marked ``sending`` is never claimed
   for a send again, which is what makes it at most once per (notice, channel).
4. **send**, then record the answer: the provider's id, or the failure (a refusal is
   permanent and hands the notice on; a provider down is retried with jittered back-off).

A crash between 3's commit and 4's leaves a message ``sending`` with no provider id: it
is not sent again (neither provider deduplicates a send by our ``reference``), and its
receipt, which repeats our message id as the reference, names it when it comes; if none
comes, the next channel is tried at the receipt deadline. The same holds for a send whose
answer was lost (a read timeout). So a message may be lost to a crash, and then reaches the
citizen by the next channel a day later, but it is never sent twice.
"""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from information.config import InformationSettings
from information.delivery import metrics, service
from information.delivery.contacts import ContactBook, ContactsUnavailable
from information.delivery.dependencies import Delivery, ReceiptDesk
from information.delivery.limits import NumberLimits, TokenBucket, Verdict, fingerprint
from information.delivery.providers import Outgoing, Provider, SendFailed
from information.delivery.providers.sms_gateway import SmsGateway
from information.delivery.providers.whatsapp_cloud import WhatsAppCloud
from information.delivery.retries import RetryPolicy
from information.delivery.service import Send
from information.preferences.models import Channel
from information.rendering import TemplateMissing, render
from kota_shared.app import Extension, ServiceRuntime
from kota_shared.backoff import Backoff
from kota_shared.outages import describe, is_transient
from kota_shared.periodic import every
from kota_shared.transaction import Transaction
from kota_shared.webhook_verification import CallbackVerifier

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchRules:
    limits: NumberLimits
    retries: RetryPolicy
    receipt_wait: timedelta
    """How long a sent message waits for its receipt before the next channel is tried."""
    lease: timedelta
    timezone: ZoneInfo
    batch_size: int
    concurrency: int
    poll_seconds: float


class Dispatcher:
    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        transaction: Callable[[AsyncSession], Transaction],
        providers: Mapping[Channel, Provider],
        buckets: Mapping[Channel, TokenBucket],
        contacts: ContactBook,
        number_key: bytes,
        rules: DispatchRules,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._transaction = transaction
        self._providers = providers
        self._buckets = buckets
        self._contacts = contacts
        self._key = number_key
        self._rules = rules

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[Transaction]:
        async with self._sessionmaker() as session, session.begin():
            yield self._transaction(session)

    async def run(self) -> None:
        """Dispatch until cancelled (run it under a `Supervisor`): at once while there is
        work, every ``poll_seconds`` when there is none; an outage of PostgreSQL is waited
        out, anything else raised for the supervisor to restart."""
        while True:
            try:
                pause = await self.dispatch()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                _log.warning("the dispatcher waits out an outage: %s", describe(exc))
                pause = self._rules.poll_seconds
            if pause:
                await asyncio.sleep(pause)

    async def dispatch(self) -> float:
        """One round: hand on the messages whose receipt is overdue, then send one batch.
        Returns how long to pause before the next round (0: more may be waiting)."""
        async with self._tx() as tx:
            overdue = await service.give_up_waiting(tx, limit=self._rules.batch_size)
        token = uuid.uuid4()
        async with self._tx() as tx:
            sends = await service.claim(
                tx,
                limit=self._rules.batch_size,
                lease=self._rules.lease,
                token=token,
                timezone=self._rules.timezone,
            )
        if not sends:
            return 0 if overdue else self._rules.poll_seconds
        sendable = await self._with_provider(sends, token)
        try:
            phones = await self._contacts.phones([send.recipient_id for send in sendable])
        except ContactsUnavailable as exc:
            # Their lease runs out and they are claimed again: nothing is lost or sent.
            _log.warning("cannot read phone numbers, %d sends wait: %s", len(sendable), exc)
            return self._rules.poll_seconds
        ready, pause = await self._within_rate(sendable, token)
        gate = asyncio.Semaphore(self._rules.concurrency)

        async def deliver(send: Send) -> None:
            async with gate:
                try:
                    await self._deliver(send, token=token, phone=phones.get(send.recipient_id))
                except Exception as exc:
                    if not is_transient(exc):
                        raise
                    # Left claimed (its lease runs out) or sending (its receipt names it).
                    _log.warning(
                        "message %s waits out an outage: %s", send.message_id, describe(exc)
                    )

        async with asyncio.TaskGroup() as group:
            for send in ready:
                group.create_task(deliver(send))
        return pause

    async def _with_provider(self, sends: Sequence[Send], token: uuid.UUID) -> list[Send]:
        """The sends whose channel has a provider; the others fail at once, handed on."""
        without = [send for send in sends if send.channel not in self._providers]
        if without:
            async with self._tx() as tx:
                for send in without:
                    await service.refuse(tx, send=send, token=token, error_code="no_provider")
                    metrics.SKIPPED.labels(send.channel, "no_provider").inc()
        return [send for send in sends if send.channel in self._providers]

    async def _within_rate(
        self, sends: Sequence[Send], token: uuid.UUID
    ) -> tuple[list[Send], float]:
        """The sends each provider's rate lets go now; the others are given back, due at
        once, and the dispatcher pauses until the bucket has a token again."""
        ready: list[Send] = []
        pause = 0.0
        for channel in dict.fromkeys(send.channel for send in sends):
            group = [send for send in sends if send.channel == channel]
            async with self._tx() as tx:
                granted, wait = await service.take_tokens(
                    tx, channel=channel, bucket=self._buckets[channel], wanted=len(group)
                )
                for send in group[granted:]:
                    await service.hold(tx, send=send, token=token, until=tx.now)
            ready += group[:granted]
            pause = max(pause, wait)
        return ready, pause

    async def _deliver(self, send: Send, *, token: uuid.UUID, phone: str | None) -> None:
        if phone is None:
            async with self._tx() as tx:
                await service.drop(tx, send=send, token=token)
            return
        try:
            rendered = render(
                send.kind,
                send.channel.value,
                send.language,
                send.params,
                timezone=self._rules.timezone,
                version=send.template_version,
            )
        except Exception as exc:
            # A message that cannot be written (no template for its channel, a template
            # that breaks on its parameters) fails alone; it must not stop the others.
            missing = isinstance(exc, TemplateMissing)
            _log.exception("cannot write the %s message %s", send.channel, send.message_id)
            async with self._tx() as tx:
                await service.refuse(
                    tx,
                    send=send,
                    token=token,
                    error_code="no_template" if missing else "template_failed",
                )
            return
        async with self._tx() as tx:
            decision = await service.reserve(
                tx,
                send=send,
                token=token,
                number_hash=fingerprint(self._key, "number", phone),
                content_hash=fingerprint(self._key, "content", send.channel, rendered.body),
                limits=self._rules.limits,
                receipt_wait=self._rules.receipt_wait,
            )
        if decision is None or decision.verdict is not Verdict.SEND:
            return
        outgoing = Outgoing(reference=str(send.message_id), to=phone, rendered=rendered)
        try:
            accepted = await self._providers[send.channel].send(outgoing)
        except SendFailed as failure:
            async with self._tx() as tx:
                await service.not_sent(tx, send=send, failure=failure, retries=self._rules.retries)
            return
        async with self._tx() as tx:
            await service.sent(tx, send=send, accepted=accepted)

    async def measure_queue(self) -> None:
        """Set the queue gauge (run it every few seconds)."""
        async with self._tx() as tx:
            counts = await service.queue_depth(tx)
        metrics.measured_queue(counts, [channel.value for channel in Channel])


DISPATCHER_TASK = "delivery-dispatcher"
QUEUE_TASK = "delivery-queue"
QUEUE_MEASURE_SECONDS = 15


def _providers(settings: InformationSettings, http: httpx.AsyncClient) -> dict[Channel, Provider]:
    """The providers the settings give (checked complete at start, `InformationSettings`)."""
    providers: dict[Channel, Provider] = {}
    timeout = settings.provider_timeout_seconds
    if settings.whatsapp_api_url is not None:
        assert settings.whatsapp_phone_number_id
        assert settings.whatsapp_access_token
        providers[Channel.WHATSAPP] = WhatsAppCloud(
            http=http,
            base_url=settings.whatsapp_api_url,
            api_version=settings.whatsapp_api_version,
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token.get_secret_value(),
            timeout_seconds=timeout,
        )
    if settings.sms_gateway_url is not None:
        assert settings.sms_gateway_api_key is not None
        providers[Channel.SMS] = SmsGateway(
            http=http,
            base_url=settings.sms_gateway_url,
            api_key=settings.sms_gateway_api_key.get_secret_value(),
            timeout_seconds=timeout,
        )
    return providers


def _desks(settings: InformationSettings, providers: Mapping[Channel, Provider]) -> Delivery:
    secrets = {
        Channel.WHATSAPP: settings.whatsapp_receipt_secrets,
        Channel.SMS: settings.sms_receipt_secrets,
    }
    return Delivery(
        desks={
            channel: ReceiptDesk(
                provider=provider,
                verifier=CallbackVerifier([s.get_secret_value() for s in secrets[channel]]),
            )
            for channel, provider in providers.items()
        },
        receipt_wait=timedelta(seconds=settings.fallback_after_seconds),
    )


def rules(settings: InformationSettings) -> DispatchRules:
    receipt_wait = timedelta(seconds=settings.fallback_after_seconds)
    return DispatchRules(
        limits=NumberLimits(
            per_hour=settings.messages_per_number_per_hour,
            identical_per_hour=settings.identical_messages_per_number_per_hour,
        ),
        retries=RetryPolicy(
            backoff=Backoff(
                first_seconds=settings.send_retry_first_seconds,
                max_seconds=settings.send_retry_max_seconds,
            ),
            give_up_after=receipt_wait,
        ),
        receipt_wait=receipt_wait,
        lease=timedelta(seconds=settings.dispatch_lease_seconds),
        timezone=settings.timezone,
        batch_size=settings.dispatch_batch_size,
        concurrency=settings.dispatch_concurrency,
        poll_seconds=settings.dispatch_poll_seconds,
    )


def extension(settings: InformationSettings) -> Extension:
    """The providers' receipts desks on ``app.state.delivery``, and the dispatcher and its
    queue gauge under the service's supervisor; nothing when no provider is configured
    (messages then wait in the queue)."""

    @asynccontextmanager
    async def delivery(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        if not settings.delivers:
            yield
            return
        assert settings.contacts_client_secret
        assert settings.number_hash_key
        providers = _providers(settings, runtime.http)
        app.state.delivery = _desks(settings, providers)
        dispatcher = Dispatcher(
            sessionmaker=runtime.sessionmaker,
            transaction=runtime.transaction,
            providers=providers,
            buckets={
                Channel.WHATSAPP: TokenBucket(
                    rate=settings.whatsapp_sends_per_second,
                    burst=settings.whatsapp_sends_per_second,
                ),
                Channel.SMS: TokenBucket(
                    rate=settings.sms_sends_per_second, burst=settings.sms_sends_per_second
                ),
            },
            contacts=ContactBook(
                http=runtime.http,
                gateway_url=settings.gateway_url,
                client_id=settings.contacts_client_id,
                client_secret=settings.contacts_client_secret.get_secret_value(),
                timeout_seconds=settings.provider_timeout_seconds,
            ),
            number_key=settings.number_hash_key.get_secret_value().encode(),
            rules=rules(settings),
        )
        runtime.supervisor.start(DISPATCHER_TASK, dispatcher.run)
        runtime.supervisor.start(QUEUE_TASK, every(QUEUE_MEASURE_SECONDS, dispatcher.measure_queue))
        yield

    return delivery
