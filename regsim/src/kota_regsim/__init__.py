"""A civil registry (Dukcapil) simulator: a stand-in for development and tests, never deployed."""
