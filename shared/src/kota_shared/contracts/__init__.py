"""Event contracts between services: each module holds one service's published events, so
the producer and every consumer share one typed definition (and its JSON Schema)."""
