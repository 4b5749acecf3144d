"""The three languages: every user-facing string translated, numbers and dates per language.

The first test fails as soon as someone adds a ``_("...")`` (or ``translate``, ``N_``,
``page_title``, a navigation label, a Jinja ``{{ _("...") }}`` or a French reference name in
data/) without an English and an Arabic translation: run ``make i18n``, translate the new
entries of dashboard/i18n/{en,ar}/LC_MESSAGES/messages.po, and run the test again.
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from dashboard.i18n import (
    _,
    direction,
    normalize_lang,
    page_title,
    pair,
    term,
    translate,
    use_lang,
)
from dashboard.i18n.extract import (
    ROOT,
    build_template,
    check_catalogs,
    load_catalog,
    placeholders,
)
from dashboard.i18n.formats import plotly_separators
from dashboard.services.formatting import (
    fmt_date,
    fmt_mdh,
    fmt_month,
    fmt_number,
    fmt_pct,
    fmt_period,
    fmt_signed_pct,
    fmt_value,
)
from dashboard.services.preferences import choose_language

NBSP = "\u00a0"
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
# Latin words an Arabic text may keep: acronyms, standards, proper names, file formats.
KEPT_IN_ARABIC = {
    "CETIEV",
    "RECTIM",
    "FACET",
    "Stellantis",
    "CSV",
    "UTC",
    "ISO",
    "CEI",
    "Vie",
    "éco",
    "python",
    "dashboard",
    "seed",
    "Excel",
    "xlsx",
    "PDF",
    "pdf",
    "csv",
    "xls",
    "zip",
    "WebP",
    "Chromium",
    "chromium",
    # What a person types as it is: commands and options of the command line, role codes,
    # configuration values and the SMTP_URL example (translated messages quote them).
    "init",
    "serve",
    "submit",
    "gunicorn",
    "wsgi",
    "production",
    "set",
    "password",
    "import",
    "dry",
    "run",
    "out",
    "user",
    "today",
    "scale",
    "demo",
    "stdin",
    "cron",
    "systemd",
    "timer",
    "cti",
    "editor",
    "viewer",
    "analyst",
    "admin",
    "quarterly",
    "yearly",
    "smtp",
    "smtps",
    "starttls",
    "timeout",
    "from",
    "server",
    "example",
    "plan",
    "name",
    "domain",
}


@pytest.fixture(scope="module")
def messages() -> list[str]:
    """Every message id of the code, the templates and the reference data."""
    return [m.id for m in build_template() if isinstance(m.id, str) and m.id]


def test_every_user_facing_string_has_an_english_and_an_arabic_translation(
    messages: list[str],
) -> None:
    problems = check_catalogs(messages)
    report = "\n".join(str(p) for p in problems[:40])
    assert problems == [], (
        f"{len(problems)} traduction(s) manquante(s) ou à vérifier (make i18n, puis traduire"
        f" dans dashboard/i18n/{{en,ar}}/LC_MESSAGES/messages.po) :\n{report}"
    )


def test_extraction_finds_code_templates_navigation_constants_and_reference_names(
    messages: list[str],
) -> None:
    found = set(messages)
    assert "Vue d'ensemble du plan {code}" in found  # _() in a page
    assert "Mot de passe" in found  # {{ _() }} in the Jinja sign-in page
    assert "Axes stratégiques" in found  # NavItem's label
    assert "Identifiant ou mot de passe incorrect." in found  # N_() constant
    assert "Comparaison 2014-2020" in found  # page_title()
    assert "Centre Technique des Industries Agro-alimentaires" in found  # data/reference
    assert "Taux de satisfaction des clients" in found  # the demo indicator catalogue
    assert len(found) > 400


def test_arabic_translations_are_arabic_and_keep_their_placeholders(messages: list[str]) -> None:
    # Missing translations are the first test's business; here, the ones written must be
    # Arabic (a French text pasted as the "translation" would pass the first test).
    catalog = load_catalog("ar")
    not_arabic = []
    for message in messages:
        entry = catalog.get(message)
        text = entry.string if entry is not None else ""
        if not isinstance(text, str) or not text:
            continue
        assert placeholders(text) == placeholders(message), message
        bare = re.sub(r"\{[^}]*\}", "", text)
        words = set(LATIN_WORD.findall(bare)) - KEPT_IN_ARABIC
        if LATIN_WORD.search(re.sub(r"\{[^}]*\}", "", message)) and (
            not ARABIC_LETTER.search(bare) or words - {w for w in words if w.isupper()}
        ):
            not_arabic.append((message, text))
    assert not_arabic == [], not_arabic[:20]


def _calls_with_computed_message(path: Path) -> list[str]:
    """Return the _()/translate() calls whose message is built (f-string, concatenation)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in {"_", "translate", "N_", "page_title"} and isinstance(
            node.args[0], ast.JoinedStr | ast.BinOp
        ):
            bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return bad


def test_no_message_id_is_built_at_run_time() -> None:
    # A message built with an f-string or "+" can never be in a catalog: use {placeholders}.
    bad = [
        where
        for path in sorted((ROOT / "dashboard").rglob("*.py"))
        for where in _calls_with_computed_message(path)
    ]
    assert bad == []


def test_translate_fills_placeholders_in_each_language() -> None:
    assert translate("Axe {n}", "fr", n=2) == "Axe 2"
    assert translate("Axe {n}", "en", n=2) == "Axis 2"
    assert translate("Axe {n}", "ar", n=2) == "المحور 2"
    assert translate("Vue d'ensemble", "en") == "Overview"
    assert translate("Une phrase que personne n'a traduite", "ar") == (
        "Une phrase que personne n'a traduite"
    )
    assert translate("", "ar") == ""  # gettext("") would return the catalog's header


def test_use_lang_sets_the_language_of_every_helper() -> None:
    with use_lang("ar") as lang:
        assert lang == "ar"
        assert _("Engagé") == "الملتزم به"
        assert direction() == "rtl"
        assert pair(_("Statut"), 3) == "الحالة: 3"
        assert term("Textile et habillement") == "النسيج والألبسة"
        assert term("Un secteur saisi par un utilisateur") == "Un secteur saisi par un utilisateur"
        assert page_title("Axes stratégiques")() == "المحاور الاستراتيجية · مخطط المراكز التقنية"
    with use_lang("en"):
        assert pair(_("Statut"), 3) == "Status: 3"
        assert page_title("Contrat-objectifs")(acronym="CETIA") == (
            "CETIA · Objectives contract · CTI plan"
        )
    assert _("Engagé") == "Engagé"  # back to French outside the block
    assert direction() == "ltr"


def test_numbers_amounts_and_rates_per_language() -> None:
    assert fmt_number(1234.5, 1) == f"1{NBSP}234,5"
    assert fmt_number(1234.5, 1, lang="en") == "1,234.5"
    # Arabic: Western digits as in Morocco's administration, CLDR ar_MA separators.
    assert fmt_number(1234.5, 1, lang="ar") == "1.234,5"
    assert fmt_number(-1500, lang="ar") == "\u200e-1.500"  # the mark keeps "-" before the digits
    assert fmt_number(2.25, 1, lang="en") == "2.3"  # halves still go up
    assert fmt_mdh(62.5, lang="en") == f"62.5{NBSP}MDH"
    assert fmt_mdh(62.5, lang="ar") == f"62,5{NBSP}مليون درهم"
    assert fmt_pct(0.5747, lang="fr") == f"57{NBSP}%"
    assert fmt_pct(0.5747, 1, lang="en") == "57.5%"
    assert fmt_pct(0.5747, lang="ar") == "57%"
    assert fmt_signed_pct(0.5087, lang="en") == "+51%"
    assert fmt_value(12.0, "jours", lang="en") == f"12{NBSP}days"
    assert fmt_value(1234.0, "entreprises", lang="ar") == f"1.234{NBSP}مقاولة"
    assert fmt_value(12.0, "unité inconnue", lang="ar") == f"12{NBSP}unité inconnue"
    assert plotly_separators("fr") == f",{NBSP}"
    assert plotly_separators("en") == ".,"
    assert plotly_separators("ar") == ",."


def test_dates_months_and_periods_per_language() -> None:
    day = date(2023, 4, 11)
    assert fmt_date(day) == "11 avril 2023"
    assert fmt_date(date(2013, 2, 1)) == "1er février 2013"
    assert fmt_date(day, lang="en") == "11 April 2023"
    assert fmt_date(day, lang="ar") == "11 أبريل 2023"
    # Morocco's month names (CLDR ar_MA): July is يوليوز, August غشت, December دجنبر.
    assert fmt_date(date(2022, 8, 7), lang="ar") == "7 غشت 2022"
    assert fmt_month(date(2013, 2, 1)) == "février 2013"
    assert fmt_month(date(2013, 2, 1), lang="en") == "February 2013"
    assert fmt_period(2025, 3) == "2025-T3"
    assert fmt_period(2025, 3, lang="en") == "2025-Q3"
    # No-break spaces: a narrow column breaks it as "الفصل 3" over "من 2025", never after الفصل.
    assert fmt_period(2025, 3, lang="ar") == "الفصل\u00a03 من\u00a02025"
    assert fmt_period(2025, 0, lang="ar") == "2025"


@pytest.mark.parametrize(
    ("asked", "session_lang", "account_lang", "expected"),
    [
        ("ar", "en", "fr", "ar"),  # the URL wins
        (None, "en", "ar", "en"),  # then what this browser chose
        (None, None, "ar", "ar"),  # then the account's language
        ("xx", None, None, "fr"),  # then the default; unknown codes are ignored
        ("AR-ma", None, None, "ar"),
    ],
)
def test_choose_language(
    asked: str | None, session_lang: str | None, account_lang: str | None, expected: str
) -> None:
    assert (
        choose_language(asked=asked, session_lang=session_lang, account_lang=account_lang)
        == expected
    )
    assert normalize_lang("en_GB") == "en"
