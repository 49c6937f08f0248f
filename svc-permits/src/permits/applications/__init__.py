"""Permit applications: the aggregate a citizen drafts, submits and follows."""
