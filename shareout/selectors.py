"""Reading share-outs: each member's basis for a year, the share-out as its pages and API show it,
a member's own share, the year's profit, and the notes the yearly LPJ prints."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from books.lpj import NoteSection, Period
from books.models import AccountRole, ActivityAttendance, ActivityKind, Line
from books.selectors import income_statement
from lib.money import rupiah
from lib.periods import period_bounds
from registry.models import Kube, Member
from shareout.compute import EQUAL, METHODS, SAVINGS, WORK, Basis, pct
from shareout.models import Method, ShareLine, ShareOut, ShareRule, Status, YearClose


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def month_ends(kube: Kube, year: int) -> list[date]:
    """The ends of the months of `year` the group existed in."""
    ends = [period_bounds(year * 100 + m)[1] for m in range(1, 13)]
    return [e for e in ends if e >= kube.formed_on]


def members_in_year(kube: Kube, year: int) -> list[Member]:
    start, end = year_bounds(year)
    return list(kube.members.filter(joined_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
                .order_by("joined_on", "id"))


def _member_at(member: Member, day: date) -> bool:
    return member.joined_on <= day and (member.left_on is None or member.left_on > day)


def bases(kube: Kube, year: int) -> list[Basis]:
    """Each member's basis for the year, from the registry (membership), the ledger (savings at each
    month's end) and the agenda book (days at the group's business activities)."""
    start, end = year_bounds(year)
    members = members_in_year(kube, year)
    ends = month_ends(kube, year)
    movements: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for member_id, day, debit, credit in (Line.objects.filter(kube=kube, account__role=AccountRole.SAVINGS,
                                                              member__isnull=False, date__lte=end)
                                          .values_list("member_id", "date", "debit", "credit")):
        movements[member_id].append((day, credit - debit))
    work = dict(ActivityAttendance.objects.filter(
        activity__kube=kube, activity__kind=ActivityKind.BUSINESS, activity__date__gte=start,
        activity__date__lte=end, present=True).values("member_id").annotate(n=Count("id"))
        .values_list("member_id", "n"))
    result = []
    for m in members:
        counted = [e for e in ends if _member_at(m, e)]
        mine = movements.get(m.pk, [])
        savings_months = sum(max(sum(v for d, v in mine if d <= e), 0) for e in counted)
        result.append(Basis(member_id=m.pk, name=m.name, months=len(counted), savings_months=savings_months,
                            work_days=work.get(m.pk, 0), left=m.left_on is not None and m.left_on <= end))
    return result


@dataclass(frozen=True)
class YearFigures:
    year: int
    profit_before_iks: int
    iks_set_aside: int

    @property
    def profit_after_iks(self) -> int:
        return self.profit_before_iks - self.iks_set_aside


def year_figures(kube: Kube, year: int) -> YearFigures:
    """The year's profit from the ledger, as the yearly LPJ reads it."""
    start, end = year_bounds(year)
    profit = income_statement(kube, start=start, end=end).profit
    iks = Line.objects.filter(kube=kube, account__role=AccountRole.IKS_ALLOCATION, date__gte=start,
                              date__lte=end).aggregate(d=Sum("debit"), c=Sum("credit"))
    return YearFigures(year, profit, (iks["d"] or 0) - (iks["c"] or 0))


def current_rule(kube: Kube, *, on: date | None = None) -> ShareRule | None:
    rules = kube.share_rules.select_related("rules").order_by("-version")
    if on is not None:
        rules = rules.filter(adopted_on__lte=on)
    return rules.first()


def year_close_of(kube: Kube, year: int) -> YearClose | None:
    return YearClose.objects.filter(kube=kube, year=year).first()


# --- the share-out as read ------------------------------------------------------------------

METHOD_LABELS = {EQUAL: Method.EQUAL.label, SAVINGS: Method.SAVINGS.label, WORK: Method.WORK.label}


@dataclass(frozen=True)
class LineView:
    line: ShareLine
    name: str
    parts: list[tuple[str, str]]  # method label, "pool × basis / total = amount" in words

    @property
    def exact(self) -> Fraction:
        return Fraction(self.line.exact)


@dataclass(frozen=True)
class ShareOutView:
    share_out: ShareOut
    rule: ShareRule
    lines: list[LineView]
    steps: list[str]  # the working from the profit to the members' pool, sentence by sentence

    @property
    def adjusted(self) -> list[LineView]:
        return [v for v in self.lines if v.line.adjustment]


def _basis_text(method: str, value: int) -> str:
    if method == SAVINGS:
        return _("simpanan × bulan %(v)s") % {"v": rupiah(value)}
    if method == WORK:
        return _("%(v)s hari kerja") % {"v": value}
    return _("%(v)s bulan keanggotaan") % {"v": value}


def _pool_totals(lines: list[ShareLine], rule: ShareRule) -> dict[str, tuple[int, bool]]:
    """Each method's total basis over the eligible members, and whether it fell back to months."""
    who = [ln for ln in lines if ln.eligible]
    totals: dict[str, tuple[int, bool]] = {}
    for method in METHODS:
        value = {EQUAL: sum(ln.months for ln in who), SAVINGS: sum(ln.savings_months for ln in who),
                 WORK: sum(ln.work_days for ln in who)}[method]
        totals[method] = (value, False) if value else (sum(ln.months for ln in who), True)
    return totals


def share_out_view(share_out: ShareOut) -> ShareOutView:
    """The share-out with its working, line by line, as page, PDF notes and API show it."""
    rule = share_out.rule
    lines = list(share_out.lines.select_related("member").order_by("id"))
    totals = _pool_totals(lines, rule)
    weights = rule.weights
    steps = [
        _("Laba setelah IKS tahun %(y)s: %(p)s.") % {"y": share_out.year, "p": rupiah(share_out.profit)},
        _("Bagian anggota %(m)s × %(p)s = %(a)s (dibulatkan ke bawah); bagian modal %(c)s = %(b)s.")
        % {"m": pct(rule.members_percent), "p": rupiah(share_out.profit), "a": rupiah(share_out.members_pool),
           "c": pct(rule.capital_percent), "b": rupiah(share_out.capital_base)},
    ]
    for method in METHODS:
        weight = weights[method]
        if not weight:
            continue
        total, fell_back = totals[method]
        pool = Fraction(share_out.members_pool) * Fraction(str(weight)) / 100
        steps.append(_("%(w)s dibagi %(how)s: %(pool)s untuk %(t)s.")
                     % {"w": pct(weight), "how": str(METHOD_LABELS[method]).lower(), "pool": rupiah(int(pool)),
                        "t": _basis_text(method, total)})
        if fell_back:
            steps.append(_("Tidak ada anggota yang mempunyai %(b)s, maka bagian ini dibagi menurut bulan keanggotaan.")
                         % {"b": str(METHOD_LABELS[method]).lower()})
    steps.append(_("Setiap bagian dibulatkan ke bawah ke rupiah penuh; sisa pembulatan %(r)s masuk modal, "
                   "sehingga modal %(c)s dan bagian anggota %(m)s berjumlah tepat %(p)s.")
                 % {"r": rupiah(share_out.remainder), "c": rupiah(share_out.capital_base + share_out.remainder),
                    "m": rupiah(share_out.members_pool - share_out.remainder), "p": rupiah(share_out.profit)})
    views = []
    for ln in lines:
        parts: list[tuple[str, str]] = []
        if ln.eligible:
            for method in METHODS:
                weight = weights[method]
                if not weight:
                    continue
                total, fell_back = totals[method]
                pool = Fraction(share_out.members_pool) * Fraction(str(weight)) / 100
                value = ln.months if fell_back else {EQUAL: ln.months, SAVINGS: ln.savings_months,
                                                     WORK: ln.work_days}[method]
                amount = pool * value / total if total else Fraction(0)
                parts.append((str(METHOD_LABELS[method]),
                              _("%(pool)s × %(v)s / %(t)s = %(a)s")
                              % {"pool": _number(pool), "v": _number(Fraction(value)), "t": _number(Fraction(total)),
                                 "a": _number(amount)}))
        views.append(LineView(ln, ln.member.name, parts))
    return ShareOutView(share_out, rule, views, steps)


def _number(value: Fraction) -> str:
    """A fraction as a reader writes it: whole Rupiah with thousands dots, and two decimals if any."""
    whole = int(value)
    rest = value - whole
    text = f"{whole:,}".replace(",", ".")
    if rest:
        text += "," + f"{int(rest * 100):02d}"
    return text


def share_outs_of(kube: Kube) -> list[ShareOut]:
    return list(kube.share_outs.select_related("rule", "transaction").order_by("-year"))


def my_shares(kube: Kube, member: Member) -> list[tuple[ShareOutView, LineView]]:
    """The member's line of every share-out of the group the meeting has decided (a proposal is not
    yet theirs)."""
    result = []
    for so in kube.share_outs.filter(status__in=[Status.DECIDED, Status.POSTED], lines__member=member) \
            .select_related("rule").order_by("-year"):
        view = share_out_view(so)
        mine = next(v for v in view.lines if v.line.member_id == member.pk)
        result.append((view, mine))
    return result


# --- the yearly LPJ's notes -------------------------------------------------------------------

def lpj_notes(kube: Kube, period: Period) -> list[NoteSection]:
    """g. Pembagian hasil usaha: the year's close and, once posted or decided, its share-out."""
    if period.kind != "year":
        return []
    sections: list[NoteSection] = []
    close = year_close_of(kube, period.year)
    share_out = ShareOut.objects.filter(kube=kube, year=period.year).select_related("rule").first()
    closing = [
        _("Tahun buku %(y)s ditutup pada %(d)s: laba sebelum IKS %(b)s, disisihkan untuk IKS %(i)s, laba setelah "
          "IKS %(a)s. Laba tidak dipindahkan dengan jurnal penutup: saldo laba dihitung dari akun pendapatan dan "
          "beban sejak buku dimulai.")
        % {"y": period.year, "d": date_format(close.closed_at, "j F Y"), "b": rupiah(close.profit_before_iks),
           "i": rupiah(close.iks_set_aside), "a": rupiah(close.profit_after_iks)}
    ] if close else [_("Tahun buku %(y)s belum ditutup.") % {"y": period.year}]
    if share_out is None or share_out.status == Status.PROPOSED:
        closing.append(_("Pembagian hasil usaha tahun ini belum diputuskan musyawarah anggota."))
        sections.append(NoteSection(_("g. Tutup buku tahunan dan pembagian hasil usaha"), closing))
        return sections
    view = share_out_view(share_out)
    rule = view.rule
    closing.append(
        _("Menurut Peraturan KUBE versi %(v)s (aturan pembagian versi %(s)s): %(c)s laba menjadi modal dan "
          "%(m)s dibagi kepada anggota.")
        % {"v": rule.rules.version, "s": rule.version, "c": pct(rule.capital_percent), "m": pct(rule.members_percent)})
    closing.append(
        _("Musyawarah anggota tanggal %(d)s (hadir %(p)s dari %(n)s anggota) memutuskan: %(t)s")
        % {"d": date_format(share_out.meeting_date, "j F Y") if share_out.meeting_date else "—",
           "p": share_out.present, "n": share_out.members_count, "t": share_out.decision})
    closing += view.steps
    closing.append(_("Jumlah dibagikan kepada anggota %(m)s; menjadi modal %(c)s; status: %(s)s.")
                   % {"m": rupiah(share_out.members_total), "c": rupiah(share_out.capital),
                      "s": share_out.get_status_display()})
    rows = [[v.name, rupiah(v.line.proposed), rupiah(v.line.adjustment) if v.line.adjustment else "—",
             rupiah(v.line.final)] for v in view.lines]
    sections.append(NoteSection(_("g. Tutup buku tahunan dan pembagian hasil usaha"), closing,
                                [_("Anggota"), _("Menurut aturan"), _("Penyesuaian"), _("Diterima")], rows))
    return sections
