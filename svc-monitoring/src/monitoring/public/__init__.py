"""The public transparency page and the open data: aggregates only, small cells suppressed,
for anyone, with no sign-in."""
