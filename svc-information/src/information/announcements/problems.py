"""The announcements' own problems (RFC 9457), each with a stable code."""

from information.messages import _
from kota_shared.problems import Conflict, NotFound, Problem, ValidationFailed


class AnnouncementNotFound(NotFound):
    code = "announcement_not_found"
    title = _("There is no announcement with this id.")


class UnknownKecamatan(ValidationFailed):
    """A kecamatan code that is not one of the city's (``INFORMATION_KECAMATAN``);
    ``unknown`` lists them."""

    code = "unknown_kecamatan"
    title = _("This is not a kecamatan of the city.")


class ExpiryBeforePublication(ValidationFailed):
    code = "expiry_before_publication"
    title = _("An announcement must expire after it is published.")


class AlreadyExpired(Conflict):
    """Publishing now would put it in the feed already expired: its ``expires_at`` has
    passed, so it needs a later one first."""

    code = "announcement_already_expired"
    title = _("This announcement's expiry time has already passed.")


class NotEditable(Conflict):
    """Published announcements are changed only before their publication time, and
    withdrawn ones never."""

    code = "announcement_not_editable"
    title = _("This announcement can no longer be changed.")


class IllegalTransition(Conflict):
    code = "announcement_illegal_transition"
    title = _("This step is not possible in the announcement's current state.")


class ImageTooLarge(Problem):
    status = 413
    code = "image_too_large"
    title = _("The image is too large.")


class ImageTypeNotAccepted(Problem):
    status = 415
    code = "image_type_not_accepted"
    title = _("The image must be a JPEG, PNG or WebP file.")


class ImageMismatch(ValidationFailed):
    """The bytes are an image of another type than the ``Content-Type`` the upload declared."""

    code = "image_type_mismatch"
    title = _("The image is not what its content type says.")
