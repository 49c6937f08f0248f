"""The gateway's messages in Indonesian and English: NIK and password rules, field messages
of the request models, problem details, and the words for services and roles."""

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from kota_contracts.access import Role
from kota_contracts.services import SERVICES
from kota_gateway.edge.breaker import BreakerState
from kota_gateway.edge.proxy import _unavailable
from kota_gateway.edge.service_names import ANY_SERVICE, SERVICE_NAMES, the_service
from kota_gateway.identity.accounts.nik import InvalidNik, disagreements, parse_nik
from kota_gateway.identity.accounts.problems import TooManyAttempts
from kota_gateway.identity.accounts.schemas import (
    ROLE_NAMES,
    CitizenRegistration,
    PasswordChange,
    StaffCreate,
)
from kota_gateway.identity.passwords import WeakPassword, check_policy
from kota_shared.i18n import Message
from kota_shared.i18n.validation import field_message

TODAY = date(2026, 6, 1)
REGISTRATION = {
    "nik": "3671014508900001",
    "full_name": "Siti Rahmawati",
    "phone": "081234567890",
    "password": "kata sandi rahasia 7",
    "birth_date": "1990-08-05",
    "sex": "female",
}


def messages_of(model: type[BaseModel], data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Field → (Indonesian, English) message, as the problem handlers render them."""
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return {
        ".".join(str(part) for part in error["loc"]): (
            field_message(error).render("id"),
            field_message(error).render("en"),
        )
        for error in raised.value.errors(include_url=False, include_input=False)
    }


def test_a_nik_is_refused_in_both_languages_and_its_reason_stays_english() -> None:
    with pytest.raises(InvalidNik) as raised:
        parse_nik("3671010207260001", today=TODAY)  # born 2 July 2026

    assert raised.value.message.render("id") == "Tanggal lahir dalam NIK berada di masa mendatang."
    assert raised.value.reason == "The date of birth in the NIK is in the future."
    assert str(raised.value) == raised.value.reason  # logs and tracebacks are English


def test_what_a_nik_contradicts_is_said_in_indonesian() -> None:
    nik = parse_nik("3671014508900001", today=TODAY)

    reasons = disagreements(nik, birth_date=date(1990, 8, 6))

    assert reasons["birth_date"].render("id") == (
        "Tanggal lahir tidak sesuai dengan yang tercantum dalam NIK."
    )


@pytest.mark.parametrize(
    ("password", "indonesian"),
    [
        ("short", "Kata sandi paling sedikit 10 karakter."),
        ("x" * 257, "Kata sandi paling banyak 256 karakter."),
        (
            "0812345678901",
            "Kata sandi tidak boleh hanya berisi angka (seperti NIK atau nomor telepon).",
        ),
        (" " * 12, "Kata sandi tidak boleh hanya berisi spasi."),
    ],
)
def test_the_password_policy_says_why_in_indonesian(password: str, indonesian: str) -> None:
    with pytest.raises(WeakPassword) as raised:
        check_policy(password)

    assert raised.value.message.render("id") == indonesian


def test_registration_validators_answer_in_indonesian() -> None:
    found = messages_of(
        CitizenRegistration,
        {**REGISTRATION, "nik": "9971014508900001", "email": "siti@", "password": "short"},
    )

    assert found["nik"] == (
        "Dua angka pertama bukan kode provinsi.",
        "The first two digits are not a province code.",
    )
    assert found["email"] == ("Ini bukan alamat email.", "This is not an email address.")
    assert found["password"][0] == "Kata sandi paling sedikit 10 karakter."


def test_a_date_of_birth_that_disagrees_with_the_nik_is_said_in_indonesian() -> None:
    found = messages_of(CitizenRegistration, {**REGISTRATION, "birth_date": "1990-08-06"})

    assert found["birth_date"][0] == "Tanggal lahir tidak sesuai dengan yang tercantum dalam NIK."


def test_a_new_password_like_the_current_one_is_refused_in_indonesian() -> None:
    same = "kata sandi rahasia 7"

    found = messages_of(PasswordChange, {"current_password": same, "new_password": same})

    assert found["new_password"] == (
        "Kata sandi baru harus berbeda dari kata sandi saat ini.",
        "The new password must differ from the current one.",
    )


def test_staff_roles_are_listed_by_name_not_by_code() -> None:
    found = messages_of(
        StaffCreate,
        {
            "username": "Rina",
            "full_name": "Rina",
            "roles": ["citizen"],
            "password": "kata sandi rahasia 7",
        },
    )

    indonesian, english = found["roles"]
    assert indonesian == (
        "Akun staf hanya dapat diberi peran berikut: petugas perizinan, petugas klinik, "
        "petugas sekolah, petugas keuangan, peninjau pemantauan, petugas informasi, dan "
        "administrator kota."
    )
    assert "permits_officer" not in english
    assert set(ROLE_NAMES) == set(Role)


def test_every_routed_service_has_words_of_its_own() -> None:
    assert set(SERVICE_NAMES) == {service.name for service in SERVICES if service.routed}
    assert the_service("payments").render("id") == "Layanan pembayaran"
    assert the_service("somewhere-new") is ANY_SERVICE


def test_a_dead_upstream_is_named_in_words() -> None:
    problem = _unavailable("payments", retry_after=3.2, circuit=BreakerState.OPEN)

    assert isinstance(problem.detail, Message)
    assert problem.detail.render("id") == "Layanan pembayaran sedang tidak merespons."
    assert problem.detail.render("en") == "The payments service is not answering right now."
    assert problem.extensions["upstream"] == "payments"  # the code, for programs
    assert problem.headers["Retry-After"] == "4"


def test_a_lockout_says_how_long_to_wait() -> None:
    problem = TooManyAttempts(42)

    assert problem.detail is not None
    assert problem.detail.render("id") == "Silakan coba lagi dalam 42 detik."
    assert problem.detail.render("en") == "Try again in 42 seconds."


def test_every_message_of_the_gateway_has_its_indonesian() -> None:
    """What the catalogue check guarantees, seen from the code: no English falls through."""
    for message in (*SERVICE_NAMES.values(), ANY_SERVICE, *ROLE_NAMES.values()):
        assert message.catalogue.has(message.text), message.text
        assert message.render("id") != message.render("en")
