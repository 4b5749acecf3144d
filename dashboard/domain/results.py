"""The outcome of a check: errors that refuse an entry and warnings that inform, per field.

``dashboard.domain.validation`` re-exports these names (the rules' usual import path); they
live here so that every rule module (bounds, texts, budget) can build them without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem with one field of a form (``field`` is the form's field name)."""

    field: str
    message: str


@dataclass(frozen=True)
class ValidationResult:
    """The errors (which refuse) and warnings (which inform) of an entry."""

    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether nothing refuses the entry (warnings allowed)."""
        return not self.errors

    def __add__(self, other: ValidationResult) -> ValidationResult:
        """Combine the issues of two results."""
        return ValidationResult(self.errors + other.errors, self.warnings + other.warnings)

    @classmethod
    def error(cls, field: str, message: str) -> ValidationResult:
        """Build a result with one error."""
        return cls(errors=(Issue(field, message),))

    @classmethod
    def warning(cls, field: str, message: str) -> ValidationResult:
        """Build a result with one warning."""
        return cls(warnings=(Issue(field, message),))

    def errors_for(self, field: str) -> list[str]:
        """Return the error messages of one field."""
        return [issue.message for issue in self.errors if issue.field == field]

    def warnings_for(self, field: str) -> list[str]:
        """Return the warning messages of one field."""
        return [issue.message for issue in self.warnings if issue.field == field]

    def summary(self) -> str:
        """Return the error messages on one line (for the command line and the audit log)."""
        return " ; ".join(issue.message for issue in self.errors)


OK = ValidationResult()


def combine(results: Iterable[ValidationResult]) -> ValidationResult:
    """Combine many results into one."""
    total = OK
    for result in results:
        total = total + result
    return total
