"""Finance officers' controls over the money: the ledger, refused reports, reconciliation."""
