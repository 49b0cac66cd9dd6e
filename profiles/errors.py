"""Domain errors of the participant side; service/errors.py turns them into HTTP answers."""

from __future__ import annotations


class ParticipantNotFound(LookupError):
    """No participant with this id (or code)."""


class ParticipantAccessDenied(PermissionError):
    """The user may not see or change this participant (not on their caseload, wrong role)."""


class UserNotFound(LookupError):
    """No user with this id."""


class VersionConflict(Exception):
    """Someone else changed the record after it was read (optimistic concurrency)."""

    def __init__(self, entity: str, expected: int, actual: int) -> None:
        super().__init__(f"{entity} was changed by someone else (version {actual}, not {expected})")
        self.entity = entity
        self.expected = expected
        self.actual = actual


class FieldErrors(ValueError):
    """Invalid input, with a message per field (field name -> message)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))
        self.errors = errors


class OfferNotFound(LookupError):
    """The opening, practice slot or employer behind a suggestion is gone."""


class ContactNotFound(LookupError):
    """No employer contact with this id for this participant."""
