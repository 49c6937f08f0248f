"""Documents a citizen attaches to an application: received, checked by content, stored."""
