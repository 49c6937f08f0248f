"""Money going back to payers: finance officers' refunds and payments that came too late."""
