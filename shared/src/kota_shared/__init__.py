"""What every Kota LIVE service needs once: settings, database, events, auth, errors, logs."""
