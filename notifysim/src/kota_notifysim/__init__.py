"""An SMS gateway and WhatsApp Cloud API simulator: takes sends, answers with provider ids,
calls back with signed delivery receipts, and keeps what it sent for a developer to read."""
