"""Domain errors of the employer register; service/errors.py turns them into HTTP answers."""

from __future__ import annotations

from typing import Any


class EmployerError(Exception):
    """Base class of the register's errors."""


class EmployerNotFound(LookupError):
    """No employer with this id (or it was merged into another)."""


class RecordNotFound(LookupError):
    """No contact person, contact, opening, slot or workplace with this id."""


class InvalidOrgNumber(ValueError):
    """An organisation number that is malformed or fails its check digit.

    ``reason`` says which rule it breaks, for a message in the reader's language: ``characters``
    (not only digits and '-'), ``century`` (twelve digits not starting with 16), ``length`` (not
    ten digits), ``personal`` (looks like a personal identity number) or ``check_digit``.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class MergeError(ValueError):
    """A merge that cannot be done (same employer, already merged)."""


class VersionConflict(EmployerError):
    """Someone saved the record after the version this change was based on.

    Carries both versions so a page can show them side by side.
    """

    def __init__(
        self,
        *,
        entity: str,
        record_id: int,
        expected_version: int,
        current_version: int,
        current: dict[str, Any] | None = None,
        submitted: dict[str, Any] | None = None,
    ) -> None:
        self.entity = entity
        self.record_id = record_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.current = current or {}
        self.submitted = submitted or {}
        super().__init__(
            f"{entity} {record_id} was changed by someone else "
            f"(your version {expected_version}, saved version {current_version})"
        )


class ImportRejected(ValueError):
    """An all-or-nothing import with rejected rows: nothing was written."""

    def __init__(self, report: Any) -> None:
        self.report = report
        n = len(report.rejected)
        super().__init__(f"{n} row(s) rejected, nothing imported")
