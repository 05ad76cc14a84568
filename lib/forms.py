from __future__ import annotations

from django import forms

from lib.errors import SikubeError


def apply_error(form: forms.BaseForm, exc: SikubeError) -> None:
    """Show a service's error next to the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


class Form(forms.Form):
    """SIKUBE's form base: labels without the trailing colon (cleaner in Indonesian)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
