"""The region table a NIK's first digits are checked against (Kemendagri area codes).

Data, not logic. Every province is listed (the 38 of the 2022 division, Papua's six
included). Regencies (kabupaten, codes 01-69) and cities (kota, 71-99) are listed for the
provinces this deployment serves and its neighbours; a province whose regencies are listed
is checked strictly, any other accepts every regency code but ``00``. A city that serves
people registered elsewhere extends `REGENCIES` with its neighbours' codes (the full list
is Kepmendagri 100.1.1-6117/2022 and its successors).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

PROVINCES: Mapping[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

REGENCIES: Mapping[str, str] = {
    # DKI Jakarta
    "3101": "Kabupaten Administrasi Kepulauan Seribu",
    "3171": "Kota Administrasi Jakarta Selatan",
    "3172": "Kota Administrasi Jakarta Timur",
    "3173": "Kota Administrasi Jakarta Pusat",
    "3174": "Kota Administrasi Jakarta Barat",
    "3175": "Kota Administrasi Jakarta Utara",
    # Jawa Barat
    "3201": "Kabupaten Bogor",
    "3202": "Kabupaten Sukabumi",
    "3203": "Kabupaten Cianjur",
    "3204": "Kabupaten Bandung",
    "3205": "Kabupaten Garut",
    "3206": "Kabupaten Tasikmalaya",
    "3207": "Kabupaten Ciamis",
    "3208": "Kabupaten Kuningan",
    "3209": "Kabupaten Cirebon",
    "3210": "Kabupaten Majalengka",
    "3211": "Kabupaten Sumedang",
    "3212": "Kabupaten Indramayu",
    "3213": "Kabupaten Subang",
    "3214": "Kabupaten Purwakarta",
    "3215": "Kabupaten Karawang",
    "3216": "Kabupaten Bekasi",
    "3217": "Kabupaten Bandung Barat",
    "3218": "Kabupaten Pangandaran",
    "3271": "Kota Bogor",
    "3272": "Kota Sukabumi",
    "3273": "Kota Bandung",
    "3274": "Kota Cirebon",
    "3275": "Kota Bekasi",
    "3276": "Kota Depok",
    "3277": "Kota Cimahi",
    "3278": "Kota Tasikmalaya",
    "3279": "Kota Banjar",
    # Banten
    "3601": "Kabupaten Pandeglang",
    "3602": "Kabupaten Lebak",
    "3603": "Kabupaten Tangerang",
    "3604": "Kabupaten Serang",
    "3671": "Kota Tangerang",
    "3672": "Kota Cilegon",
    "3673": "Kota Serang",
    "3674": "Kota Tangerang Selatan",
}


@dataclass(frozen=True)
class RegionTable:
    """Which province and regency codes a NIK may start with."""

    provinces: Mapping[str, str] = field(default_factory=lambda: PROVINCES)
    regencies: Mapping[str, str] = field(default_factory=lambda: REGENCIES)

    def province_name(self, code: str) -> str | None:
        return self.provinces.get(code)

    def regency_name(self, code: str) -> str | None:
        return self.regencies.get(code)

    def lists_regencies_of(self, province_code: str) -> bool:
        """True when the table holds this province's regencies, so it checks them strictly."""
        return any(code.startswith(province_code) for code in self.regencies)


REGIONS = RegionTable()
