"""Schools: the SD, SMP and SMA that parents choose between at admission."""
