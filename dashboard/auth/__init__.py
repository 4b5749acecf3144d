"""Sign-in, sessions and permissions."""
