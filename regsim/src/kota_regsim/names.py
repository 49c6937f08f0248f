"""Common Indonesian given names and family names, and street names, for a synthetic population.

Combined at random they name no one in particular; a real person's name is never used on
purpose (the demo families, `kota_regsim.demo`, carry the names of the project's examples).
"""

MALE_GIVEN = (
    "Adi", "Agung", "Ahmad", "Andi", "Arif", "Bambang", "Bayu", "Budi", "Dani", "Dedi",
    "Deni", "Dimas", "Eko", "Fajar", "Farhan", "Hadi", "Hendra", "Herman", "Iwan", "Joko",
    "Kurnia", "Lukman", "Muhammad", "Nanda", "Nur", "Rafi", "Rizky", "Rudi", "Sigit", "Slamet",
    "Taufik", "Teguh", "Wahyu", "Yoga", "Yusuf", "Zaki",
)  # fmt: skip
FEMALE_GIVEN = (
    "Aisyah", "Ani", "Ayu", "Citra", "Dewi", "Dian", "Endah", "Fitri", "Indah", "Intan",
    "Kartika", "Lestari", "Lina", "Maya", "Nabila", "Nadia", "Nur", "Putri", "Rahma", "Ratna",
    "Rina", "Salsabila", "Sari", "Siti", "Sri", "Tari", "Tuti", "Wulan", "Yanti", "Yuliana",
    "Zahra",
)  # fmt: skip
MALE_MIDDLE = ("Adi", "Dwi", "Eka", "Indra", "Nur", "Putra", "Ramadhan", "Tri")
FEMALE_MIDDLE = ("Aulia", "Dwi", "Eka", "Nur", "Putri", "Ramadhani", "Sri", "Tri")
MALE_LAST = (
    "Gunawan", "Hakim", "Hartono", "Hidayat", "Irawan", "Kurniawan", "Maulana", "Nugroho",
    "Permana", "Pratama", "Purnomo", "Saputra", "Setiawan", "Sulistyo", "Susanto", "Wahyudi",
    "Wibowo", "Wijaya", "Yusuf",
)  # fmt: skip
FEMALE_LAST = (
    "Anggraeni", "Handayani", "Kusumawati", "Lestari", "Maharani", "Novitasari", "Pertiwi",
    "Puspitasari", "Rahmawati", "Safitri", "Utami", "Wulandari", "Yulianti",
)  # fmt: skip
STREETS = (
    "JL. MAWAR", "JL. MELATI", "JL. KENANGA", "JL. ANGGREK", "JL. CEMPAKA", "JL. FLAMBOYAN",
    "JL. BERINGIN", "JL. NANGKA", "JL. DAMAI", "JL. MERDEKA", "JL. PELITA", "JL. KAMPUNG BARU",
    "GG. MASJID", "GG. SEPAKAT", "GG. H. MISAN", "PERUM GRIYA ASRI BLOK C",
)  # fmt: skip
