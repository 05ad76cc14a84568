"""The base of SIKUBE's typed errors.

A service raises a subclass (RegistryError, BooksError …) whose message is the
Indonesian sentence the user reads; views show it next to the form and the API
returns it as {"code", "message"}. Tests assert on the class and the code.
"""

from __future__ import annotations

from typing import Any


class SikubeError(Exception):
    code: str = "invalid"
    status: int = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None,
                 details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.details = details

    def __str__(self) -> str:
        return str(self.message)
