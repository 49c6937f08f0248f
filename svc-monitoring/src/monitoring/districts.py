"""The city's districts (kecamatan) by their Kemendagri codes, for naming them on pages.

Figures carry only the dotted code an event gave; the name is for people. The default is the
city the local suite plays, Kota Tangerang (36.71): its 13 kecamatan as Kepmendagri
No. 300.2.2-2138 Tahun 2025 lists them (taken from cahyadsn/wilayah, as the civil registry
simulator's data is). Another city sets ``MONITORING_DISTRICTS``.
"""

KOTA_TANGERANG: dict[str, str] = {
    "36.71.01": "Tangerang",
    "36.71.02": "Jatiuwung",
    "36.71.03": "Batuceper",
    "36.71.04": "Benda",
    "36.71.05": "Cipondoh",
    "36.71.06": "Ciledug",
    "36.71.07": "Karawaci",
    "36.71.08": "Periuk",
    "36.71.09": "Cibodas",
    "36.71.10": "Neglasari",
    "36.71.11": "Pinang",
    "36.71.12": "Karang Tengah",
    "36.71.13": "Larangan",
}
