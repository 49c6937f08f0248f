"""The identity errors a client can act on (rendered as problem+json by the shared handlers).

Messages never say which part of a credential was wrong, nor whose NIK or phone is taken.
"""

from kota_gateway.messages import _
from kota_shared.problems import Conflict, NotFound, Problem, Unauthorized


class AlreadyRegistered(Conflict):
    code = "already_registered"
    title = _("An account cannot be created with these details. If you already have one, sign in.")


class UsernameTaken(Conflict):
    code = "username_taken"
    title = _("This username is already in use.")


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    title = _("The username or password is not correct.")


class InvalidRefreshToken(Unauthorized):
    code = "invalid_refresh_token"
    title = _("Your session has ended. Please sign in again.")


class TooManyAttempts(Problem):
    status = 429
    code = "too_many_attempts"
    title = _("Too many failed sign-in attempts. Please wait before trying again.")

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            _("Try again in {seconds} seconds.", seconds=retry_after),
            headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
        )


class WrongPassword(Problem):
    """The current password given to change it is not right (the session itself is fine)."""

    status = 403
    code = "wrong_password"
    title = _("The current password is not correct.")


class CitizenNotFound(NotFound):
    code = "citizen_not_found"
    title = _("No citizen account has this NIK.")


class NotAPersonalAccount(Problem):
    status = 403
    code = "not_a_personal_account"
    title = _("Only the account holder, signed in themselves, can do this.")


class IdentityNotVerified(Problem):
    """The NIK, name and date of birth do not match one resident of the civil registry.
    One answer for a made-up NIK and for a real one with another name or date of birth, so
    the registration form cannot be used to learn a resident's details."""

    status = 422
    code = "identity_not_verified"
    title = _(
        "Your NIK, name and date of birth do not match the civil registry (Dukcapil). "
        "Write them exactly as on your KTP or family card (KK)."
    )
