"""What crosses service boundaries, declared once: every published event model (one module
per publishing service), the roles and scopes a token carries, and the registry of the
suite's services. The producer and every consumer import the same definition; the event
catalogue (``schemas/events``) is generated from it by discovery."""
