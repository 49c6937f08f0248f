"""The city's districts (kecamatan) by their Kemendagri codes, for naming them on pages.

Figures carry only the dotted code an event gave; the name is for people. The default is the
city the local suite plays, Kota Tangerang (36.71), whose list the contracts keep for every
service that names or checks districts. Another city sets ``MONITORING_DISTRICTS``.
"""

from kota_contracts.regions import KOTA_TANGERANG_KECAMATAN

KOTA_TANGERANG: dict[str, str] = KOTA_TANGERANG_KECAMATAN
