"""The identity errors a client can act on (rendered as problem+json by the shared handlers).

Messages never say which part of a credential was wrong, nor whose NIK or phone is taken.
"""

from kota_shared.problems import Conflict, NotFound, Problem, Unauthorized


class AlreadyRegistered(Conflict):
    code = "already_registered"
    title_en = "An account cannot be created with these details. If you already have one, sign in."
    title_id = "Akun tidak dapat dibuat dengan data ini. Jika Anda sudah punya akun, silakan masuk."


class UsernameTaken(Conflict):
    code = "username_taken"
    title_en = "This username is already in use."
    title_id = "Nama pengguna ini sudah dipakai."


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    title_en = "The username or password is not correct."
    title_id = "Nama pengguna atau kata sandi salah."


class InvalidRefreshToken(Unauthorized):
    code = "invalid_refresh_token"
    title_en = "Your session has ended. Please sign in again."
    title_id = "Sesi Anda telah berakhir. Silakan masuk kembali."


class TooManyAttempts(Problem):
    status = 429
    code = "too_many_attempts"
    title_en = "Too many failed sign-in attempts. Please wait before trying again."
    title_id = "Terlalu banyak percobaan masuk yang gagal. Silakan tunggu sebelum mencoba lagi."

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
        )


class WrongPassword(Problem):
    """The current password given to change it is not right (the session itself is fine)."""

    status = 403
    code = "wrong_password"
    title_en = "The current password is not correct."
    title_id = "Kata sandi saat ini salah."


class CitizenNotFound(NotFound):
    code = "citizen_not_found"
    title_en = "No citizen account has this NIK."
    title_id = "Tidak ada akun warga dengan NIK ini."


class NotAPersonalAccount(Problem):
    status = 403
    code = "not_a_personal_account"
    title_en = "Only the account holder, signed in themselves, can do this."
    title_id = "Hanya pemilik akun yang masuk sendiri yang dapat melakukan ini."
