"""School registrations per admission year, school, level and pathway."""
