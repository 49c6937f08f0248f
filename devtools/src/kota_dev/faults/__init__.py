"""What the fault tests and ``bench/faults.py`` share: a miniature service (parcels scanned
along a route), a load that writes through its outbox, a consumer process to SIGKILL, and
the bookkeeping that says whether anything was lost, doubled or reordered."""
