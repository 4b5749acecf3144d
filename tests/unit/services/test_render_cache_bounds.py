"""The page cache stays within its entry and byte bounds, least recently used out first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.services.cache import NOMINAL_BYTES, RenderCache


def test_pages_are_counted_by_their_json_length_and_the_oldest_go_first() -> None:
    cache = RenderCache(max_entries=10, max_bytes=100)
    for key in "abc":
        cache.get_or_build(key, lambda: "x" * 40)
    assert len(cache) == 2 and cache.size == 80  # "a" went to make room for "c"
    cache.get_or_build("b", lambda: "never built")  # a hit makes "b" the most recent
    cache.get_or_build("d", lambda: "y" * 40)
    assert cache.get_or_build("b", lambda: "rebuilt") == "x" * 40
    assert cache.get_or_build("c", lambda: "rebuilt") == "rebuilt"


def test_an_entry_larger_than_the_whole_cache_is_served_but_not_kept() -> None:
    cache = RenderCache(max_entries=10, max_bytes=100)
    assert cache.get_or_build("big", lambda: "z" * 101) == "z" * 101
    assert len(cache) == 0 and cache.size == 0


def test_objects_count_a_nominal_size() -> None:
    cache = RenderCache(max_entries=10, max_bytes=3 * NOMINAL_BYTES)
    for key in range(5):
        cache.get_or_build(key, lambda: {"rows": []})
    assert len(cache) == 3 and cache.size == 3 * NOMINAL_BYTES


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 60)), max_size=200))
def test_bounds_hold_whatever_the_sequence(requests: list[tuple[int, int]]) -> None:
    cache = RenderCache(max_entries=5, max_bytes=150)
    for key, length in requests:
        cache.get_or_build(key, lambda length=length: "v" * length)
        assert len(cache) <= 5 and cache.size <= 150
        assert cache.size == sum(len(v) for v, _ in cache._entries.values())
