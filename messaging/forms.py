from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import Form
from messaging.models import ConsentMethod
from registry.forms import DateInput


class ConsentForm(Form):
    member = forms.TypedChoiceField(label=_("Anggota"), coerce=int)
    given_on = forms.DateField(label=_("Tanggal persetujuan"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("Cara persetujuan"), choices=ConsentMethod.choices)

    def __init__(self, *args: object, members: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members  # type: ignore[attr-defined]


class WithdrawForm(Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
