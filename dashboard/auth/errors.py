"""Error answers for people: a French page or a short JSON message, never a traceback."""

from __future__ import annotations

from dash.exceptions import DependencyException
from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, NotFound

from dashboard.i18n import N_, _, current_lang, direction

MESSAGES = {
    400: N_("La requête est invalide. Rechargez la page et recommencez."),
    401: N_("Connexion requise : connectez-vous pour continuer."),
    403: N_("Accès refusé."),
    404: N_("Cette adresse n'existe pas."),
    405: N_("Cette opération n'est pas possible à cette adresse."),
    413: N_("Le fichier envoyé est trop volumineux."),
    429: N_("Trop de requêtes : patientez quelques minutes."),
    500: N_("Une erreur interne est survenue. Elle a été enregistrée ; réessayez plus tard."),
}


def _message(code: int) -> str:
    return _(MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400]))


def _wants_json() -> bool:
    if request.path.startswith(("/_dash", "/_reload")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(error: HTTPException) -> Response:
    """Answer an HTTP error with a French page, or JSON for Dash's own requests."""
    code = error.code or 500
    if _wants_json():
        response = jsonify({"erreur": _message(code)})
    else:
        lang = current_lang()
        response = Response(
            render_template(
                "error.html", _=_, lang=lang, dir=direction(lang), code=code, message=_message(code)
            ),
            mimetype="text/html",
        )
    response.status_code = code
    return response


def install_error_handlers(server: Flask) -> None:
    """Answer every HTTP error, and any unhandled exception (as 500), without details.

    Flask logs the exception with its traceback before calling the 500 handler, so the
    details stay in the server log, where they belong.
    """
    server.register_error_handler(HTTPException, error_response)
    # Dash raises this for a component-suite file it does not know: that is a 404, not a 500.
    server.register_error_handler(DependencyException, lambda _error: error_response(NotFound()))
