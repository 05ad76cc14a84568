"""The API's field types where pydantic's defaults do not fit SIKUBE's contract.

pydantic's lax mode reads `0` as 1970-01-01 and as False, and "1" as True; times have no offset
although `format: time` promises one; codes are free text in the OpenAPI document. These types
keep the document and the validation the same thing, so that a client (and schemathesis) that
follows the document is accepted, and one that does not is refused with an Indonesian sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from pydantic import BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from lib.money import MONEY_MAX, MoneyError, parse_rupiah

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
# What books.lpj.parse_period reads, in the document too (years 2000 to 2100): a month, and a
# month, quarter or year.
MONTH_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
PERIOD_PATTERN = r"^(20[0-9]{2}|2100)(-(0[1-9]|1[0-2])|-Q[1-4])?$"


def _iso_date(value: Any) -> Any:
    """Only a date or the text YYYY-MM-DD: an integer (a Unix time) is not a date here."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "date")


def _strict_bool(value: Any) -> Any:
    """true/false only (JSON booleans, or the words in a query string): never 0, 1 or "yes"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise PydanticCustomError("bool_type", "bool")


def _local_time(value: Any) -> Any:
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and _LOCAL_TIME.fullmatch(value):
        return value
    raise PydanticCustomError("time_type", "time")


def _matching(pattern: str, kind: str) -> BeforeValidator:
    """Text that matches the pattern the document states, or the error `kind` (an Indonesian
    sentence in api/validation.py): the document and the validation are one regular expression."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, str) and compiled.fullmatch(value):
            return value
        raise PydanticCustomError(kind, kind)

    return BeforeValidator(check)


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
# A month ("2026-03") and a period of the books (a month, "2026-Q1" or "2026"), as
# books.lpj.parse_period reads them (no spaces around: the document cannot say "trimmed").
Month = Annotated[str, _matching(MONTH_PATTERN, "month_type"), WithJsonSchema({
    "type": "string", "pattern": MONTH_PATTERN, "description": "Bulan TTTT-BB, misalnya 2026-03"})]
Period = Annotated[str, _matching(PERIOD_PATTERN, "period_type"), WithJsonSchema({
    "type": "string", "pattern": PERIOD_PATTERN,
    "description": "2026-03 (bulan), 2026-Q1 (triwulan) atau 2026 (tahun)"})]
Flag = Annotated[bool, BeforeValidator(_strict_bool)]
# A visit's start and end are the clock on the wall where it happened (Indonesia has three
# zones; the group's desa decides which): no offset, and the document says so.
LocalTime = Annotated[dt.time, BeforeValidator(_local_time), WithJsonSchema({
    "type": "string", "pattern": TIME_PATTERN,
    "description": "Jam setempat HH:MM atau HH:MM:SS, tanpa zona waktu"})]


class Rupiah:
    """Whole Rupiah: a JSON integer, or a string the pages' parser reads ("Rp 1.250.000").

    A float is refused even when whole (1500.0): a client that sends floats has money in
    floats somewhere, which is the mistake to surface. Strings are accepted so that an
    integrator can pass on what a person typed and get the same answer the page gives."""

    def __init__(self, *, minimum: int = 1, digits: int = len(str(MONEY_MAX))) -> None:
        self.minimum = minimum
        self.digits = digits
        self.maximum = 10**digits - 1  # so that the pattern can say it: at most `digits` digits

    def _read(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise PydanticCustomError("rupiah_type", "rupiah")
        try:
            return parse_rupiah(value, minimum=self.minimum, maximum=self.maximum)
        except MoneyError as exc:
            raise PydanticCustomError("rupiah", "{message}", {"message": exc.message}) from None

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self._read, serialization=core_schema.plain_serializer_function_ser_schema(int))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"anyOf": [
            {"type": "integer", "minimum": self.minimum, "maximum": self.maximum},
            # Only strings whose number is within the bounds match: a leading 1-9 keeps 0 out
            # (or "0" alone when zero is allowed), and the number of digits the maximum.
            {"type": "string", "pattern": _bounded_pattern(zero=self.minimum == 0, digits=self.digits)},
        ], "description": _("Rupiah bulat: angka JSON, atau teks seperti \"1250000\", \"1.250.000\", "
                            "\"Rp 1.250.000\", \"1 250 000\" (tanpa sen)")}


def _bounded_pattern(*, zero: bool, digits: int) -> str:
    """The spellings lib.money.parse_rupiah reads, narrowed to 1 … 10^digits − 1 (or 0 …):
    exactly the strings Rupiah accepts (api/tests/test_money.py holds the two together)."""
    groups = (digits - 1) // 3  # the most groups of three after the leading digits
    lead = min(3, digits - 3 * groups)  # how many leading digits fit before that many groups
    spellings = [rf"[1-9][0-9]{{0,{digits - 1}}}"]
    for sep in (r"\.", " "):
        if groups:
            spellings.append(rf"[1-9][0-9]{{0,{lead - 1}}}({sep}[0-9]{{3}}){{{groups}}}")
        if groups > 1:
            spellings.append(rf"[1-9][0-9]{{0,2}}({sep}[0-9]{{3}}){{1,{groups - 1}}}")
    number = "|".join(spellings) + ("|0" if zero else "")
    return rf"^[ \t\u00a0]*([Rr][Pp] ?)?({number})[ \t\u00a0]*$"


Money = Annotated[int, Rupiah(minimum=1)]
MoneyOrZero = Annotated[int, Rupiah(minimum=0)]


class Codes:
    """A coded field (TextChoices): the document lists the codes (enum) and anything else is
    refused with the list, in Indonesian."""

    def __init__(self, choices: type[TextChoices] | list[str], *, blank: bool = False) -> None:
        values = list(choices) if isinstance(choices, list) else [str(v) for v in choices.values]
        self.values = ([""] if blank else []) + values

    def _check(self, value: str) -> str:
        if value not in self.values:
            expected = ", ".join(v for v in self.values if v)
            if "" in self.values:
                expected += _(" (atau kosongkan)")
            raise PydanticCustomError("enum", "{expected}", {"expected": expected})
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        result = handler(schema)
        result = handler.resolve_ref_schema(result)
        result["enum"] = self.values
        result.pop("maxLength", None)
        return result


def file_answers(*content_types: str, description: str = "Berkas") -> dict[str, Any]:
    """`openapi_extra` for an operation that answers a file (PDF, xlsx, JPEG), beside or instead
    of JSON: the document must name every content type an operation can return."""
    content = {t: {"schema": {"type": "string", "format": "binary"}} for t in content_types}
    return {"responses": {200: {"description": description, "content": content}}}
