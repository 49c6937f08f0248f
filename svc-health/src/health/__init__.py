"""Health (kesehatan): the city's facilities, and later appointments and queue numbers."""
