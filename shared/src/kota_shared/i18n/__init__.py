"""Bahasa Indonesia first: every message a person reads, in Indonesian or English.

Messages are written in English in the code, marked with a package's `Catalogue`
(``_ = Catalogue(__package__)`` in each package's ``i18n.py``), and translated in that
package's gettext catalogue, ``locale/id/LC_MESSAGES/messages.po``. ``uv run kota messages``
extracts them (Babel) and merges new ones into the catalogues; a test fails while any has no
Indonesian translation. A caller gets Indonesian unless its ``Accept-Language`` ranks English
higher (`negotiate`).
"""

from kota_shared.i18n.catalogue import Catalogue, Message, Text
from kota_shared.i18n.formats import FileSize, Localized, LongDate, Rupiah, Sequence, Weekday
from kota_shared.i18n.negotiation import DEFAULT_LANGUAGE, LANGUAGES, Language, negotiate
from kota_shared.i18n.validation import Matching, refused

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Catalogue",
    "FileSize",
    "Language",
    "Localized",
    "LongDate",
    "Matching",
    "Message",
    "Rupiah",
    "Sequence",
    "Text",
    "Weekday",
    "negotiate",
    "refused",
]
