"""A password validator for the words anyone would guess first at SIKUBE.

Django's validators catch a short, numeric, common or username-like password, but not
`kube2026` or `Sikube!23`: the system's name, the programme's, the user's own name and a year,
decorated with digits and signs. This one takes those words out of the password (case and the
usual letter-for-digit swaps ignored) and asks that what is left would still pass on its own:
long enough, not only digits, not a common password. A passphrase that merely mentions KUBE
(`kube-panen-jagung-di-cimenyan`) still passes.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The words of this system and its field; Django's list covers the English ones.
DOMAIN_WORDS = (
    "sikube", "kube", "kemensos", "kemsos", "dinsos", "dinas", "sosial", "pendamping", "pengurus",
    "anggota", "ketua", "bendahara", "sekretaris", "admin", "bantuan", "indonesia", "merdeka",
    "password", "katasandi", "rahasia",
)
YEAR = re.compile(r"(?:19|20)\d\d")
LEET = str.maketrans("013457@$!", "oieastasi")


class DomainWordsValidator:
    def __init__(self, min_length: int = 6) -> None:
        self.min_length = min_length  # of what is left without the guessable words

    def _words(self, user: Any) -> list[str]:
        words = list(DOMAIN_WORDS)
        for attribute in ("username", "full_name"):
            value = str(getattr(user, attribute, "") or "").lower()
            words.extend(part for part in re.split(r"[\W_]+", value) if len(part) >= 3)
        return sorted(set(words), key=len, reverse=True)

    def remainder(self, password: str, user: Any = None) -> str:
        """What is left of `password` without years and the guessable words."""
        text = YEAR.sub("", password.lower())
        plain = text.translate(LEET)
        keep = [True] * len(text)
        for word in self._words(user):
            for match in re.finditer(re.escape(word), plain):
                keep[match.start():match.end()] = [False] * len(word)
        return "".join(ch for ch, kept in zip(text, keep, strict=True) if kept)

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < 8 or password.isdigit() or _is_common(password):
            return  # Django's own validators already say so; one reason is enough
        left = self.remainder(password, user)
        core = re.sub(r"[\W_]+", "", left)
        if (len(left) < self.min_length or core.isdigit() or not core
                or _is_common(core) or _is_common(left.strip("-_.!@#$%^&* "))):
            raise ValidationError(
                _("Kata sandi ini mudah ditebak: tanpa kata seperti 'kube', 'sikube', nama atau nama "
                  "pengguna Anda dan angka tahun, sisanya kurang dari %(min)d karakter yang tidak umum. "
                  "Pakai beberapa kata yang tidak berhubungan, misalnya 'jagung-biru-lompat-pagi'.")
                % {"min": self.min_length},
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh hanya berupa kata seperti 'kube', nama Anda atau angka tahun "
                 "dengan angka dan tanda baca.")


_common = CommonPasswordValidator()


def _is_common(text: str) -> bool:
    return bool(text) and text.lower() in _common.passwords
