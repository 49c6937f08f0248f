"""Event volumes: how many events of each type the city's services have published."""
