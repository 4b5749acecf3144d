"""A serving process keeps its start-up objects out of the garbage collector's way."""

from __future__ import annotations

import gc

from dashboard.app import GC_YOUNG_THRESHOLD, settle_for_serving


def test_settle_for_serving_freezes_start_up_objects_and_spaces_collections() -> None:
    """Full collections no longer walk the objects built at start-up (the ~100 ms spikes)."""
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    kept = [[index] for index in range(1_000)]  # long-lived containers, as an app's are
    try:
        settle_for_serving()
        assert gc.get_freeze_count() >= frozen + len(kept)
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
