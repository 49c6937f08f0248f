"""The permits service's own problems (RFC 9457), each with a stable code."""

from kota_shared.problems import Conflict, NotFound, Problem, ValidationFailed


class IllegalTransition(Conflict):
    code = "illegal_transition"
    title_en = "This step is not possible in the application's current state."
    title_id = "Langkah ini tidak dapat dilakukan pada status permohonan saat ini."


class ClaimedByAnotherOfficer(Conflict):
    code = "claimed_by_another_officer"
    title_en = "Another officer is handling this application."
    title_id = "Permohonan ini sedang ditangani petugas lain."


class NotEditable(Conflict):
    code = "application_not_editable"
    title_en = "The application can only be changed while it is a draft or sent back for revision."
    title_id = "Permohonan hanya dapat diubah saat masih draf atau dikembalikan untuk perbaikan."


class UnknownPermitType(ValidationFailed):
    code = "unknown_permit_type"
    title_en = "There is no such permit type, or it is not offered at the moment."
    title_id = "Jenis izin tersebut tidak ada atau sedang tidak dilayani."


class InvalidFields(ValidationFailed):
    code = "invalid_application_fields"
    title_en = "Some answers on the application form are not valid."
    title_id = "Sebagian isian formulir permohonan tidak valid."


class IncompleteApplication(ValidationFailed):
    code = "application_incomplete"
    title_en = "The application is not complete yet."
    title_id = "Permohonan belum lengkap."


class UnknownDocumentKind(ValidationFailed):
    code = "unknown_document_kind"
    title_en = "This permit type does not ask for a document of this kind."
    title_id = "Jenis izin ini tidak memerlukan dokumen jenis tersebut."


class DocumentTooLarge(Problem):
    status = 413
    code = "document_too_large"
    title_en = "The document is too large."
    title_id = "Ukuran dokumen terlalu besar."


class DocumentTypeNotAccepted(Problem):
    status = 415
    code = "document_type_not_accepted"
    title_en = "This kind of file is not accepted for this document."
    title_id = "Jenis berkas ini tidak diterima untuk dokumen tersebut."


class DocumentNameMismatch(ValidationFailed):
    code = "document_name_mismatch"
    title_en = "The file is not what its name says."
    title_id = "Isi berkas tidak sesuai dengan namanya."


class DocumentEmpty(ValidationFailed):
    code = "document_empty"
    title_en = "The file is empty."
    title_id = "Berkas kosong."


class InvalidVerificationCode(NotFound):
    code = "invalid_verification_code"
    title_en = "This verification code is not valid: the permit cannot be confirmed."
    title_id = "Kode verifikasi tidak sah: izin tidak dapat dipastikan keasliannya."
