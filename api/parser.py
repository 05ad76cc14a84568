"""The API's reading of request bodies and query strings: django-ninja's, refusing the NUL character.

PostgreSQL cannot store or even compare a text holding NUL (code 0): a JSON string "\\u0000" or a
query "%00" reached the database and came back as a server error (found by the schemathesis run
of `POST /api/v1/events`). The pages' forms refuse it already (Django's CharField); the API now
answers 422 naming the field, on both databases, before any view runs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

NUL = "\x00"


class NulCharacter(ValueError):
    """A text of the request holds NUL; `loc` is where, as pydantic names a field's place."""

    def __init__(self, loc: tuple[Any, ...]) -> None:
        super().__init__(f"NUL character at {loc}")
        self.loc = loc


def refuse_nul(value: Any, loc: tuple[Any, ...]) -> None:
    """Raise NulCharacter for the first text (a key or a value, at any depth) holding NUL."""
    if isinstance(value, str):
        if NUL in value:
            raise NulCharacter(loc)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                raise NulCharacter((*loc, key.replace(NUL, "")))
            refuse_nul(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(item, (*loc, index))


class SikubeParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        refuse_nul(data, ("body",))  # ninja says this as a 400 "Cannot parse": api.errors says it as 422
        return data

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        refuse_nul(result, ("query",))
        return result
