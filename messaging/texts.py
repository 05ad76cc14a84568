"""The words of each message: one short Indonesian sentence per kind of event, through gettext.

A template names only the group, amounts, a date, the member's own balance and (at a month's
close) the group's cash: it is handed nothing else, so no NIK, KK number or other member's figure
can reach a message. Texts are kept to one SMS (160 characters of the GSM alphabet): a long group
name is shortened to make room, never the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from lib.money import rupiah
from messaging.models import Event

SMS_LIMIT = 160
FOOTER_EVENTS = frozenset(Event.values)

# The WhatsApp template registered with Meta for each event; its body's parameters are, in
# order, the values `render` returns (README "Pesan kepada anggota").
WHATSAPP_TEMPLATES: dict[str, str] = {
    Event.DEPOSIT: "sikube_setoran",
    Event.WITHDRAWAL: "sikube_penarikan",
    Event.MEETING: "sikube_rapat",
    Event.REPAYMENT: "sikube_angsuran",
    Event.MONTH_CLOSE: "sikube_tutup_buku",
    Event.SHARE_OUT: "sikube_bagi_hasil",
}


@dataclass(frozen=True)
class Figures:
    """What a message may say. Amounts are whole Rupiah."""

    day: date
    amount: int = 0
    balance: int = 0
    withdrawal: int = 0   # the meeting sheet: deposit in `amount`, withdrawal here
    cash: int = 0         # month close: the group's cash at the month's end
    period: str = ""      # month close "11/2026", share-out "2025"
    in_cash: bool = False  # share-out paid in cash rather than into savings


def _template(event: str) -> str:
    templates = {
        Event.DEPOSIT: _("%(group)s: setoran simpanan Anda %(amount)s tgl %(date)s. Saldo simpanan %(balance)s."),
        Event.WITHDRAWAL: _("%(group)s: penarikan simpanan Anda %(amount)s tgl %(date)s. Saldo simpanan %(balance)s."),
        Event.MEETING: _("%(group)s, rapat %(date)s: setoran %(amount)s, penarikan %(withdrawal)s. "
                         "Saldo simpanan Anda %(balance)s."),
        Event.REPAYMENT: _("%(group)s: angsuran pinjaman Anda %(amount)s tgl %(date)s diterima. "
                           "Sisa pinjaman %(balance)s."),
        Event.MONTH_CLOSE: _("%(group)s: buku bulan %(period)s ditutup. Saldo simpanan Anda %(balance)s, "
                             "kas kelompok %(cash)s."),
        Event.SHARE_OUT: _("%(group)s: bagi hasil %(period)s untuk Anda %(amount)s masuk simpanan tgl %(date)s. "
                           "Saldo simpanan %(balance)s."),
    }
    return templates[event]  # type: ignore[index]


def _values(event: str, figures: Figures) -> dict[str, str]:
    return {"amount": rupiah(figures.amount), "balance": rupiah(figures.balance),
            "withdrawal": rupiah(figures.withdrawal), "cash": rupiah(figures.cash),
            "date": figures.day.strftime("%d/%m/%Y"), "period": figures.period}


def render(event: str, group: str, figures: Figures) -> tuple[str, list[str]]:
    """The SMS text and the WhatsApp template's parameters (group first, then the figures)."""
    with translation.override(settings.LANGUAGE_CODE):
        template = _template(event)
        if event == Event.SHARE_OUT and figures.in_cash:
            template = _("%(group)s: bagi hasil %(period)s untuk Anda %(amount)s dibayar tunai tgl %(date)s.")
        footer = " " + _("Balas BERHENTI utk berhenti.")
        values = _values(event, figures)
        name = " ".join(group.split())
        text = template % {**values, "group": name} + footer
        if len(text) > SMS_LIMIT:  # shorten the group's name, never the figures
            room = max(len(name) - (len(text) - SMS_LIMIT) - 1, 8)
            name = name[:room].rstrip() + "."
            text = template % {**values, "group": name} + footer
        if len(text) > SMS_LIMIT:
            text = template % {**values, "group": name}
    keys = [k for k in ("amount", "withdrawal", "date", "period", "balance", "cash") if f"%({k})s" in template]
    return text[:SMS_LIMIT], [name, *(values[k] for k in keys)]
