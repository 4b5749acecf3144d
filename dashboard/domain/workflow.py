"""The entry workflow: draft -> submitted -> validated | rejected, as one table.

Progress values and budget movements follow the same states. A validated entry is locked: it
is never edited, only corrected by a new version. A rejected entry is kept as it is; editing
it starts a new draft.
"""

from __future__ import annotations

from enum import StrEnum

from dashboard.i18n import N_, _  # N_ marks labels for the catalogs, translated where shown


class State(StrEnum):
    """Workflow state (the same strings as the database's status column)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    REJECTED = "rejected"


class Step(StrEnum):
    """What a person asks to do with an entry."""

    EDIT = "edit"  # change the value of a pending entry (it becomes a draft again)
    SUBMIT = "submit"
    WITHDRAW = "withdraw"  # take a submitted entry back to draft
    VALIDATE = "validate"
    REJECT = "reject"
    REVISE = "revise"  # enter a new draft after a rejection
    CORRECT = "correct"  # enter a new version of a validated value, with a reason


# (current state, step) -> state of the entry that results. REVISE and CORRECT leave the
# entry as it is and create a new draft beside it.
TRANSITIONS: dict[tuple[State, Step], State] = {
    (State.DRAFT, Step.EDIT): State.DRAFT,
    (State.DRAFT, Step.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Step.EDIT): State.DRAFT,
    (State.SUBMITTED, Step.WITHDRAW): State.DRAFT,
    (State.SUBMITTED, Step.VALIDATE): State.VALIDATED,
    (State.SUBMITTED, Step.REJECT): State.REJECTED,
    (State.REJECTED, Step.REVISE): State.DRAFT,
    (State.VALIDATED, Step.CORRECT): State.DRAFT,
}
CREATES_NEW_ENTRY = frozenset({Step.REVISE, Step.CORRECT})

STATE_LABELS = {
    State.DRAFT: N_("brouillon"),
    State.SUBMITTED: N_("soumise"),
    State.VALIDATED: N_("validée"),
    State.REJECTED: N_("rejetée"),
}
STEP_LABELS = {
    Step.EDIT: N_("modifier"),
    Step.SUBMIT: N_("soumettre"),
    Step.WITHDRAW: N_("retirer"),
    Step.VALIDATE: N_("valider"),
    Step.REJECT: N_("rejeter"),
    Step.REVISE: N_("saisir de nouveau"),
    Step.CORRECT: N_("corriger"),
}
# What to do instead, by current state, when a step is not allowed.
HINTS = {
    State.DRAFT: N_("soumettez-la d'abord"),
    State.SUBMITTED: N_("attendez sa validation ou retirez-la pour la modifier"),
    State.VALIDATED: N_("elle est verrouillée : utilisez « Corriger » avec un motif"),
    State.REJECTED: N_("saisissez une nouvelle valeur (« Saisir de nouveau »)"),
}


class TransitionError(ValueError):
    """A step that the entry's current state does not allow; the message says what to do."""


def next_state(current: str, step: str) -> State:
    """Return the state a step leads to, or raise TransitionError saying what to do instead."""
    state, wanted = State(current), Step(step)
    result = TRANSITIONS.get((state, wanted))
    if result is None:
        raise TransitionError(
            _(
                "Impossible de {step} une entrée {state} : {hint}.",
                step=_(STEP_LABELS[wanted]),
                state=_(STATE_LABELS[state]),
                hint=_(HINTS[state]),
            )
        )
    return result


def allowed_steps(current: str) -> list[Step]:
    """Return the steps allowed from a state, in a stable order."""
    state = State(current)
    return [step for step in Step if (state, step) in TRANSITIONS]
