"""The row each applicant account is counted under (no personal data: only the id)."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from permits.db import Base


class Applicant(Base):
    """An account that has started an application, held only to be locked.

    Starting a draft and storing a document lock the account's row first (an upload holds
    its application's row already, so the order is always application, then applicant),
    and only then count what the account has: two requests of one account racing for its
    last draft or its last bytes are counted one after the other. What is counted is read
    from the applications and documents themselves, so no total kept here can drift from
    them.
    """

    __tablename__ = "applicants"

    applicant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The citizen's account id (the token's ``sub``), as `Application.applicant_id`."""
