"""Counts on the pages and in the services take their number's form, in every language.

« 1 indicateurs sur 9 » (issue 19) came from message ids written « indicateur(s) »: a count
goes through ``ngettext`` with a singular and a plural French id, and its English (2 forms)
and Arabic (6 forms) entries carry every form.
"""

from __future__ import annotations

import re

import pytest

from dashboard.components.paged_table import create_page_count
from dashboard.i18n import ngettext, use_lang
from dashboard.i18n.extract import build_template
from dashboard.services.import_report import ImportReport
from dashboard.services.notifications import text_of

# « indicateur(s) », « nouveau(x) », « affiché(e)(s) »: a plural left to the reader.
BRACKETED_PLURAL = re.compile(r"\w\((?:s|x|e|es)\)")


def test_no_message_id_leaves_its_plural_in_brackets() -> None:
    found = []
    for message in build_template():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        found += [(str(text), message.locations[:1]) for text in ids]
    found = [(text, where) for text, where in found if BRACKETED_PLURAL.search(text)]
    assert found == [], f"use ngettext(singular, plural, n) instead: {found}"


SHOWN = ("{n} indicateur affiché selon les filtres.", "{n} indicateurs affichés selon les filtres.")
UNREAD = ("{n} non lu", "{n} non lus")


@pytest.mark.parametrize(
    ("lang", "forms", "expected"),
    [
        (
            "fr",
            SHOWN,
            [
                "0 indicateur affiché selon les filtres.",
                "1 indicateur affiché selon les filtres.",
                "2 indicateurs affichés selon les filtres.",
                "11 indicateurs affichés selon les filtres.",
            ],
        ),
        (
            "en",
            SHOWN,
            [
                "0 indicators shown by the filters.",
                "1 indicator shown by the filters.",
                "2 indicators shown by the filters.",
                "11 indicators shown by the filters.",
            ],
        ),
        (
            "ar",
            SHOWN,
            [
                "لا يُعرض أي مؤشر وفق عوامل التصفية.",
                "يُعرض مؤشر واحد وفق عوامل التصفية.",
                "يُعرض مؤشران وفق عوامل التصفية.",
                "يُعرض 11 مؤشرًا وفق عوامل التصفية.",
            ],
        ),
        ("fr", UNREAD, ["0 non lu", "1 non lu", "2 non lus", "11 non lus"]),
        ("en", UNREAD, ["0 unread", "1 unread", "2 unread", "11 unread"]),
    ],
)
def test_a_count_takes_its_form_at_0_1_2_and_11(
    lang: str, forms: tuple[str, str], expected: list[str]
) -> None:
    assert [ngettext(*forms, n, lang) for n in (0, 1, 2, 11)] == expected


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("fr", "1 valeur de CETIA", "2 valeurs de CETIA"),
        ("en", "1 value of CETIA", "2 values of CETIA"),
    ],
)
def test_a_reminder_counts_its_values(lang: str, one: str, two: str) -> None:
    def text(count: int) -> str:
        params = {"count": count, "cti": "CETIA", "period": "2025-T3"}
        return text_of("to_validate", params, lang)

    assert text(1).startswith(one)
    assert text(2).startswith(two)


def test_an_import_summary_counts_unchanged_rows_in_good_grammar() -> None:
    report = ImportReport(unchanged=1)
    assert report.summary() == "aucun changement ; 1 ligne inchangée"
    assert ImportReport(unchanged=2).summary() == "aucun changement ; 2 lignes inchangées"


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("fr", "1-1 sur 1 indicateur", "1-50 sur 2\u00a0000 indicateurs"),
        ("en", "1-1 of 1 indicator", "1-50 of 2,000 indicators"),
        ("ar", "1-1 من أصل مؤشر واحد", "1-50 من أصل 2.000 مؤشر"),
    ],
)
def test_a_table_page_count_agrees_with_its_total(lang: str, one: str, many: str) -> None:
    with use_lang(lang):
        assert create_page_count(0, 1, 1).children == one
        assert create_page_count(0, 50, 2000).children == many
