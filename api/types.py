"""The API's field types where pydantic's defaults do not fit SIKUBE's contract.

pydantic's lax mode reads `0` as 1970-01-01 and as False, and "1" as True; times have no offset
although `format: time` promises one; codes are free text in the OpenAPI document. These types
keep the document and the validation the same thing, so that a client (and schemathesis) that
follows the document is accepted, and one that does not is refused with an Indonesian sentence.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
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


# Text a service strips and then requires: at least one character that is not a space. The
# document says so by the same regular expression (searched, as JSON Schema's `pattern` is).
NOT_BLANK = r"\S"
_NOT_BLANK = re.compile(NOT_BLANK)
# A NIK as the search reads it: any separators, exactly 16 digits.
NIK_PATTERN = r"^[^0-9]*([0-9][^0-9]*){16}$"
# A username as the services store it (lower-cased; letters, digits, dot, underscore, hyphen).
USERNAME_PATTERN = r"^[A-Za-z0-9._-]+$"
# A programme's code (a slug, the page's ProgrammeForm.code) and an account code of the chart.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
ACCOUNT_CODE_PATTERN = r"^[0-9]{3,10}$"


class Filled:
    """Required text the service strips (a name, a reason, evidence): blank is "wajib diisi", and
    the document says so with the pattern NOT_BLANK. Use as Annotated[str, Filled(150)]."""

    def __init__(self, max_length: int, *, description: str | None = None) -> None:
        self.max_length = max_length
        self.description = description

    def _check(self, value: str) -> str:
        if not _NOT_BLANK.search(value):
            raise PydanticCustomError("missing", "missing")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            self._check, core_schema.str_schema(max_length=self.max_length))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        result: dict[str, Any] = {"type": "string", "maxLength": self.max_length, "pattern": NOT_BLANK}
        if self.description:
            result["description"] = self.description
        return result


class Matching:
    """Text that must match `pattern` (a code, a NIK, a username), refused with the sentence of
    `kind` in api/validation.py; the document states the same pattern. Annotated[str, Matching(…)]."""

    def __init__(self, pattern: str, kind: str, *, max_length: int, description: str) -> None:
        self.pattern, self.kind, self.max_length, self.description = pattern, kind, max_length, description
        self._compiled = re.compile(pattern)

    def _check(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) <= self.max_length and self._compiled.fullmatch(value):
            return value
        raise PydanticCustomError(self.kind, self.kind)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self._check)

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "pattern": self.pattern, "maxLength": self.max_length,
                "description": self.description}


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

    A JSON number with a zero fractional part (69655.0) is an integer by JSON Schema's own
    definition, and the document says `integer`: it is Rp69.655, as many JSON encoders write
    whole numbers. A fraction (69655.5) is refused with the parser's sentence (no sen). Text
    stays strict ("1500.0" is refused by lib.money.parse_rupiah). Strings are accepted so that an
    integrator can pass on what a person typed and get the same answer the page gives."""

    def __init__(self, *, minimum: int = 1, digits: int = len(str(MONEY_MAX))) -> None:
        self.minimum = minimum
        self.digits = digits
        self.maximum = 10**digits - 1  # so that the pattern can say it: at most `digits` digits

    def _read(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
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


class Percent:
    """A percentage with at most two decimals, 0 … `maximum`: a JSON number or its text ("12.5",
    "12,5"). pydantic's Decimal documents any string and refuses a float such as 0.57 (which is
    0.5700000000000001 in binary); the document here says `multipleOf: 0.01` and the validation
    reads a number within binary noise of a cent of a percent as that value."""

    def __init__(self, *, maximum: int = 100) -> None:
        if maximum not in (10, 100):
            raise ValueError("Percent supports a maximum of 10 or 100")
        self.maximum = maximum
        whole = len(str(maximum)) - 1  # digits below the maximum: 1 for 10, 2 for 100
        self.pattern = rf"^({maximum}([.,]0{{1,2}})?|[0-9]{{1,{whole}}}([.,][0-9]{{1,2}})?)$"
        self._text = re.compile(self.pattern)

    def _read(self, value: Any) -> Decimal:
        if isinstance(value, bool):
            raise PydanticCustomError("percent_type", "percent", {"max": self.maximum})
        if isinstance(value, (int, float)):
            if not math.isfinite(value) or not 0 <= value <= self.maximum:
                raise PydanticCustomError("percent_type", "percent", {"max": self.maximum})
            cents = round(value * 100)
            if not math.isclose(value * 100, cents, abs_tol=1e-6):
                raise PydanticCustomError("percent_type", "percent", {"max": self.maximum})
            return Decimal(cents) / 100
        if isinstance(value, Decimal):
            value = str(value)
        if isinstance(value, str) and self._text.fullmatch(value):
            return Decimal(value.replace(",", "."))
        raise PydanticCustomError("percent_type", "percent", {"max": self.maximum})

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self._read, serialization=core_schema.plain_serializer_function_ser_schema(float))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"anyOf": [
            {"type": "number", "minimum": 0, "maximum": self.maximum, "multipleOf": 0.01},
            {"type": "string", "pattern": self.pattern},
        ], "description": _("Persen 0 sampai %(max)s, paling banyak dua angka di belakang koma, "
                            "misalnya 12.5") % {"max": self.maximum}}


Percent100 = Annotated[Decimal, Percent(maximum=100)]
Percent10 = Annotated[Decimal, Percent(maximum=10)]


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
