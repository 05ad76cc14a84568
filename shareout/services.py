"""Writes of the share-out: adopting a rule, closing a year, proposing, deciding and posting.

Each is one transaction under a lock on the group, validates everything before it writes, and
records the audit row inside it. Posting goes through books' `transaction_post`, so the ledger's
own rules hold (balanced, not in a closed month, cash never below zero). Nothing of a posted
share-out changes afterwards; the database refuses a second share-out of a year.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import same_group
from audit.models import Action
from audit.services import audit_record
from books.errors import BooksError
from books.models import AccountRole, PeriodClose, RuleVersion, TxnKind
from books.services import Leg, notify, period_close, transaction_post
from lib.money import rupiah
from lib.periods import period_of
from outbox import services as outbox
from registry.models import Kube
from shareout import compute
from shareout.errors import ShareOutError
from shareout.models import Leavers, Payout, ShareLine, ShareOut, ShareRule, Status, YearClose
from shareout.selectors import bases, current_rule, members_in_year, year_bounds, year_figures

MAX_AMOUNT = 10**13


def _by(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock(kube: Kube) -> Kube:
    kube = Kube.objects.select_for_update().get(pk=kube.pk)
    if kube.status == "bubar":
        raise ShareOutError(_("KUBE sudah bubar; bukunya tidak dapat ditambah."), code="dissolved")
    return kube


def _year(kube: Kube, year: Any) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ShareOutError(_("Tahun buku ditulis empat angka, misalnya 2026."), field="year")
    if year < kube.formed_on.year:
        raise ShareOutError(_("KUBE belum dibentuk pada tahun %(y)s.") % {"y": year}, field="year")
    return year


# --- the rule -------------------------------------------------------------------------------

@transaction.atomic
def share_rule_adopt(*, actor: Any, kube: Kube, adopted_on: date, capital_percent: Any, members_percent: Any,
                     weight_equal: Any = 0, weight_savings: Any = 0, weight_work: Any = 0,
                     leavers: str = Leavers.NONE, payout: str = Payout.SAVINGS) -> ShareRule:
    """A new version of the share-out rule, part of the Buku Peraturan version in force that day."""
    kube = _lock(kube)
    terms = compute.terms_check(capital_percent=capital_percent, members_percent=members_percent,
                                weights={compute.EQUAL: weight_equal, compute.SAVINGS: weight_savings,
                                         compute.WORK: weight_work}, leavers=leavers)
    if payout not in Payout.values:
        raise ShareOutError(_("Pilih cara pembayaran bagian anggota."), field="payout")
    if adopted_on > timezone.localdate():
        raise ShareOutError(_("Tanggal tidak boleh di masa depan."), field="adopted_on")
    if adopted_on < kube.formed_on:
        raise ShareOutError(_("Tanggal tidak boleh sebelum KUBE dibentuk."), field="adopted_on")
    rules = RuleVersion.objects.filter(kube=kube, adopted_on__lte=adopted_on).order_by("-version").first()
    if rules is None:
        raise ShareOutError(_("Catat dulu Buku Peraturan KUBE (tab Peraturan): aturan pembagian hasil usaha "
                              "menjadi bagian dari peraturan yang disahkan musyawarah."), field="adopted_on",
                            code="no_rules")
    last = current_rule(kube)
    if last is not None and adopted_on < last.adopted_on:
        raise ShareOutError(_("Tanggal pengesahan tidak boleh sebelum versi terakhir (%(d)s).")
                            % {"d": last.adopted_on.strftime("%d-%m-%Y")}, field="adopted_on")
    rule = ShareRule.objects.create(
        kube=kube, version=(last.version + 1) if last else 1, rules=rules, adopted_on=adopted_on,
        capital_percent=terms.capital_percent, members_percent=terms.members_percent,
        weight_equal=terms.weights[compute.EQUAL], weight_savings=terms.weights[compute.SAVINGS],
        weight_work=terms.weights[compute.WORK], leavers=leavers, payout=payout, recorded_by=_by(actor))
    audit_record(actor=actor, action=Action.CREATE, obj=rule, kube_id=kube.pk, changes={
        "version": [None, rule.version], "rules_version": [None, rules.version],
        "capital_percent": [None, str(terms.capital_percent)], "members_percent": [None, str(terms.members_percent)],
        "weights": [None, {k: str(v) for k, v in terms.weights.items()}], "leavers": [None, leavers],
        "payout": [None, payout]})
    return rule


# --- the yearly close -----------------------------------------------------------------------

@transaction.atomic
def year_close(*, actor: Any, kube: Kube, year: Any) -> YearClose:
    """Close a year: every month of it closed (those still open are closed now), the year's profit
    fixed. The year's LPJ then carries the notes; the share-out starts from this record."""
    kube = _lock(kube)
    year = _year(kube, year)
    _start, end = year_bounds(year)
    if end >= timezone.localdate():
        raise ShareOutError(_("Tahun %(y)s belum berakhir; tutup buku tahunan setelah 31 Desember.")
                            % {"y": year}, field="year", code="year_not_over")
    if YearClose.objects.filter(kube=kube, year=year).exists():
        raise ShareOutError(_("Tahun buku %(y)s sudah ditutup.") % {"y": year}, field="year", code="already_closed")
    december = year * 100 + 12
    if not PeriodClose.objects.filter(kube=kube, period=december).exists():
        try:
            period_close(actor=actor, kube=kube, period=december)
        except BooksError as exc:
            raise ShareOutError(exc.message, field="year", code=exc.code) from exc
    figures = year_figures(kube, year)
    closing = YearClose.objects.create(kube=kube, year=year, profit_before_iks=figures.profit_before_iks,
                                       iks_set_aside=figures.iks_set_aside,
                                       profit_after_iks=figures.profit_after_iks, closed_by=_by(actor))
    audit_record(actor=actor, action=Action.CREATE, obj=closing, kube_id=kube.pk,
                 object_repr=_("Tutup buku tahun %(y)s") % {"y": year},
                 changes={"profit_before_iks": [None, figures.profit_before_iks],
                          "iks_set_aside": [None, figures.iks_set_aside],
                          "profit_after_iks": [None, figures.profit_after_iks]})
    outbox.record(kube.pk, december)
    return closing


# --- proposal, decision, posting -------------------------------------------------------------

def _not_posted(share_out: ShareOut) -> None:
    if share_out.status == Status.POSTED:
        raise ShareOutError(
            _("Pembagian hasil usaha tahun %(y)s sudah dibukukan (bukti %(r)s) dan tidak dapat diubah lagi.")
            % {"y": share_out.year, "r": share_out.transaction.receipt if share_out.transaction else "—"},
            code="already_posted")


@transaction.atomic
def share_out_propose(*, actor: Any, kube: Kube, year: Any) -> ShareOut:
    """The proposal for a closed year under the rule in force: each member's share with its basis.
    Proposing again (a rule adopted since, a member's record corrected) replaces an undecided or
    decided proposal; a posted one is final."""
    kube = _lock(kube)
    year = _year(kube, year)
    closing = YearClose.objects.filter(kube=kube, year=year).first()
    if closing is None:
        raise ShareOutError(_("Tahun buku %(y)s belum ditutup. Tutup buku tahunan dulu, baru laba dapat dibagi.")
                            % {"y": year}, field="year", code="year_open")
    existing = ShareOut.objects.select_for_update().filter(kube=kube, year=year).first()
    if existing is not None:
        _not_posted(existing)
    rule = current_rule(kube)
    if rule is None:
        raise ShareOutError(_("KUBE belum menetapkan aturan pembagian hasil usaha dalam peraturannya."),
                            field="year", code="no_rule")
    terms = compute.Terms(rule.capital_percent, rule.members_percent,
                          {compute.EQUAL: rule.weight_equal, compute.SAVINGS: rule.weight_savings,
                           compute.WORK: rule.weight_work}, rule.leavers)
    if closing.profit_after_iks <= 0:
        raise ShareOutError(
            _("Tahun %(y)s tidak berlaba (laba setelah IKS %(p)s): tidak ada yang dapat dibagi.")
            % {"y": year, "p": rupiah(closing.profit_after_iks)}, field="year", code="no_profit")
    proposal = compute.propose(profit=closing.profit_after_iks, terms=terms, bases=bases(kube, year))
    if existing is not None:
        existing.lines.all().delete()
        existing.delete()
    share_out = ShareOut.objects.create(
        kube=kube, year=year, rule=rule, profit=proposal.profit, capital_base=proposal.capital_base,
        members_pool=proposal.members_pool, remainder=proposal.remainder, capital=proposal.capital,
        members_total=proposal.members_total, created_by=_by(actor))
    left_ids = {m.pk for m in members_in_year(kube, year) if m.left_on is not None}
    ShareLine.objects.bulk_create([
        ShareLine(share_out=share_out, member_id=w.basis.member_id, months=w.basis.months,
                  savings_months=w.basis.savings_months, work_days=w.basis.work_days, left=w.basis.left,
                  eligible=w.eligible, exact=f"{w.exact.numerator}/{w.exact.denominator}", proposed=w.share,
                  final=w.share,
                  payout=Payout.CASH if w.basis.member_id in left_ids else rule.payout)
        for w in proposal.lines])
    audit_record(actor=actor, action=Action.CREATE, obj=share_out, kube_id=kube.pk,
                 object_repr=_("Usulan pembagian hasil usaha %(y)s") % {"y": year},
                 changes={"rule_version": [None, rule.version], "profit": [None, proposal.profit],
                          "members_total": [None, proposal.members_total], "capital": [None, proposal.capital],
                          "remainder": [None, proposal.remainder]})
    return share_out


def _amount(value: Any, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_AMOUNT:
        raise ShareOutError(_("Penyesuaian harus bilangan bulat Rupiah (boleh negatif), misalnya 25000."),
                            field=field, code="not_whole")
    return value


@transaction.atomic
def share_out_decide(*, actor: Any, share_out: ShareOut, meeting_date: date, present: Any, decision: str,
                     adjustments: Mapping[int, tuple[Any, str]] | None = None,
                     payouts: Mapping[int, str] | None = None) -> ShareOut:
    """The members' meeting's decision: its date and attendance, the decision in its words, and any
    change to a member's share (with the reason) or to how it is paid. What members get more (or
    less) than the rule gives comes out of (or goes to) capital, which may not go below zero."""
    kube = _lock(share_out.kube)
    share_out = ShareOut.objects.select_for_update().get(pk=share_out.pk)
    _not_posted(share_out)
    adjustments, payouts = adjustments or {}, payouts or {}
    _start, end = year_bounds(share_out.year)
    if not isinstance(meeting_date, date):
        raise ShareOutError(_("Isi tanggal musyawarah."), field="meeting_date")
    if meeting_date <= end:
        raise ShareOutError(_("Musyawarah pembagian hasil usaha diadakan setelah tahun buku berakhir (%(d)s).")
                            % {"d": date_format(end, "j F Y")}, field="meeting_date")
    if meeting_date > timezone.localdate():
        raise ShareOutError(_("Tanggal tidak boleh di masa depan."), field="meeting_date")
    members_count = kube.members.filter(joined_on__lte=meeting_date).exclude(left_on__lte=meeting_date).count()
    if isinstance(present, bool) or not isinstance(present, int) or not 1 <= present <= members_count:
        raise ShareOutError(_("Jumlah anggota hadir 1 sampai %(n)s (anggota pada hari musyawarah).")
                            % {"n": members_count}, field="present")
    decision = (decision or "").strip()
    if not decision:
        raise ShareOutError(_("Tulis keputusan musyawarah."), field="decision")
    if len(decision) > 5000:
        raise ShareOutError(_("Keputusan musyawarah paling panjang 5000 karakter."), field="decision")
    lines = {ln.member_id: ln for ln in share_out.lines.select_related("member")}
    for member_id in [*adjustments, *payouts]:
        if member_id not in lines:
            raise ShareOutError(_("Anggota yang disebut tidak ada dalam pembagian ini."), field="adjustments",
                                code="not_found")
    for member_id, ln in lines.items():
        amount, reason = adjustments.get(member_id, (0, ""))
        amount = _amount(amount, field="adjustments")
        reason = " ".join((reason or "").split())
        if amount and not reason:
            raise ShareOutError(_("Tulis alasan penyesuaian bagian %(m)s.") % {"m": ln.member.name},
                                field="adjustments", code="reason_missing")
        if len(reason) > 250:
            raise ShareOutError(_("Alasan penyesuaian paling panjang 250 karakter."), field="adjustments")
        if ln.proposed + amount < 0:
            raise ShareOutError(_("Bagian %(m)s tidak boleh kurang dari nol (menurut aturan %(p)s).")
                                % {"m": ln.member.name, "p": rupiah(ln.proposed)}, field="adjustments",
                                code="negative_share")
        payout = payouts.get(member_id, ln.payout)
        if payout not in Payout.values:
            raise ShareOutError(_("Pilih cara pembayaran bagian anggota."), field="payouts")
        if payout == Payout.SAVINGS and ln.member.left_on is not None and ln.member.left_on <= meeting_date:
            raise ShareOutError(_("%(m)s sudah keluar; bagiannya dibayar tunai, tidak masuk simpanan.")
                                % {"m": ln.member.name}, field="payouts", code="left_member_savings")
        ln.adjustment, ln.reason, ln.final, ln.payout = amount, reason if amount else "", ln.proposed + amount, payout
    members_total = sum(ln.final for ln in lines.values())
    if members_total > share_out.profit:
        raise ShareOutError(_("Bagian anggota seluruhnya %(m)s melebihi laba yang dapat dibagi %(p)s.")
                            % {"m": rupiah(members_total), "p": rupiah(share_out.profit)},
                            field="adjustments", code="more_than_profit")
    ShareLine.objects.bulk_update(list(lines.values()), ["adjustment", "reason", "final", "payout"])
    share_out.meeting_date, share_out.present, share_out.members_count = meeting_date, present, members_count
    share_out.decision, share_out.decided_by, share_out.status = decision, _by(actor), Status.DECIDED
    share_out.members_total, share_out.capital = members_total, share_out.profit - members_total
    share_out.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=share_out, kube_id=kube.pk,
                 object_repr=_("Keputusan pembagian hasil usaha %(y)s") % {"y": share_out.year},
                 changes={"meeting_date": [None, meeting_date.isoformat()], "present": [None, present],
                          "members_total": [None, members_total], "capital": [None, share_out.capital],
                          "adjustments": [None, {str(k): ln.adjustment for k, ln in lines.items() if ln.adjustment}]})
    return share_out


@transaction.atomic
def share_out_post(*, actor: Any, share_out: ShareOut, date: date | None = None) -> ShareOut:
    """Write the decided share-out to the ledger once: Saldo laba down by the members' total, each
    member's savings up by their share (or cash paid out). The capital's part stays in Saldo laba,
    the group's own capital. Dated the meeting's day unless another (open) day is given."""
    kube = _lock(share_out.kube)
    share_out = ShareOut.objects.select_for_update(of=("self",)).select_related("transaction").get(pk=share_out.pk)
    _not_posted(share_out)
    if share_out.status != Status.DECIDED:
        raise ShareOutError(_("Pembagian hasil usaha dibukukan setelah diputuskan musyawarah anggota."),
                            code="not_decided")
    day = date or share_out.meeting_date
    assert day is not None
    if day < share_out.meeting_date:  # type: ignore[operator]
        raise ShareOutError(_("Tanggal pembukuan tidak boleh sebelum musyawarah."), field="date")
    lines = [ln for ln in share_out.lines.select_related("member").order_by("id") if ln.final > 0]
    txn = None
    if lines:
        legs = [Leg(AccountRole.RETAINED, debit=sum(ln.final for ln in lines))]
        for ln in lines:
            same_group(actor, ln.member, kube.pk, field="lines", label=_("Anggota"), error=ShareOutError)
            role = AccountRole.SAVINGS if ln.payout == Payout.SAVINGS else AccountRole.CASH
            legs.append(Leg(role, credit=ln.final, member=ln.member))
        try:
            txn = transaction_post(
                actor=actor, kube=kube, date=day, kind=TxnKind.GENERAL, legs=legs,
                description=_("Pembagian hasil usaha tahun %(y)s (musyawarah %(d)s)")
                % {"y": share_out.year, "d": date_format(day, "j F Y")})
        except BooksError as exc:
            raise ShareOutError(exc.message, field=exc.field or "date", code=exc.code) from exc
    share_out.status, share_out.transaction, share_out.posted_on, share_out.posted_by = (
        Status.POSTED, txn, day, _by(actor))
    try:
        with transaction.atomic():
            share_out.save(update_fields=["status", "transaction", "posted_on", "posted_by"])
    except IntegrityError as exc:  # pragma: no cover - the row lock above makes this a race only
        raise ShareOutError(_("Pembagian hasil usaha ini sudah dibukukan."), code="already_posted") from exc
    audit_record(actor=actor, action=Action.UPDATE, obj=share_out, kube_id=kube.pk,
                 object_repr=_("Pembukuan pembagian hasil usaha %(y)s") % {"y": share_out.year},
                 changes={"status": [Status.DECIDED, Status.POSTED], "receipt": [None, txn.receipt if txn else None],
                          "members_total": [None, share_out.members_total]})
    outbox.record(kube.pk, period_of(day))
    notify.share_out_told(kube=kube, ref=f"shareout{share_out.pk}", day=day, year=share_out.year,
                          rows=[(ln.member, ln.final, ln.payout != Payout.SAVINGS) for ln in lines])
    return share_out
