from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from lib.forms import Form
from regions.forms import RegionField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa ejaan dan huruf besar/kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin Dinas Sosial."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()


class UserForm(Form):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150,
                               help_text=_("Huruf kecil, angka dan titik; dipakai untuk masuk."))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    region = RegionField(label=_("Wilayah kerja"), required=False, min_level=1, max_level=2,
                         help_text=_("Untuk Dinas Sosial provinsi: provinsinya; kabupaten/kota: "
                                     "kabupaten/kotanya; pendamping: provinsi atau kabupaten/kota "
                                     "kantor yang mempekerjakannya."))
    institution = forms.CharField(label=_("Instansi/jabatan"), max_length=150, required=False)
    phone = forms.CharField(label=_("Nomor HP"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)
    password = forms.CharField(label=_("Kata sandi awal"), widget=forms.PasswordInput,
                               required=False, min_length=8)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["username"].disabled = True
            del self.fields["password"]
        else:
            self.fields["password"].required = True
            del self.fields["is_active"]

    def clean_username(self) -> str:
        value = (self.cleaned_data.get("username") or "").strip().lower()
        if not all(ch.isalnum() or ch in "._-" for ch in value):
            raise forms.ValidationError(_("Nama pengguna hanya boleh berisi huruf, angka, titik, "
                                          "garis bawah dan tanda hubung."))
        return value


class PasswordForm(Form):
    password = forms.CharField(label=_("Kata sandi baru"), widget=forms.PasswordInput, min_length=8)
    password2 = forms.CharField(label=_("Ulangi kata sandi baru"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class OwnPasswordForm(PasswordForm):
    """The owner's change on the profile page: the current password first, so that a session left
    open on a shared phone is not enough to take the account over."""

    current_password = forms.CharField(label=_("Kata sandi sekarang"), widget=forms.PasswordInput)
    field_order = ["current_password", "password", "password2"]


class TokenForm(Form):
    name = forms.CharField(label=_("Nama token"), max_length=80,
                           help_text=_("Misalnya nama aplikasi atau perangkat yang memakainya."))
