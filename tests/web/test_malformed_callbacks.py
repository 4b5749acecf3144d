"""Malformed callback requests get 400 and a short message, never a 500 (issue 20.7).

The browser always posts a JSON object naming a callback of this app, its outputs as Dash
declared them, and one entry per input and state. Anything else is a forged request or a
page from an older version of the app: refused before Dash reads it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from dash import Dash
from flask.testing import FlaskClient

from tests.web.conftest import callback_body

Body = dict[str, Any]
MESSAGE = "Requête mal formée : rechargez la page et recommencez."


def _queue_body(app: Dash) -> Body:
    """The validation queue's callback (two inputs, two outputs), as the browser sends it."""
    key = next(k for k in app.callback_map if "validation-queue-grid.rowData" in k)
    return callback_body(key, app.callback_map[key])


def _save_body(app: Dash) -> Body:
    """The entry form's save (grouped outputs, inputs and states), as the browser sends it."""
    key = next(
        k
        for k, spec in app.callback_map.items()
        if spec["inputs"][0]["id"] == "updates-save-button"
    )
    return callback_body(key, app.callback_map[key])


def _set(path: str, value: Any) -> Callable[[Body], Body]:
    def change(body: Body) -> Body:
        body[path] = value
        return body

    return change


def _drop(path: str) -> Callable[[Body], Body]:
    def change(body: Body) -> Body:
        del body[path]
        return body

    return change


def _edit(change: Callable[[Body], None]) -> Callable[[Body], Body]:
    def apply(body: Body) -> Body:
        change(body)
        return body

    return apply


SHAPES: dict[str, Callable[[Body], Body]] = {
    "no outputs": _drop("outputs"),
    "no inputs": _drop("inputs"),
    "no state": _drop("state"),
    "one input too few": _edit(lambda b: b["inputs"].pop()),
    "one input too many": _edit(lambda b: b["inputs"].append(b["inputs"][0])),
    "inputs as an object": _edit(lambda b: b.update(inputs={"id": "x", "property": "value"})),
    "an input as a list": _edit(lambda b: b["inputs"].__setitem__(0, [b["inputs"][0]])),
    "an input as a number": _edit(lambda b: b["inputs"].__setitem__(0, 3)),
    "an input without id": _edit(lambda b: b["inputs"][0].pop("id")),
    "an input with a list as id": _edit(lambda b: b["inputs"][0].update(id=["x"])),
    "an input's property a number": _edit(lambda b: b["inputs"][0].update(property=7)),
    "state as a string": _set("state", "x"),
    "output a number": _set("output", 12),
    "output a list": _set("output", ["validation-queue-grid.rowData"]),
    "an unknown callback": _set("output", "nope.children"),
    "outputs a number": _set("outputs", 5),
    "outputs as an object for two outputs": _edit(lambda b: b.update(outputs=b["outputs"][0])),
    "outputs of another callback": _edit(
        lambda b: b.update(outputs=[{"id": "audit-grid", "property": "rowData"}] * 2)
    ),
    "an output without property": _edit(lambda b: b["outputs"][0].pop("property")),
    "changedPropIds an object": _set("changedPropIds", {"a": 1}),
    "changedPropIds holding a list": _set("changedPropIds", [["validation-cti-select.value"]]),
}


@pytest.mark.parametrize("shape", [s for s in SHAPES if s != "no state"])  # it has no state
def test_a_malformed_body_gets_400_and_a_message(
    app: Dash, client: FlaskClient, signed_in: Any, shape: str
) -> None:
    signed_in("analyst")
    body = SHAPES[shape](copy.deepcopy(_queue_body(app)))
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400, (shape, response.get_data(as_text=True)[:300])
    assert response.get_json() == {"erreur": MESSAGE}


@pytest.mark.parametrize(
    "shape",
    [
        "no outputs",
        "no state",
        "an output without property",
        "one input too few",
        "state as a string",
    ],
)
def test_a_malformed_grouped_callback_gets_400(
    app: Dash, client: FlaskClient, signed_in: Any, shape: str
) -> None:
    signed_in("analyst")
    body = SHAPES[shape](copy.deepcopy(_save_body(app)))
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400, (shape, response.get_data(as_text=True)[:300])


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ("[]", "application/json"),
        ('"output"', "application/json"),
        ("null", "application/json"),
        ("output=x", "application/x-www-form-urlencoded"),
        ("", "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_gets_400(
    client: FlaskClient, signed_in: Any, data: str, content_type: str
) -> None:
    signed_in("viewer")
    response = client.post("/_dash-update-component", data=data, content_type=content_type)
    assert response.status_code == 400
    assert response.get_json() == {"erreur": MESSAGE}


def test_the_message_is_in_the_page_language(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    signed_in("analyst")
    client.get("/?lang=en", headers={"Accept": "text/html"})
    body = SHAPES["no inputs"](copy.deepcopy(_queue_body(app)))
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    assert "Requête" not in response.get_json()["erreur"]


def test_well_formed_bodies_still_pass(app: Dash, client: FlaskClient, signed_in: Any) -> None:
    signed_in("analyst")
    for body in (_queue_body(app), _save_body(app)):
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]


def _single_output_body(app: Dash) -> Body:
    """A server callback with one plain output (sent by the browser as one object)."""
    key = next(
        k
        for k, spec in app.callback_map.items()
        if not k.startswith("..") and "{" not in k and callable(spec.get("callback"))
    )
    return callback_body(key, app.callback_map[key])


def test_a_clientside_callback_gets_400_not_an_unexpected_error(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    """A clientside callback has no server function: Dash raised KeyError (a 500, a traceback)."""
    signed_in("analyst")
    key = next(k for k, spec in app.callback_map.items() if "callback" not in spec)
    body = callback_body(key, app.callback_map[key])
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.get_json() == {"erreur": MESSAGE}


def test_a_single_output_sent_as_a_list_gets_400(
    app: Dash, client: FlaskClient, signed_in: Any
) -> None:
    signed_in("analyst")
    body = _single_output_body(app)
    assert isinstance(body["outputs"], dict)
    body["outputs"] = [body["outputs"]]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.get_json() == {"erreur": MESSAGE}


def test_a_list_is_accepted_only_for_an_output_matching_several_components() -> None:
    from dash import ALL, ALLSMALLER, MATCH, Output

    from dashboard.auth.callbacks import runnable_callback

    def spec(output: Any) -> dict[str, Any]:
        inputs = [{"id": "b", "property": "n_clicks"}]
        return {"output": output, "inputs": inputs, "state": [], "callback": print}

    def body(key: str, outputs: Any) -> Body:
        return {
            "output": key,
            "outputs": outputs,
            "inputs": [{"id": "b", "property": "n_clicks", "value": 1}],
            "state": [],
            "changedPropIds": ["b.n_clicks"],
        }

    one = {"id": {"type": "row", "index": 2}, "property": "children"}
    for wildcard in (ALL, ALLSMALLER):
        output = Output({"type": "row", "index": wildcard}, "children")
        key = output.component_id_str() + ".children"
        callbacks = {key: spec(output)}
        assert runnable_callback(body(key, [one, one]), callbacks) == key
        assert runnable_callback(body(key, []), callbacks) == key
    matched = Output({"type": "row", "index": MATCH}, "children")
    key = matched.component_id_str() + ".children"
    assert runnable_callback(body(key, one), {key: spec(matched)}) == key
    assert runnable_callback(body(key, [one]), {key: spec(matched)}) is None
    plain = Output("a", "children")
    plain_one = {"id": "a", "property": "children"}
    assert runnable_callback(body("a.children", plain_one), {"a.children": spec(plain)})
    assert runnable_callback(body("a.children", [plain_one]), {"a.children": spec(plain)}) is None
    clientside = {k: v for k, v in spec(plain).items() if k != "callback"}
    assert runnable_callback(body("a.children", plain_one), {"a.children": clientside}) is None
