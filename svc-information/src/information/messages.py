"""Marks this package's messages for translation: ``_("English text", name=value)``.

Their Indonesian is in ``locale/id/LC_MESSAGES/messages.po`` beside this module
(``uv run kota messages`` adds new ones; see `kota_shared.i18n`).
"""

from kota_shared.i18n import Catalogue

_ = Catalogue(__package__)
