"""create_* factories shared by pages (no callbacks here)."""
