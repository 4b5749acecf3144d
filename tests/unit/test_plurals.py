"""Counts take the right form in each language: « 1 indicateur », never « 1 indicateurs ».

French puts 0 and 1 in the singular, English 1 only; Arabic has six forms (0, 1, 2, 3-10,
11-99, 100 and more), picked by its catalog's Plural-Forms.
"""

from __future__ import annotations

import pytest

from dashboard.domain.indicators import Status
from dashboard.i18n import ngettext
from dashboard.i18n.extract import build_template, load_catalog, placeholders
from dashboard.services.reports.language import Formats
from dashboard.services.reports.summary import _status_sentence

NPLURALS = {"en": 2, "ar": 6}


def test_french_puts_zero_and_one_in_the_singular() -> None:
    one, many = "{n} indicateur", "{n} indicateurs"
    assert [ngettext(one, many, n, "fr") for n in (0, 1, 2)] == [
        "0 indicateur",
        "1 indicateur",
        "2 indicateurs",
    ]


def test_english_and_arabic_take_their_catalogs_forms() -> None:
    one, many = "{months} mois", "{months} mois"
    assert ngettext(one, many, 1, "en", months=1) == "1 month"
    assert ngettext(one, many, 3, "en", months=3) == "3 months"
    arabic = [ngettext(one, many, n, "ar", months=n) for n in (1, 2, 3, 11, 100)]
    assert arabic == ["شهر واحد", "شهران", "3 أشهر", "11 شهرًا", "100 شهر"]


@pytest.mark.parametrize(
    ("lang", "counts", "expected"),
    [
        (
            "fr",
            (1, 2, 6),
            "1 indicateur sur 9 est en retard sur sa trajectoire, 2 à surveiller et 6 conformes.",
        ),
        (
            "fr",
            (3, 1, 1),
            "3 indicateurs sur 5 sont en retard sur leur trajectoire, 1 à surveiller et "
            "1 conforme.",
        ),
        (
            "en",
            (1, 2, 6),
            "1 indicator out of 9 is behind its trajectory, 2 to watch and 6 on track.",
        ),
        (
            "ar",
            (1, 2, 6),
            "مؤشر واحد من أصل 9 متأخر عن مساره، و2 يستدعيان المتابعة، و6 في المسار.",
        ),
    ],
)
def test_the_reports_key_message_counts_indicators_in_good_grammar(
    lang: str, counts: tuple[int, int, int], expected: str
) -> None:
    late, watch, on_track = counts
    by_status = {Status.LATE: late, Status.WATCH: watch, Status.ON_TRACK: on_track}
    assert _status_sentence(by_status, sum(counts), Formats(lang)) == expected


def test_every_plural_message_has_all_its_forms_in_english_and_arabic() -> None:
    plurals = [m.id for m in build_template() if isinstance(m.id, tuple)]
    assert plurals, "ngettext messages are extracted (dashboard/i18n/extract.py KEYWORDS)"
    problems = []
    for lang, count in NPLURALS.items():
        catalog = load_catalog(lang)
        assert catalog.num_plurals == count
        for one, many in plurals:
            entry = catalog.get(one)
            forms = entry.string if entry is not None else None
            allowed = placeholders(one) | placeholders(many)
            if (
                entry is None
                or entry.fuzzy
                or not isinstance(forms, tuple)
                or len(forms) != count
                or not all(forms)
                or any(not placeholders(form) <= allowed for form in forms)
            ):
                problems.append((lang, one))
    assert problems == []
