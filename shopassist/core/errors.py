"""A domain error carries a stable code (from each app's enum) and a readable message."""

from enum import StrEnum


class DomainError(Exception):
    def __init__(self, code: StrEnum, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return self.message
