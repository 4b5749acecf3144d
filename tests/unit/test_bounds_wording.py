"""The bounds' French messages elide « de » before a vowel or a mute h (issue 20.4)."""

from __future__ import annotations

import pytest

from dashboard.domain.bounds import check_target, check_value
from dashboard.i18n import use_lang


@pytest.mark.parametrize(
    ("unit", "words"),
    [
        ("entreprises", "un nombre d'entreprises se compte"),
        ("essais", "un nombre d'essais se compte"),
        ("études", "un nombre d'études se compte"),
        ("projets", "un nombre de projets se compte"),
        ("personnes", "un nombre de personnes se compte"),
    ],
)
def test_a_fraction_of_a_count_is_refused_in_good_french(unit: str, words: str) -> None:
    with use_lang("fr"):
        value = check_value(12.5, unit).errors[0].message
        target = check_target(12.5, unit).errors[0].message
    assert words in value and words in target
    assert "nombre de e" not in value + target


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_elided_messages_are_translated(lang: str) -> None:
    with use_lang("fr"):
        french = check_value(12.5, "entreprises").errors[0].message
    with use_lang(lang):
        elided = check_value(12.5, "entreprises").errors[0].message
        target = check_target(12.5, "entreprises").errors[0].message
    assert elided != french and "nombre" not in elided + target
    assert "12" in elided
