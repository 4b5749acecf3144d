"""The audit page's date filter: a forged day that does not exist gets the domain's message.

Replayed over HTTP with an analyst's session: 2025-02-30 sent as the range's start showed the
generic error; it must say the day does not exist, as every date field does (domain/dates.py).
"""

from __future__ import annotations

import json
from typing import Any

from dash import Dash
from flask.testing import FlaskClient

from dashboard.domain.dates import parse_date
from tests.web.test_audit_readable import _call


def test_a_forged_day_in_the_date_filter_is_refused_with_its_reason(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    signed_in("analyst", username="auditrice")
    try:
        parse_date("2025-02-30")
    except ValueError as exc:
        reason = str(exc)
    response = _call(client, app, "audit-dates", {"audit-dates": ["2025-02-30", "2025-03-05"]})
    shown = json.dumps(response["audit-message"], ensure_ascii=False)
    assert reason and reason in shown
    assert response["audit-grid"]["rowData"] == []
