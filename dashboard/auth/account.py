"""The signed-in person as services and pages see it (no database object leaks out)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n import term


@dataclass(frozen=True)
class Account:
    """Who is asking: identity, role and, for CTI staff, their CTI."""

    id: int
    username: str
    full_name: str
    role: str
    cti_id: int | None = None
    cti_acronym: str | None = None
    language: str = "fr"

    @property
    def display_name(self) -> str:
        """Return the name to show in the interface, in the reader's language when it is known.

        A person's name is shown as entered; the demo accounts' descriptive names
        (« Analyste du ministère (démo) ») are in the catalogs and read in the page's language.
        """
        return term(self.full_name) or self.username


@dataclass(frozen=True)
class CommandLine:
    """The operator at the server's command line: trusted, since they already hold the database."""

    username: str = "cli"


COMMAND_LINE = CommandLine()
# Who asks a service for a change: a signed-in account, the command line, or nobody (None).
Actor = Account | CommandLine
