"""Indicator tables as one block of HTML (components/markup.py, indicator_table.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import plotly
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from dashboard.components.contract import create_contract_card
from dashboard.components.freshness import create_freshness_panel
from dashboard.components.indicator_table import create_indicator_rows
from dashboard.components.indicators import create_status_summary
from dashboard.components.markup import create_html_block, join, stale_badge, status_badge, tag
from dashboard.domain.calendar import ReportState
from dashboard.domain.indicators import Status
from dashboard.domain.periods import Period
from dashboard.domain.text import BIDI_CONTROLS
from dashboard.services.calendar_views import FreshnessSummary
from dashboard.services.formatting import fmt_number
from dashboard.services.freshness_views import CtiFreshnessRow, LatePeriod, StaleMark
from dashboard.services.structure import ContractInfo

HOSTILE = 'A <script>alert("x")</script> & <img src=x onerror=alert(1)> \' "\n\nB'


def block_text(component: Any) -> str:
    tree = json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))
    assert tree["type"] == "Div" and tree["props"]["children"] is None  # cti.js fills it
    text: str = tree["props"]["data-html"]
    return text


def test_text_and_attributes_are_escaped_and_markup_is_kept() -> None:
    cell = tag("td", tag("b", "<i>"), class_='a"b', data_tip="x > y")
    assert str(cell) == '<td class="a&#34;b" data-tip="x &gt; y"><b>&lt;i&gt;</b></td>'
    assert str(tag("span", "", title=None)) == "<span></span>"  # None attributes left out


def _formatted(name: str, content: object, **attributes: object) -> Markup:
    """``tag`` as it was written with ``Markup.format`` (the oracle of the faster one).

    Plain text loses its bidi controls (issue 20.7): the oracle strips them too.
    """
    attrs = Markup("").join(
        Markup(' {}="{}"').format(Markup(key.rstrip("_").replace("_", "-")), _unbidi(value))
        for key, value in attributes.items()
        if value is not None
    )
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), attrs, _unbidi(content))


def _unbidi(value: object) -> object:
    if isinstance(value, str) and not isinstance(value, Markup):
        return "".join(c for c in value if c not in BIDI_CONTROLS)
    return value


def test_a_right_to_left_override_cannot_reorder_what_a_block_shows() -> None:
    comment = "rapport\u202efdp.exe \u2067x\u2069 \u200f"
    made = tag("td", comment, data_tip=comment) + join([comment, Markup("<b>\u202e</b>")])
    assert "\u202e" not in str(made).replace("<b>\u202e</b>", "")
    assert not any(c in BIDI_CONTROLS for c in str(made).replace("<b>\u202e</b>", ""))
    assert str(tag("td", comment)) == "<td>rapportfdp.exe x </td>"


TEXT = st.text() | st.builds(Markup, st.text()) | st.integers() | st.floats(allow_nan=True)


@given(
    name=st.sampled_from(["td", "span", "div", "a"]),
    content=TEXT | st.builds(lambda t: tag("b", t), st.text()),
    attributes=st.dictionaries(
        st.sampled_from(["class_", "data_tip", "href", "style", "tabindex"]),
        TEXT | st.none(),
    ),
)
def test_tag_escapes_as_markup_format_does(
    name: str, content: object, attributes: dict[str, object]
) -> None:
    made = tag(name, content, **attributes)
    assert isinstance(made, Markup)
    assert made == _formatted(name, content, **attributes)


@pytest.mark.parametrize("name", ["script onload", 'a"', "", "A"])
def test_a_tag_or_attribute_name_must_be_plain(name: str) -> None:
    with pytest.raises(ValueError, match="not an HTML name"):
        tag(name, "x")
    with pytest.raises(ValueError, match="not an HTML name"):
        tag("span", "x", **{name: "1"})


def test_a_block_holds_its_html_for_the_browser_to_draw() -> None:
    text = block_text(create_html_block(tag("div", HOSTILE), "cti-x"))
    assert text.startswith("<div>A &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; ")


def test_an_indicator_row_with_a_hostile_label_stays_text() -> None:
    frame = pd.DataFrame(
        {
            "indicator_id": [1],
            "code": ["X-1"],
            "label": [HOSTILE],
            "unit": ["u"],
            "acronym": ["CETIA"],
            "status": ["late"],
        }
    )
    text = block_text(create_indicator_rows(frame, table_id="t", columns=("indicator", "status")))
    assert text.count("<tr>") == 2  # the header and the row
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert 'id="t"' in text and 'href="/ctis/CETIA?indicator=X-1#trajectoire"' in text
    assert "En retard" in text and "background-color:#" in text


def test_badges_say_their_state_in_words() -> None:
    assert ">En retard</span>" in str(status_badge("late"))
    mark = StaleMark(period=Period(2025, 3), day=date(2025, 9, 30), age_days=425)
    badge = str(stale_badge(mark))
    assert 'tabindex="0"' in badge and 'data-tip="Valeur périmée' in badge
    assert "Périmée" in badge and "cti-sr-only" in badge  # read out as well as shown


def test_an_empty_table_says_so() -> None:
    text = block_text(create_indicator_rows(pd.DataFrame(), table_id="t", columns=("indicator",)))
    assert "Aucun indicateur pour cette sélection." in text and 'colspan="1"' in text


def test_status_counts_are_written_as_numbers_of_the_language() -> None:
    counts = dict.fromkeys(Status, 0) | {Status.LATE: 1274, Status.ON_TRACK: 5854}
    text = json.dumps(create_status_summary(counts), cls=plotly.utils.PlotlyJSONEncoder)
    assert "1274" not in text and "5854" not in text  # "8 400" above, "1274" beside it
    assert fmt_number(1274) != "1274"
    assert json.dumps(fmt_number(1274))[1:-1] in text


def _freshness_row(**changes: Any) -> CtiFreshnessRow:
    row = CtiFreshnessRow(
        acronym="CERIC",
        name="Centre",
        period="2025-T4",
        due="15 janvier 2026",
        state=ReportState.OVERDUE,
        state_label="En retard (318 j)",
        overdue=[LatePeriod(f"2025-T{q}", 100 * q) for q in (4, 3, 2, 1)],
        stale=4,
        indicators=10,
        oldest_age=517,
        oldest_period="2025-T2",
        without_value=1,
    )
    return replace(row, **changes)


def _blocks(component: Any) -> tuple[list[str], int]:
    """Return the HTML blocks of a component tree and how many components it holds."""
    tree = json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))
    blocks: list[str] = []
    count = 0

    def walk(node: Any) -> None:
        nonlocal count
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and "props" in node:
            count += 1
            if "data-html" in node["props"]:
                blocks.append(node["props"]["data-html"])
            for value in node["props"].values():
                walk(value)

    walk(tree)
    return blocks, count


def _panel_html(rows: list[CtiFreshnessRow]) -> tuple[str, int]:
    summary = FreshnessSummary("2025-T4", "15 janvier 2026", 1, 2, 4, 20)
    blocks, count = _blocks(create_freshness_panel(rows, summary, badges=[]))
    assert len(blocks) == 1
    return blocks[0], count


def test_the_freshness_panel_rows_are_one_block_of_escaped_html() -> None:
    rows = [_freshness_row(), _freshness_row(acronym=HOSTILE, period="", state=None)]
    text, components = _panel_html(rows)
    # ~20 components per CTI before (~200 of the overview's 424): now a few for the panel.
    assert components < 25
    assert 'id="overview-freshness-table"' in text and text.count("<tr>") == 3
    assert "En retard (318 j)" in text and "var(--mantine-color-red-light)" in text
    assert "4 périodes" in text and "+1\u00a0autre" in text  # three listed, others counted
    assert "4 / 10" in text and "517 j" in text and "1 sans valeur validée" in text
    assert "Aucune période ouverte" in text  # the second CTI has no period open
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_the_contract_card_facts_are_html_blocks_with_their_text_escaped() -> None:
    info = ContractInfo(
        acronym="CETIA",
        name="Centre",
        sector="Agro-alimentaire",
        federation="FENAGRI",
        federation_name=HOSTILE,
        city="",
        signed_on=date(2023, 4, 11),
        signatories="Ministère, CETIA",
        envelope=34.7,
        source="src",
        cti_source="src",
    )
    blocks, components = _blocks(create_contract_card(info, {"src": "Source"}))
    text = "".join(blocks)
    # Five facts and the source badge, one component each (a fact was three).
    assert len(blocks) == 6 and components < 15
    assert text.count('class="cti-fact-label"') == 5  # sector, federation, date, city, signatories
    assert "11 avril 2023" in text and "FENAGRI · A &lt;script&gt;" in text
    assert "<script>" not in text  # the hostile name stays text
    assert '<div class="cti-fact-value">\u2014</div>' in text  # no city: a dash
