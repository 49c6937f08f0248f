"""How a message names a service behind the gateway: in words, never by its code.

A service's name (``permits``, ``payments``) is its URL prefix and the ``upstream`` a problem
carries for clients; a person reads ``The permits service`` / ``Layanan perizinan``
instead. Each phrase starts a sentence (``{service} is not answering right now.``), as it
does in both languages. A service a deployment adds without words here is ``The service``.
"""

from collections.abc import Mapping

from kota_gateway.messages import _
from kota_shared.i18n import Message

SERVICE_NAMES: Mapping[str, Message] = {
    "permits": _("The permits service"),
    "health": _("The health service"),
    "education": _("The education service"),
    "payments": _("The payments service"),
    "monitoring": _("The monitoring service"),
    "information": _("The information service"),
}
"""The registered services (`kota_contracts.services`), as a sentence names them."""
ANY_SERVICE = _("The service")


def the_service(name: str) -> Message:
    """The words for the service ``name`` at the start of a sentence."""
    return SERVICE_NAMES.get(name, ANY_SERVICE)
