"""The permits service's own problems (RFC 9457), each with a stable code."""

from kota_shared.problems import Conflict, NotFound, Problem, ValidationFailed
from permits.messages import _


class IllegalTransition(Conflict):
    code = "illegal_transition"
    title = _("This step is not possible in the application's current state.")


class ClaimedByAnotherOfficer(Conflict):
    code = "claimed_by_another_officer"
    title = _("Another officer is handling this application.")


class NotEditable(Conflict):
    code = "application_not_editable"
    title = _("The application can only be changed while it is a draft or sent back for revision.")


class TooManyDrafts(Conflict):
    """The account already holds as many drafts as it may (``PERMITS_MAX_OPEN_DRAFTS``):
    submitting or withdrawing one makes room. ``limit`` says how many."""

    code = "too_many_drafts"
    title = _("You already have as many draft applications as an account may hold.")


class UnknownPermitType(ValidationFailed):
    code = "unknown_permit_type"
    title = _("There is no such permit type, or it is not offered at the moment.")


class InvalidFields(ValidationFailed):
    code = "invalid_application_fields"
    title = _("Some answers on the application form are not valid.")


class FeeNeedsAnswers(Conflict):
    """The type's fee rule changed after the application was handed in, and now reads
    answers it does not have: the officer sends it back for revision instead."""

    code = "fee_needs_answers"
    title = _("The fee cannot be assessed from this application's answers.")


class IncompleteApplication(ValidationFailed):
    code = "application_incomplete"
    title = _("The application is not complete yet.")


class UnknownDocumentKind(ValidationFailed):
    code = "unknown_document_kind"
    title = _("This permit type does not ask for a document of this kind.")


class DocumentTooLarge(Problem):
    status = 413
    code = "document_too_large"
    title = _("The document is too large.")


class TooManyDocuments(Conflict):
    """The application already holds as many documents as it may
    (``PERMITS_MAX_DOCUMENTS_PER_APPLICATION``); removing one makes room. ``limit`` says
    how many."""

    code = "too_many_documents"
    title = _("The application already holds as many documents as it may.")


class DocumentStorageFull(Problem):
    """The account's stored documents, with this file, would pass what one account may store
    (``PERMITS_MAX_DOCUMENT_BYTES_PER_ACCOUNT``). ``limit_bytes`` and ``used_bytes`` say how
    far it is."""

    status = 413
    code = "document_storage_full"
    title = _("Your account has no room left for this document.")


class DocumentTypeNotAccepted(Problem):
    status = 415
    code = "document_type_not_accepted"
    title = _("This kind of file is not accepted for this document.")


class DocumentNameMismatch(ValidationFailed):
    code = "document_name_mismatch"
    title = _("The file is not what its name says.")


class DocumentEmpty(ValidationFailed):
    code = "document_empty"
    title = _("The file is empty.")


class InvalidVerificationCode(NotFound):
    code = "invalid_verification_code"
    title = _("This verification code is not valid: the permit cannot be confirmed.")
