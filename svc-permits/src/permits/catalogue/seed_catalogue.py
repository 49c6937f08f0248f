"""Kota Tangerang's (3671) starting catalogue, so a new deployment offers real permits at once.

Amounts and service targets follow typical regional practice; an admin revises them in the
catalogue, not here. The PBG fee's SHST and locality index are illustrative until the city
enters those of its current decree.
"""

from decimal import Decimal
from typing import Any

from permits.catalogue.rules import (
    ALL_CONTENT_TYPES,
    DEFAULT_MAX_BYTES,
    Category,
    ContentType,
    DeadlinePolicy,
    DocumentRequirement,
    FieldKind,
    FieldSpec,
    FixedFee,
    NoFee,
    PbgRetribusi,
    PermitTypeDefinition,
    StageTargets,
    fee_fields,
)

_PDF: tuple[ContentType, ...] = ("application/pdf",)
_IMAGES: tuple[ContentType, ...] = ("image/jpeg", "image/png")
_DRAWING_MAX_BYTES = 25 * 1024 * 1024
"""Technical drawings run larger than scans of letters."""


def _field(name: str, label_id: str, label_en: str, kind: FieldKind, **options: Any) -> FieldSpec:
    return FieldSpec(name=name, label_id=label_id, label_en=label_en, kind=kind, **options)


def _document(
    kind: str,
    label_id: str,
    label_en: str,
    content_types: tuple[ContentType, ...] = ALL_CONTENT_TYPES,
    *,
    required: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DocumentRequirement:
    return DocumentRequirement(
        kind=kind,
        label_id=label_id,
        label_en=label_en,
        content_types=list(content_types),
        required=required,
        max_bytes=max_bytes,
    )


_KTP = _document("ktp", "KTP pemohon", "Applicant's identity card (KTP)")
_NIB = _document(
    "nib", "Nomor Induk Berusaha (NIB) dari OSS", "Business identification number (NIB) from OSS"
)
_PREMISES_PHOTOS = _document(
    "premises_photos", "Foto tempat usaha", "Photos of the business premises", _IMAGES
)

_BUSINESS_NAME = _field("business_name", "Nama usaha", "Business name", "text", max_length=200)
_NIB_NUMBER = _field(
    "nib",
    "Nomor Induk Berusaha (NIB)",
    "Business identification number (NIB)",
    "text",
    max_length=13,
)
_KBLI = _field("kbli", "Kode KBLI kegiatan usaha", "KBLI code of the business activity", "kbli")
_BUSINESS_ADDRESS = _field(
    "business_address",
    "Alamat tempat usaha",
    "Address of the business premises",
    "text",
    max_length=300,
)

_PBG_FEE = PbgRetribusi(shst_per_m2=6_000_000, locality_index=Decimal("0.003"))

PBG = PermitTypeDefinition(
    code="PBG",
    name_id="Persetujuan Bangunan Gedung",
    name_en="Building approval (PBG)",
    category=Category.BUILDING,
    fields=[
        _field(
            "building_name",
            "Nama bangunan",
            "Building name",
            "text",
            max_length=200,
            required=False,
        ),
        _field(
            "address",
            "Alamat lokasi bangunan",
            "Address of the building site",
            "text",
            max_length=300,
        ),
        _field(
            "land_title_number",
            "Nomor bukti kepemilikan tanah (sertifikat, AJB atau girik)",
            "Land title number (certificate, deed of sale or girik)",
            "text",
            max_length=100,
        ),
        _field(
            "land_area_m2", "Luas tanah (m²)", "Land area (m²)", "decimal", min=1, max=10_000_000
        ),
        *fee_fields(_PBG_FEE),
    ],
    documents=[
        _KTP,
        _document(
            "land_rights",
            "Bukti kepemilikan hak atas tanah (sertifikat, AJB atau girik)",
            "Proof of land rights (certificate, deed of sale or girik)",
        ),
        _document(
            "land_use_agreement",
            "Perjanjian pemanfaatan tanah (bila tanah bukan milik pemohon)",
            "Land-use agreement (if the applicant does not own the land)",
            required=False,
        ),
        _document(
            "pbb_receipt",
            "Bukti pelunasan PBB tahun berjalan",
            "Receipt for this year's land and building tax (PBB)",
        ),
        _document(
            "kkpr",
            "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR) atau Keterangan Rencana Kota (KRK)",
            "Spatial-use conformity (KKPR) or city plan statement (KRK)",
        ),
        _document(
            "site_plan",
            "Gambar situasi / rencana tapak",
            "Site plan",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
        _document(
            "architectural_drawings",
            "Gambar teknis arsitektur (denah, tampak, potongan)",
            "Architectural drawings (plans, elevations, sections)",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
        _document(
            "structural_drawings",
            "Gambar dan perhitungan struktur",
            "Structural drawings and calculations",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
        _document(
            "mep_drawings",
            "Gambar utilitas (mekanikal, elektrikal, plambing)",
            "Building services drawings (mechanical, electrical, plumbing)",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
    ],
    fee_rule=_PBG_FEE,
    stage_targets=StageTargets(verification=1, review=10),
    deadline_policy=DeadlinePolicy.ESCALATE,
    validity_months=None,  # a PBG stands as long as the building matches it
)

SLF = PermitTypeDefinition(
    code="SLF",
    name_id="Sertifikat Laik Fungsi",
    name_en="Certificate of fitness for use (SLF)",
    category=Category.BUILDING,
    fields=[
        _field("address", "Alamat bangunan", "Address of the building", "text", max_length=300),
        _field(
            "pbg_number", "Nomor PBG atau IMB", "PBG (or former IMB) number", "text", max_length=100
        ),
        _field(
            "application_kind",
            "Jenis permohonan",
            "Kind of application",
            "choice",
            choices=["first_issue", "renewal"],
        ),
        _field(
            "building_function",
            "Fungsi bangunan",
            "Building function",
            "choice",
            choices=["business", "residential", "religious", "social_cultural", "special"],
        ),
        _field(
            "floor_area_m2",
            "Luas total lantai bangunan (m²)",
            "Total floor area of all floors (m²)",
            "decimal",
            min=1,
            max=1_000_000,
        ),
        _field("floors", "Jumlah lantai", "Number of floors", "integer", min=1, max=100),
        _field(
            "completion_date",
            "Tanggal selesai pembangunan",
            "Date construction was completed",
            "date",
        ),
    ],
    documents=[
        _KTP,
        _document("pbg", "Salinan PBG atau IMB", "Copy of the PBG or IMB"),
        _document(
            "as_built_drawings",
            "Gambar terbangun (as-built drawings)",
            "As-built drawings",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
        _document(
            "inspection_report",
            "Laporan pemeriksaan kelaikan fungsi oleh pengkaji teknis",
            "Fitness-for-use inspection report by a technical assessor",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
        _document("building_photos", "Foto bangunan", "Photos of the building", _IMAGES),
    ],
    fee_rule=NoFee(),
    stage_targets=StageTargets(verification=1, review=5),
    deadline_policy=DeadlinePolicy.ESCALATE,
    validity_months=60,  # 5 years for most buildings (a single house's SLF runs 20)
)

REKLAME = PermitTypeDefinition(
    code="REKLAME",
    name_id="Izin Penyelenggaraan Reklame",
    name_en="Advertisement display permit",
    category=Category.ADVERTISEMENT,
    fields=[
        _field(
            "site_address",
            "Alamat titik lokasi reklame",
            "Address of the advertisement site",
            "text",
            max_length=300,
        ),
        _field(
            "ad_type",
            "Jenis reklame",
            "Type of advertisement",
            "choice",
            choices=["billboard", "neon_box", "videotron", "banner"],
        ),
        _field(
            "width_m",
            "Lebar bidang reklame (m)",
            "Width of the display (m)",
            "decimal",
            min=Decimal("0.1"),
            max=100,
        ),
        _field(
            "height_m",
            "Tinggi bidang reklame (m)",
            "Height of the display (m)",
            "decimal",
            min=Decimal("0.1"),
            max=100,
        ),
        _field("faces", "Jumlah sisi reklame", "Number of faces", "integer", min=1, max=4),
        _field(
            "content",
            "Naskah atau isi reklame",
            "Text or content of the advertisement",
            "text",
            max_length=500,
        ),
        _field("start_date", "Tanggal mulai tayang", "First day on display", "date"),
        _field("end_date", "Tanggal akhir tayang", "Last day on display", "date"),
    ],
    documents=[
        _KTP,
        _document(
            "npwpd",
            "Nomor Pokok Wajib Pajak Daerah (NPWPD)",
            "Regional taxpayer number (NPWPD)",
            required=False,
        ),
        _document("site_photo", "Foto lokasi pemasangan", "Photo of the site", _IMAGES),
        _document(
            "design",
            "Desain reklame beserta ukurannya",
            "Design of the advertisement with its dimensions",
        ),
        _document(
            "owner_consent",
            "Surat persetujuan pemilik lahan atau bangunan",
            "Consent of the owner of the land or building",
        ),
        _document(
            "construction_drawing",
            "Gambar konstruksi (untuk reklame bertiang)",
            "Construction drawing (for free-standing signs)",
            _PDF,
            required=False,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
    ],
    # The permit's own fee; pajak reklame is assessed separately by the revenue agency.
    fee_rule=FixedFee(amount=150_000),
    stage_targets=StageTargets(verification=1, review=3),
    deadline_policy=DeadlinePolicy.AUTO_APPROVE,
    validity_months=12,
)

KERAMAIAN = PermitTypeDefinition(
    code="KERAMAIAN",
    name_id="Rekomendasi Izin Keramaian",
    name_en="Public event recommendation (crowd permit)",
    category=Category.EVENT,
    fields=[
        _field("event_name", "Nama kegiatan", "Event name", "text", max_length=200),
        _field(
            "event_kind",
            "Jenis kegiatan",
            "Kind of event",
            "choice",
            choices=[
                "concert",
                "festival",
                "sports",
                "exhibition",
                "religious",
                "community",
                "other",
            ],
        ),
        _field("organiser", "Nama penyelenggara", "Organiser", "text", max_length=200),
        _field(
            "venue_address",
            "Alamat tempat kegiatan",
            "Address of the venue",
            "text",
            max_length=300,
        ),
        _field("start_date", "Tanggal mulai kegiatan", "First day of the event", "date"),
        _field(
            "duration_days", "Lama kegiatan (hari)", "Duration (days)", "integer", min=1, max=30
        ),
        _field(
            "expected_attendance",
            "Perkiraan jumlah peserta",
            "Expected attendance",
            "integer",
            min=1,
            max=1_000_000,
        ),
    ],
    documents=[
        _KTP,
        _document("proposal", "Proposal dan susunan acara", "Event proposal and programme"),
        _document(
            "venue_permission",
            "Surat persetujuan pemilik atau pengelola tempat",
            "Permission from the owner or manager of the venue",
        ),
        _document(
            "neighbourhood_letter",
            "Surat pengantar RT/RW dan kelurahan",
            "Cover letter from the RT/RW and the kelurahan",
        ),
        _document("security_plan", "Rencana pengamanan", "Security plan", required=False),
    ],
    fee_rule=NoFee(),
    stage_targets=StageTargets(verification=1, review=2),
    deadline_policy=DeadlinePolicy.AUTO_APPROVE,
    validity_months=None,  # it covers the event's own dates
)

SIP = PermitTypeDefinition(
    code="SIP",
    name_id="Surat Izin Praktik Tenaga Kesehatan",
    name_en="Health professional's practice licence (SIP)",
    category=Category.HEALTH_PRACTICE,
    fields=[
        _field(
            "profession",
            "Profesi",
            "Profession",
            "choice",
            choices=[
                "doctor",
                "specialist_doctor",
                "dentist",
                "midwife",
                "nurse",
                "pharmacist",
                "physiotherapist",
            ],
        ),
        _field(
            "str_number",
            "Nomor Surat Tanda Registrasi (STR)",
            "Registration certificate (STR) number",
            "text",
            max_length=50,
        ),
        _field(
            "practice_setting",
            "Tempat praktik",
            "Practice setting",
            "choice",
            choices=["health_facility", "independent_practice"],
        ),
        _field(
            "facility_name",
            "Nama fasilitas pelayanan kesehatan atau tempat praktik",
            "Name of the health facility or practice",
            "text",
            max_length=200,
        ),
        _field(
            "practice_address",
            "Alamat tempat praktik",
            "Address of the practice",
            "text",
            max_length=300,
        ),
        _field("practice_hours", "Jadwal praktik", "Practice hours", "text", max_length=200),
    ],
    documents=[
        _KTP,
        _document("str", "STR yang masih berlaku", "Valid registration certificate (STR)"),
        _document("diploma", "Ijazah pendidikan profesi", "Professional degree certificate"),
        _document(
            "health_certificate",
            "Surat keterangan sehat dari dokter",
            "Doctor's certificate of good health",
        ),
        _document(
            "facility_statement",
            "Surat keterangan dari pimpinan fasilitas pelayanan kesehatan",
            "Statement from the head of the health facility",
            required=False,
        ),
        _document(
            "photo", "Pasfoto berwarna", "Colour passport photo", _IMAGES, max_bytes=2 * 1024 * 1024
        ),
    ],
    fee_rule=NoFee(),
    stage_targets=StageTargets(verification=1, review=5),
    deadline_policy=DeadlinePolicy.AUTO_APPROVE,
    validity_months=60,  # five years, and only while the STR stays valid
)

SERTIFIKAT_STANDAR = PermitTypeDefinition(
    code="SERTIFIKAT_STANDAR",
    name_id="Sertifikat Standar Usaha Penyediaan Makanan dan Minuman",
    name_en="Standard certificate for food and beverage businesses",
    category=Category.BUSINESS,
    # 56101 restoran, 56102 rumah/warung makan, 56303 rumah minum/kafe.
    kbli=["56101", "56102", "56303"],
    # Medium-high: the certificate is verified by the city (medium-low is self-declared in OSS).
    risk_level="medium_high",
    fields=[
        _BUSINESS_NAME,
        _NIB_NUMBER,
        _KBLI,
        _BUSINESS_ADDRESS,
        _field(
            "business_scale",
            "Skala usaha",
            "Business scale",
            "choice",
            choices=["micro", "small", "medium", "large"],
        ),
        _field(
            "premises_area_m2",
            "Luas tempat usaha (m²)",
            "Floor area of the premises (m²)",
            "decimal",
            min=1,
            max=1_000_000,
        ),
        _field(
            "seating_capacity", "Jumlah kursi", "Seating capacity", "integer", min=0, max=10_000
        ),
    ],
    documents=[
        _KTP,
        _NIB,
        _document(
            "hygiene_certificate",
            "Sertifikat Laik Higiene Sanitasi (SLHS)",
            "Hygiene and sanitation certificate (SLHS)",
            required=False,
        ),
        _PREMISES_PHOTOS,
    ],
    fee_rule=NoFee(),
    stage_targets=StageTargets(verification=1, review=5),
    deadline_policy=DeadlinePolicy.AUTO_APPROVE,
    validity_months=None,  # valid while the business runs
)

TDUP = PermitTypeDefinition(
    code="TDUP",
    name_id="Tanda Daftar Usaha Pariwisata",
    name_en="Tourism business registration (TDUP)",
    category=Category.BUSINESS,
    # 55130 pondok wisata, 79111 agen perjalanan wisata, 79121 biro perjalanan wisata.
    kbli=["55130", "79111", "79121"],
    risk_level="low",
    fields=[
        _BUSINESS_NAME,
        _NIB_NUMBER,
        _KBLI,
        _BUSINESS_ADDRESS,
        _field(
            "manager_name",
            "Nama penanggung jawab usaha",
            "Person in charge of the business",
            "text",
            max_length=200,
        ),
        _field(
            "employees", "Jumlah tenaga kerja", "Number of employees", "integer", min=0, max=100_000
        ),
    ],
    documents=[
        _KTP,
        _NIB,
        _document(
            "deed",
            "Akta pendirian badan usaha (bila berbadan usaha)",
            "Deed of establishment (for a company)",
            required=False,
        ),
        _PREMISES_PHOTOS,
    ],
    fee_rule=NoFee(),
    stage_targets=StageTargets(verification=1, review=3),
    deadline_policy=DeadlinePolicy.AUTO_APPROVE,
    validity_months=None,
)

SPPL = PermitTypeDefinition(
    code="SPPL",
    name_id="Surat Pernyataan Kesanggupan Pengelolaan dan Pemantauan Lingkungan Hidup",
    name_en="Environmental management and monitoring undertaking (SPPL)",
    category=Category.ENVIRONMENT,
    fields=[
        _field(
            "business_name",
            "Nama usaha atau kegiatan",
            "Name of the business or activity",
            "text",
            max_length=200,
        ),
        _field(
            "activity_description",
            "Uraian kegiatan usaha",
            "Description of the activity",
            "text",
            max_length=1000,
        ),
        _field("kbli", "Kode KBLI (bila ada)", "KBLI code (if any)", "kbli", required=False),
        _field(
            "address", "Alamat lokasi kegiatan", "Address of the activity", "text", max_length=300
        ),
        _field(
            "land_area_m2", "Luas lahan (m²)", "Land area (m²)", "decimal", min=1, max=10_000_000
        ),
        _field(
            "building_area_m2",
            "Luas bangunan (m²)",
            "Building area (m²)",
            "decimal",
            min=0,
            max=10_000_000,
        ),
        _field(
            "waste_handling",
            "Rencana pengelolaan limbah dan sampah",
            "How waste water and refuse will be handled",
            "text",
            max_length=1000,
        ),
    ],
    documents=[
        _KTP,
        _document(
            "sppl_statement",
            "Surat pernyataan SPPL bermeterai dan bertanda tangan",
            "Signed SPPL statement bearing a duty stamp (meterai)",
        ),
        _document("site_layout", "Denah lokasi kegiatan", "Layout of the site"),
        _PREMISES_PHOTOS,
    ],
    fee_rule=NoFee(),
    stage_targets=StageTargets(verification=1, review=5),
    deadline_policy=DeadlinePolicy.AUTO_APPROVE,
    validity_months=None,
)

PERTEK_AIR_LIMBAH = PermitTypeDefinition(
    code="PERTEK_AIR_LIMBAH",
    name_id="Persetujuan Teknis Pemenuhan Baku Mutu Air Limbah",
    name_en="Technical approval for discharging treated wastewater",
    category=Category.ENVIRONMENT,
    fields=[
        _field(
            "business_name",
            "Nama usaha atau kegiatan",
            "Name of the business or activity",
            "text",
            max_length=200,
        ),
        _field(
            "address", "Alamat lokasi kegiatan", "Address of the activity", "text", max_length=300
        ),
        _field(
            "wastewater_source",
            "Sumber air limbah",
            "Source of the wastewater",
            "choice",
            choices=["domestic", "industrial", "healthcare", "hospitality"],
        ),
        _field(
            "discharge_m3_per_day",
            "Debit air limbah (m³/hari)",
            "Wastewater flow (m³ per day)",
            "decimal",
            min=Decimal("0.01"),
            max=1_000_000,
        ),
        _field(
            "receiving_water_body",
            "Badan air penerima (sungai, saluran)",
            "Receiving water body (river, canal)",
            "text",
            max_length=200,
        ),
        _field(
            "treatment_technology",
            "Teknologi pengolahan air limbah (IPAL)",
            "Treatment technology of the wastewater plant (IPAL)",
            "text",
            max_length=500,
        ),
        _field(
            "discharge_point",
            "Koordinat titik pembuangan",
            "Coordinates of the discharge point",
            "text",
            max_length=100,
        ),
    ],
    documents=[
        _KTP,
        _NIB,
        _document(
            "technical_study",
            "Kajian teknis pembuangan air limbah",
            "Technical study of the wastewater discharge",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
        _document(
            "ipal_design",
            "Gambar desain IPAL",
            "Design drawings of the wastewater treatment plant (IPAL)",
            _PDF,
            max_bytes=_DRAWING_MAX_BYTES,
        ),
        _document(
            "lab_results",
            "Hasil uji laboratorium air limbah (bila sudah beroperasi)",
            "Laboratory tests of the wastewater (if already operating)",
            required=False,
        ),
    ],
    fee_rule=NoFee(),
    stage_targets=StageTargets(verification=1, review=10),
    deadline_policy=DeadlinePolicy.ESCALATE,
    validity_months=None,
)

SEED_CATALOGUE: tuple[PermitTypeDefinition, ...] = (
    PBG,
    SLF,
    REKLAME,
    KERAMAIAN,
    SIP,
    SERTIFIKAT_STANDAR,
    TDUP,
    SPPL,
    PERTEK_AIR_LIMBAH,
)
