from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from lib.errors import SikubeError
from lib.money import MONEY_MAX, MoneyError, parse_rupiah


def apply_error(form: forms.BaseForm, exc: SikubeError) -> None:
    """Show a service's error next to the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class Form(forms.Form):
    """SIKUBE's form base: labels without the trailing colon (cleaner in Indonesian)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class PlainSelect(forms.Select):
    """Django's select, the same HTML, drawn in Python: Django draws each option through two templates
    of its own, which made the seven selects of the group list's filter bar several milliseconds of
    every visit of the list."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(format_html('<option value="{}"{}>{}</option>', option["value"], flatatt(option["attrs"]),
                                     option["label"]) for option in options)
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html above


class _ListedChoices(ModelChoiceIterator):
    """The choices read in one query. Django's iterator reads them through `QuerySet.iterator()`,
    which on PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE, three round trips and a
    held cursor for a dozen rows (1.5 → 1.0 ms of the group list's programme select)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a short list (the programmes), its choices read in one query."""

    iterator = _ListedChoices


class AmountInput(forms.TextInput):
    """A plain text box with the numeric keyboard: "25.000" and "25000" both read as 25000."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs})


class RupiahField(forms.Field):
    """Whole Rupiah, read by lib.money.parse_rupiah, the parser the API and the import use too:
    a fraction, a misplaced thousands separator or a letter is refused with what to type."""

    widget = AmountInput

    def __init__(self, *, allow_zero: bool = False, maximum: int = MONEY_MAX, **kwargs: Any) -> None:
        self.minimum = 0 if allow_zero else 1
        self.maximum = maximum
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_rupiah(value, minimum=self.minimum, maximum=self.maximum)
        except MoneyError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None


def rupiah_cell(text: str, *, minimum: int = 1) -> int:
    """An amount inside a line of a multi-line box (RAB, recipients): the same parser, its
    message raised as the form's error."""
    try:
        return parse_rupiah(text, minimum=minimum)
    except MoneyError as exc:
        raise forms.ValidationError(exc.message, code="invalid") from None
