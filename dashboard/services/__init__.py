"""Use cases: read models for pages, entry workflow, import, reports, figures."""
