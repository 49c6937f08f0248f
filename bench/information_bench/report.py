"""The report: one JSON document with the machine, the parameters, the figures, the goal.

Goal (from the issue): an announcement to 1,000,000 citizens in every inbox within 5
minutes. The dispatcher's sends per second have no goal: they are set beside the bare
loop's, through the same simulator in the same run.
"""

import argparse
from typing import Any

from benchkit.machine import MachineLoad, machine_report
from events_bench.servers import Infrastructure, kafka_version

from .config import FAN_OUT_GOAL_CITIZENS, FAN_OUT_GOAL_S

LIBRARIES = ("sqlalchemy", "asyncpg", "pydantic", "fastapi", "uvicorn", "httpx", "jinja2")

NOTES = (
    "directory: the citizens are written into information's directory by one INSERT ... "
    "SELECT over generate_series (ids from gen_random_uuid(), spread over the city's 13 "
    "kecamatan), as identity's registrations would have filled it; no preferences but the "
    "sample's, so everyone else gets the default channels (a WhatsApp message planned, SMS "
    "after it).",
    "fan_out: the information service runs as deployed (uvicorn, one process) with no "
    "provider configured, so messages are planned and wait; an information officer's "
    "token (signed by the benchmark, its JWKS served to the service) writes a draft and "
    "publishes it to everyone. publish_to_every_inbox_s runs from the publish request to "
    "the poll that found the fan-out completed (an upper bound by one poll, and including "
    "the fan-out task's next look, every 2 s); first_to_last_chunk_s is the service's own "
    "started_at to completed_at. rows_per_s counts the notices and the messages planned "
    "with them. check proves every citizen holds it (citizens_without_it) and the notices' "
    "unique key (cause, recipient, kind) that nobody holds it twice.",
    "service_memory_mb: the service's resident set before publishing, the largest sampled "
    "at each poll while it fanned out, after, and its high-water mark (VmHWM, since it "
    "started). cpu: each party's CPU during the fan-out (service; PostgreSQL and Kafka when "
    "the benchmark started them; the benchmark's own polling).",
    "dispatcher: the same service restarted on the same database with the SMS provider "
    "pointed at notifysim (a process of its own) and its contacts read from a real gateway "
    "process (identity's POST /v1/identity/contacts:lookup with the service's agency "
    "client, rate limits on, the write class raised out of the way); INFORMATION_SMS_"
    "SENDS_PER_SECOND is set far above what is reached, so its token bucket never holds a "
    "send back. The sample (the first --sends citizens by id, preferring SMS, no quiet "
    "hours) has phones at the gateway; its messages are due first. sends_per_s is over the "
    "window from the service's /livez answering to the last send taken; "
    "sends_per_s_first_to_last over its first sending mark to the simulator's last "
    "accepted_at. sending_to_taken: per send, from the dispatcher's sending mark (sent_at, "
    "before the provider call) to the simulator's accepted_at.",
    "bare_loop: the same requests (numbers, texts, references, from the simulator's inbox) "
    "POSTed by httpx straight to the simulator with dispatch_concurrency in flight, after "
    "the service and the gateway have stopped and the simulator was reset. round_trip is "
    "the client's; request_to_taken is set beside the dispatcher's sending_to_taken.",
    "receipts: 'none' holds every receipt back a day (NOTIFYSIM_RECEIPT_DELAY_SECONDS): "
    "nothing is posted during the run, so both measure the send path alone; 'service' "
    "posts each SMS's delivery report to the service's receipt URL while it dispatches "
    "(the bare loop's receipts are withheld: nobody would take them).",
    "A bench-started PostgreSQL runs with fsync=off and synchronous_commit=off (the dev and "
    "test settings of kota_dev.postgres): commits are cheaper than in production.",
    "Everything (PostgreSQL, Kafka, the service, the gateway, the simulator, the benchmark) "
    "shares the machine's CPUs; other work on it (load_average_*, cpu_pressure_*) disturbs "
    "the figures.",
)


def goals(args: argparse.Namespace, fanned: dict[str, Any]) -> dict[str, Any]:
    seconds = fanned["publish_to_every_inbox_s"]
    check = fanned["check"]
    everyone = (
        fanned["completed"]
        and check["citizens_without_it"] == 0
        and check["notices"] == args.citizens
    )
    return {
        "fan_out_s_le_300_at_1000000": {
            "goal": FAN_OUT_GOAL_S,
            "measured": seconds,
            "citizens": args.citizens,
            "at_goal_size": args.citizens >= FAN_OUT_GOAL_CITIZENS,
            "met": bool(everyone and seconds <= FAN_OUT_GOAL_S)
            and args.citizens >= FAN_OUT_GOAL_CITIZENS,
        }
    }


def _ratios(delivery: dict[str, Any] | None) -> dict[str, Any] | None:
    if delivery is None:
        return None
    dispatcher, bare = delivery["dispatcher"], delivery["bare_loop"]
    return {
        "dispatcher_to_bare_loop_sends_per_s": round(
            dispatcher["sends_per_s"] / max(bare["sends_per_s"], 1e-9), 3
        )
    }


def report(
    *,
    args: argparse.Namespace,
    infra: Infrastructure,
    postgres_version: str,
    machine_before: MachineLoad,
    directory: dict[str, Any],
    fanned: dict[str, Any],
    sizes: dict[str, Any],
    delivery: dict[str, Any] | None,
    logs: dict[str, Any],
) -> dict[str, Any]:
    return {
        "bench": "information",
        "machine": {
            **machine_report(
                before=machine_before,
                servers={"kafka": kafka_version(), "postgres": postgres_version},
                libraries=LIBRARIES,
            ),
            "infrastructure": "started by the bench" if infra.started_here else "from environment",
        },
        "params": {
            "citizens": args.citizens,
            "sends": args.sends,
            "fan_out_chunk": args.chunk,
            "dispatch_concurrency": args.dispatch_concurrency,
            "dispatch_batch_size": args.dispatch_batch,
            "sms_sends_per_second_setting": args.sms_rate,
            "receipts": args.receipts,
            "poll_interval_s": args.poll_interval,
        },
        "directory": directory,
        "fan_out": fanned,
        "database_after_fan_out": sizes,
        "delivery": delivery,
        "ratios": _ratios(delivery),
        "log_warnings": logs,
        "goals": goals(args, fanned),
        "notes": list(NOTES),
    }
