"""Errors that services raise for people: the message says what is wrong and how to fix it."""


class UserError(ValueError):
    """A refused request; str(error) is a one-line message in the user's language."""


class NotFoundError(UserError):
    """The named thing does not exist."""


class PermissionDenied(UserError):
    """The signed-in user may not do this."""
