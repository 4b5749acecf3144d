"""What the guard checks in a callback request before Dash reads it: its shape and its page.

`runnable_callback` accepts exactly what Dash's front end sends for a server callback of this
app (the outputs as declared, one entry per input and state); Dash itself would answer anything
else with an error 500, and a clientside callback (no server function) with a KeyError.
`page_permission` reads the permission a page declares when it registers,
``dash.register_page(__name__, ..., permission=Action.VIEW_AUDIT)``: every callback defined in
that page's module then runs only for accounts that may do that action, whatever the callback
itself checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
from dash import ALL, ALLSMALLER, Output
from dash._validate import validate_output_spec
from dash.exceptions import DashException

# The keyword a page passes to dash.register_page to restrict all of its callbacks.
PERMISSION_KEY = "permission"


def _is_dependency(item: Any) -> bool:
    """Tell whether an item names a component's property as Dash's front end does."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str | dict)
        and isinstance(item.get("property"), str)
    )


def _dependencies_match(declared: list[dict[str, Any]], sent: Any) -> bool:
    """Tell whether the inputs (or states) sent are one entry per declared one.

    A pattern-matching dependency (its id an object) may come as a list of entries, one per
    matching component; any other comes as one entry.
    """
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    for spec, item in zip(declared, sent, strict=True):
        many = spec["id"].startswith("{") and isinstance(item, list)
        if not all(_is_dependency(entry) for entry in (item if many else [item])):
            return False
    return True


def _many(output: Any) -> bool:
    """Tell whether a declared output may match several components (ALL or ALLSMALLER in its id).

    Only such an output comes as a list, one entry per matching component (maybe none).
    """
    ident = getattr(output, "component_id", None)
    return isinstance(ident, dict) and any(v in (ALL, ALLSMALLER) for v in ident.values())


def _outputs_match(spec: Mapping[str, Any], sent: Any) -> bool:
    """Tell whether the outputs sent are those the callback declares (Dash's own check).

    One entry per declared output (the entry itself when there is one output), a list only
    for an output matching several components: Dash accepted a plain output sent as a list,
    then failed on it (an error 500).
    """
    if spec.get("no_output"):
        return True
    declared: Any = spec.get("output")
    several = isinstance(declared, list | tuple)
    outputs: list[Any] = list(declared) if several else [declared]
    items = sent if several else [sent]
    if not isinstance(items, list) or len(items) != len(outputs):
        return False
    for output, item in zip(outputs, items, strict=True):
        entries = item if _many(output) and isinstance(item, list) else [item]
        if not all(_is_dependency(entry) for entry in entries):
            return False
    try:
        validate_output_spec(spec["output"], sent, Output)
    except (DashException, LookupError, TypeError, ValueError, AttributeError):
        return False
    return True


def runnable_callback(body: Any, callback_map: Mapping[str, Any]) -> str | None:
    """Return the callback a request body names if Dash can run it as sent, else None."""
    if not isinstance(body, dict):
        return None
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return None
    spec = callback_map[output]
    if not callable(spec.get("callback")):
        return None  # a clientside callback: the browser runs it, the server has no function
    changed = body.get("changedPropIds", [])
    well_formed = (
        _outputs_match(spec, body.get("outputs"))
        and _dependencies_match(spec["inputs"], body.get("inputs"))
        and _dependencies_match(spec["state"], body.get("state", []))
        and isinstance(changed, list)
        and all(isinstance(prop, str) for prop in changed)
    )
    return output if well_formed else None


def page_permission(spec: Mapping[str, Any]) -> str | None:
    """Return the action a callback's page requires of its reader (None: no restriction)."""
    module = getattr(spec.get("callback"), "__module__", None)
    page = dash.page_registry.get(module) if isinstance(module, str) else None
    action = page.get(PERMISSION_KEY) if page else None
    return str(action) if action else None
