"""Accounts: citizens and staff, registration, sign-in and its lockout, sessions (refresh
tokens), and officers acting for citizens at a kiosk."""
