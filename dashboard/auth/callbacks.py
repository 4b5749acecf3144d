"""What the guard checks in a callback request before Dash reads it: its shape and its page.

`runnable_callback` accepts exactly what Dash's front end sends for a callback of this app
(the outputs as declared, one entry per input and state); Dash itself would answer anything
else with an error 500. `page_permission` reads the permission a page declares when it
registers, ``dash.register_page(__name__, ..., permission=Action.VIEW_AUDIT)``: every callback
defined in that page's module then runs only for accounts that may do that action, whatever
the callback itself checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
from dash import Output
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


def _outputs_match(spec: Mapping[str, Any], sent: Any) -> bool:
    """Tell whether the outputs sent are those the callback declares (Dash's own check)."""
    if spec.get("no_output"):
        return True
    if not isinstance(sent, list | dict):
        return False
    items = sent if isinstance(sent, list) else [sent]
    flat = [e for item in items for e in (item if isinstance(item, list) else [item])]
    if not all(_is_dependency(entry) for entry in flat):
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
