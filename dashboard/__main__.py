"""Command line: python -m dashboard COMMAND (see --help).

Messages and help are in the language of DASHBOARD_LANG (French by default), like the app's.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from dashboard.config import ConfigError, Settings
from dashboard.db.engine import make_engine, session_scope
from dashboard.db.migrate import is_initialised, upgrade
from dashboard.i18n import _, ngettext, use_lang
from dashboard.services.errors import UserError

ROLES = ("viewer", "analyst", "cti_editor", "admin")


class CliError(Exception):
    """A bad argument or state; the message is printed on one line and the exit code is 2."""


def _engine(settings: Settings, *, need_schema: bool = True):  # type: ignore[no-untyped-def]
    engine = make_engine(settings.database_url)
    if need_schema and not is_initialised(engine):
        raise CliError(_("Base non initialisée : lancez d'abord `python -m dashboard init-db`."))
    return engine


def _read_password(args: argparse.Namespace) -> str:
    """Read a password from stdin (--password-stdin) or ask twice at a prompt."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(_("Mot de passe : "))
        if getpass.getpass(_("Confirmez : ")) != password:
            raise CliError(_("Les deux mots de passe diffèrent."))
    if not password:
        raise CliError(_("Mot de passe vide."))
    return password


def cmd_init_db(args: argparse.Namespace, settings: Settings) -> None:
    """Apply the database migrations."""
    engine = _engine(settings, need_schema=False)
    upgrade(engine)
    print(_("Base à jour : {url}", url=engine.url.render_as_string(hide_password=True)))


def cmd_seed(args: argparse.Namespace, settings: Settings) -> None:
    """Load the reference facts, and the illustrative demo data with --demo."""
    from dashboard.services.reference import seed_reference

    engine = _engine(settings)
    with session_scope(engine) as session:
        counts = seed_reference(session)
    loaded = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(_("Références chargées : {counts}", counts=loaded))
    if args.demo:
        from dashboard.services.demo import seed_demo

        if args.scale < 1:
            raise CliError(_("--scale doit être un entier supérieur ou égal à 1."))
        today = _today(args, settings)
        with session_scope(engine) as session:
            demo = seed_demo(session, today=today, scale=args.scale)
        made = ", ".join(f"{k} {v}" for k, v in demo.items())
        print(_("Données illustratives : {counts}", counts=made))


def _today(args: argparse.Namespace, settings: Settings) -> date:
    """Return --today, or the settings' today."""
    try:
        return date.fromisoformat(args.today) if args.today else settings.today()
    except ValueError as exc:
        raise CliError(
            _("--today {value} : attendu une date AAAA-MM-JJ.", value=repr(args.today))
        ) from exc


def cmd_create_user(args: argparse.Namespace, settings: Settings) -> None:
    """Create an account."""
    from dashboard.services.users import create_user

    engine = _engine(settings)
    password = _read_password(args)
    with session_scope(engine) as session:
        user = create_user(
            session,
            username=args.name,
            role=args.role,
            password=password,
            cti=args.cti,
            full_name=args.full_name or "",
        )
        print(_("Compte créé : {name} ({role})", name=user.username, role=user.role))


def cmd_set_password(args: argparse.Namespace, settings: Settings) -> None:
    """Change an account's password."""
    from dashboard.services.users import set_password

    engine = _engine(settings)
    password = _read_password(args)
    with session_scope(engine) as session:
        set_password(session, username=args.name, password=password)
    print(_("Mot de passe changé : {name} (ses sessions ouvertes sont fermées)", name=args.name))


def cmd_disable_user(args: argparse.Namespace, settings: Settings) -> None:
    """Disable an account and end its open sessions."""
    from dashboard.services.users import disable_user

    engine = _engine(settings)
    with session_scope(engine) as session:
        disable_user(session, username=args.name)
    print(_("Compte désactivé : {name} (ses sessions ouvertes sont fermées)", name=args.name))


def cmd_enable_user(args: argparse.Namespace, settings: Settings) -> None:
    """Re-enable a disabled account."""
    from dashboard.services.users import set_active

    engine = _engine(settings)
    with session_scope(engine) as session:
        set_active(session, username=args.name, active=True)
    print(_("Compte réactivé : {name}", name=args.name))


def cmd_demo_accounts(args: argparse.Namespace, settings: Settings) -> None:
    """Create one account per role with random passwords, once, on an empty user table."""
    from dashboard.services.demo_accounts import create_demo_accounts

    if settings.is_production:
        raise CliError(_("Comptes de démonstration interdits en production (DASHBOARD_ENV)."))
    engine = _engine(settings)
    with session_scope(engine) as session:
        created = create_demo_accounts(session)
    if not created:
        print(
            _(
                "Comptes existants : connectez-vous avec le vôtre "
                "(mot de passe oublié : python -m dashboard set-password NOM)."
            )
        )
        return
    print(_("Comptes de démonstration (mots de passe affichés une seule fois) :"))
    for username, role, password in created:
        print(f"  {username:<16} {role:<11} {password}")


def cmd_backup(args: argparse.Namespace, settings: Settings) -> None:
    """Write a consistent snapshot of the database to a file."""
    from pathlib import Path

    from dashboard.services.backup import backup

    out = Path(args.out)
    if not out.parent.is_dir():
        raise CliError(_("Dossier introuvable pour --out : {folder}.", folder=out.parent))
    summary = backup(_engine(settings), out)
    print(
        _(
            "Sauvegarde écrite : {path} ({rows} lignes, schéma {revision})",
            path=out,
            rows=summary.total,
            revision=summary.revision,
        )
    )


def cmd_restore(args: argparse.Namespace, settings: Settings) -> None:
    """Replace the database content with a backup."""
    from pathlib import Path

    from dashboard.services.backup import restore

    summary = restore(_engine(settings), Path(args.path))
    print(_("Sauvegarde restaurée : {path} ({rows} lignes)", path=args.path, rows=summary.total))


def cmd_remind(args: argparse.Namespace, settings: Settings) -> int:
    """Give the reminders due and send the e-mails waiting; exit 1 if an e-mail failed."""
    from dashboard.services.mailer import smtp_config
    from dashboard.services.reminders import report_lines, run_reminders
    from dashboard.services.scope import NoPlanError

    today = _today(args, settings)
    smtp = smtp_config(settings)
    try:
        report = run_reminders(
            engine=_engine(settings), today=today, smtp=smtp, base_url=args.base_url or ""
        )
    except NoPlanError as exc:
        raise CliError(str(exc)) from exc
    print("\n".join(report_lines(report)))
    if report.ok:
        return 0
    print(
        ngettext(
            "Erreur : {n} courriel non envoyé, détail ci-dessus (s'il n'est pas abandonné, "
            "il sera réessayé au prochain passage).",
            "Erreur : {n} courriels non envoyés, détail ci-dessus (ceux qui ne sont pas "
            "abandonnés seront réessayés au prochain passage).",
            len(report.mail.failures),
        ),
        file=sys.stderr,
    )
    return 1


def cmd_template(args: argparse.Namespace, settings: Settings) -> None:
    """Write the Excel entry template, pre-filled for one CTI or all."""
    from pathlib import Path

    from dashboard.services.excel_template import build_template

    with session_scope(_engine(settings)) as session:
        content = build_template(
            session=session, cti=args.cti, today=settings.today(), lang=args.lang
        )
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError(_("--out {path} : le modèle est un fichier .xlsx.", path=args.out))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    print(_("Modèle écrit : {path} ({scope})", path=out, scope=args.cti or _("tous les CTI")))


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Preview (--dry-run) or apply an entry workbook as a named user, all or nothing."""
    from pathlib import Path

    from dashboard.services.excel_cli import account_for, read_file, report_lines
    from dashboard.services.excel_import import apply_import, preview_import
    from dashboard.services.import_report import ImportErrors

    content = read_file(Path(args.file))
    with session_scope(_engine(settings)) as session:
        account = account_for(session, args.user)
        run = preview_import if args.dry_run else apply_import
        try:
            report = run(
                session=session,
                account=account,
                content=content,
                today=settings.today(),
                submit=args.submit,
            )
        except ImportErrors as exc:
            print("\n".join(report_lines(exc.report, outcome="refusé")))
            raise CliError(str(exc)) from None
    print("\n".join(report_lines(report, outcome="aperçu" if args.dry_run else "appliqué")))
    if report.errors:
        raise CliError(report.refusal())
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """Write a PDF or Excel report (national or one CTI), and e-mail it with --mail-to."""
    from dashboard.services.reports.cli import run_report
    from dashboard.services.scope import NoPlanError

    try:
        outcome = run_report(
            engine=_engine(settings),
            settings=settings,
            fmt=args.format,
            out=args.out,
            cti=args.cti,
            year=args.year,
            quarter=args.quarter,
            lang=args.lang,
            mail_to=args.mail_to,
        )
    except NoPlanError as exc:
        raise CliError(str(exc)) from exc
    print("\n".join(outcome.lines))
    return outcome.code


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    """Serve the app with the development server."""
    from dashboard.app import create_app, settle_for_serving
    from dashboard.auth.headers import QuietRequestHandler

    if settings.is_production:
        raise CliError(
            _(
                "`serve` est le serveur de développement, refusé en production"
                " (DASHBOARD_ENV=production) : lancez `gunicorn dashboard.wsgi:server`."
            )
        )
    if not 0 < args.port < 65536:
        raise CliError(_("Port invalide : {port}.", port=args.port))
    engine = _engine(settings)
    app = create_app(settings, engine=engine)
    settle_for_serving()
    print(_("Tableau de bord : {url}", url=f"http://{args.host}:{args.port}/"))
    app.run(host=args.host, port=args.port, debug=False, request_handler=QuietRequestHandler)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[..., int | None], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    p = add("serve", cmd_serve, _("Servir l'application (serveur de développement)."))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p = add(
        "backup",
        cmd_backup,
        _("Sauvegarder toute la base dans un fichier (application en marche)."),
    )
    p.add_argument("--out", required=True, help=_("fichier .zip à écrire"))
    p = add("restore", cmd_restore, _("Remplacer le contenu de la base par une sauvegarde."))
    p.add_argument("path", help=_("fichier de sauvegarde (.zip)"))
    add("init-db", cmd_init_db, _("Créer ou mettre à jour le schéma de la base (migrations)."))
    p = add(
        "seed", cmd_seed, _("Charger les faits de référence (et --demo : données illustratives).")
    )
    p.add_argument("--demo", action="store_true", help=_("générer les données illustratives"))
    p.add_argument("--scale", type=int, default=1, help=_("multiplier le volume (tests de charge)"))
    p.add_argument("--today", help=_("date du jour AAAA-MM-JJ (défaut : aujourd'hui)"))
    add("demo-accounts", cmd_demo_accounts, _("Créer un compte de démonstration par rôle."))
    p = add("create-user", cmd_create_user, _("Créer un compte."))
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--cti", help=_("sigle du CTI (rôle cti_editor)"))
    p.add_argument("--full-name", help=_("nom affiché (ex. « Amina El Idrissi »)"))
    p.add_argument(
        "--password-stdin", action="store_true", help=_("lire le mot de passe sur stdin")
    )
    p = add("set-password", cmd_set_password, _("Changer le mot de passe d'un compte."))
    p.add_argument("name")
    p.add_argument(
        "--password-stdin", action="store_true", help=_("lire le mot de passe sur stdin")
    )
    p = add(
        "disable-user", cmd_disable_user, _("Désactiver un compte (ses sessions sont fermées).")
    )
    p.add_argument("name")
    p = add("enable-user", cmd_enable_user, _("Réactiver un compte désactivé."))
    p.add_argument("name")
    p = add(
        "remind",
        cmd_remind,
        _("Créer les rappels dus et envoyer les courriels en attente (cron ou timer systemd)."),
    )
    p.add_argument("--today", help=_("date du jour AAAA-MM-JJ (défaut : aujourd'hui)"))
    p.add_argument("--base-url", help=_("adresse publique du tableau de bord, pour les liens"))
    p = add("template", cmd_template, _("Écrire le modèle Excel de saisie (pré-rempli)."))
    p.add_argument("--out", required=True, help=_("fichier .xlsx à écrire"))
    p.add_argument("--cti", help=_("sigle du CTI (défaut : tous)"))
    p.add_argument(
        "--lang", choices=("fr", "en", "ar"), help=_("langue du modèle (défaut : DASHBOARD_LANG)")
    )
    p = add("import", cmd_import, _("Importer un classeur de saisie (--dry-run : aperçu)."))
    p.add_argument("file", help=_("classeur .xlsx rempli"))
    p.add_argument("--user", required=True, help=_("compte au nom duquel importer (droits, audit)"))
    p.add_argument("--dry-run", action="store_true", help=_("afficher l'aperçu sans rien modifier"))
    p.add_argument("--submit", action="store_true", help=_("soumettre les valeurs pour validation"))
    _add_report_arguments(
        add("report", cmd_report, _("Écrire un rapport PDF ou Excel (national ou d'un CTI)."))
    )
    return parser


def _add_report_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the options of ``report``."""
    p.add_argument("--format", required=True, choices=("pdf", "xlsx"))
    p.add_argument("--out", required=True, help=_("fichier à écrire (.pdf ou .xlsx)"))
    p.add_argument("--cti", help=_("sigle du CTI (défaut : rapport national)"))
    p.add_argument("--year", help=_("année du plan (défaut : l'année en cours, à date)"))
    p.add_argument("--quarter", help=_("trimestre 1-4 : valeurs déclarées jusqu'à ce trimestre"))
    p.add_argument("--lang", default="fr", choices=("fr", "en", "ar"), help=_("langue du rapport"))
    p.add_argument("--mail-to", help=_("envoyer le rapport à ces adresses (virgules entre elles)"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command in DASHBOARD_LANG's language; print a one-line reason on failure."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    with use_lang(os.environ.get("DASHBOARD_LANG")):  # French for an unset or unknown code
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        code = args.func(args, settings)  # None for success, or the command's own exit code
    except (CliError, UserError, ConfigError) as exc:
        print(_("Erreur : {error}", error=exc), file=sys.stderr)
        return 2
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else _("connexion impossible")
        print(_("Erreur : base de données injoignable ({reason}).", reason=reason), file=sys.stderr)
        return 3
    except SQLAlchemyError as exc:
        print(
            _(
                "Erreur : la base de données a refusé l'opération ({error}).",
                error=type(exc).__name__,
            ),
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        return 130
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
