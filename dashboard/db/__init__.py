"""Engine, models, migrations and persistence queries."""
