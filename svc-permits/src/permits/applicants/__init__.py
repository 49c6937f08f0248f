"""Applicant accounts as far as their limits need: one row each, whose lock makes the
account's drafts and uploads take their turns, so a limit cannot be overrun by racing."""
