"""The accountability report (LPJ) the officers give members: monthly, quarterly or yearly.

Every figure is read from the ledger and the registers for the period; the page, the PDF
and the API all render this one structure. It follows SAK EMKM (the accounting standard for
micro entities): a cash summary per account (cash box, bank, cooperative) in which moving money
between them is a transfer, a laba rugi that ends with the profit after the IKS set-aside, a
laporan posisi keuangan whose every figure is shown as a positive amount with words that say
whether it adds or takes away, and for the year the notes (catatan atas laporan keuangan).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from books.errors import BooksError
from books.models import AccountRole, AccountType, Activity, InventoryEvent, InventoryItem, Line, PeriodClose
from books.selectors import (
    BalanceSheet,
    CashBook,
    IncomeStatement,
    MoneySummary,
    Portfolio,
    balance_sheet,
    cash_book,
    iks_funds,
    income_statement,
    money_summary,
    portfolio,
    reversed_ids,
    savings,
)
from lib.money import in_words, percent
from lib.periods import period_bounds
from registry.models import Kube
from registry.selectors import current_officers

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year
    year: int
    number: int  # month 1-12, quarter 1-4, or 0 for a year

    @property
    def months(self) -> list[int]:
        if self.kind == "month":
            return [self.year * 100 + self.number]
        if self.kind == "quarter":
            first = (self.number - 1) * 3 + 1
            return [self.year * 100 + m for m in range(first, first + 3)]
        return [self.year * 100 + m for m in range(1, 13)]

    @property
    def start(self) -> date:
        first = self.months[0]
        return period_bounds(first)[0]

    @property
    def end(self) -> date:
        last = self.months[-1]
        return period_bounds(last)[1]

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Bulan %(m)s") % {"m": date_format(self.start, "F Y")}
        if self.kind == "quarter":
            return _("Triwulan %(q)s tahun %(y)s") % {"q": ["I", "II", "III", "IV"][self.number - 1], "y": self.year}
        return _("Tahun %(y)s") % {"y": self.year}


def parse_period(text: str) -> Period:
    """"2026-03" (a month), "2026-Q1" (a quarter) or "2026" (a year)."""
    match = _PERIOD.match((text or "").strip())
    if not match:
        raise BooksError(_("Periode ditulis 2026-03 (bulan), 2026-Q1 (triwulan) atau 2026 (tahun)."),
                         field="period", code="bad_period")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise BooksError(_("Tahun periode tidak masuk akal."), field="period", code="bad_period")
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise BooksError(_("Bulan harus 01 sampai 12."), field="period", code="bad_period")
        return Period("month", year, month)
    if match.group(3):
        return Period("quarter", year, int(match.group(3)))
    return Period("year", year, 0)


@dataclass
class ActivityRow:
    activity: Activity
    present: int
    recorded: int


# One sentence under each section, for a member who finished primary school.
EXPLAIN: dict[str, Promise] = {
    "cash": gettext_lazy(
        "Uang kelompok ada di tiga tempat: kas tunai (di tangan bendahara), rekening bank, dan simpanan di "
        "koperasi. Saldo akhir = saldo awal + penerimaan − pengeluaran; uang yang hanya dipindah dari satu "
        "tempat ke tempat lain (misalnya tarik tunai dari bank) bukan penerimaan dan bukan pengeluaran."),
    "income": gettext_lazy(
        "Laba rugi membandingkan pendapatan usaha dengan biayanya pada periode ini; sebagian laba disisihkan "
        "untuk dana IKS, dan sisanya (laba setelah IKS) menambah modal kelompok."),
    "balance": gettext_lazy(
        "Neraca adalah daftar semua milik kelompok (harta) pada akhir periode dan asal-usulnya: uang anggota dan "
        "dana IKS yang dititipkan (kewajiban) serta modal kelompok; jumlah kedua sisi selalu sama."),
    "iks": gettext_lazy(
        "Dana IKS (Iuran Kesetiakawanan Sosial) adalah bagian laba yang disisihkan untuk menolong sesama, misalnya "
        "anggota yang sakit; saldonya adalah uang yang masih tersedia untuk itu."),
    "savings": gettext_lazy(
        "Simpanan adalah uang milik anggota yang dititipkan kepada kelompok. PAR 30 adalah bagian sisa pinjaman "
        "yang angsurannya terlambat lebih dari 30 hari: makin kecil makin baik, 0 % berarti semua membayar tepat "
        "waktu."),
    "activities": gettext_lazy(
        "Kegiatan kelompok pada periode ini dan berapa anggota yang hadir dari yang tercatat."),
    "inventory": gettext_lazy(
        "Inventaris adalah barang milik kelompok; di sini barang yang baru dibeli atau diterima, dan yang berubah "
        "keadaannya."),
    "annex": gettext_lazy(
        "Setiap catatan uang masuk dan keluar pada periode ini. Kolom saldo adalah sisa uang di akun baris itu "
        "(tunai, bank, atau koperasi); saldo akhir tiap akun sama dengan ringkasan kas."),
    "notes": gettext_lazy(
        "Catatan ini menjelaskan dari mana angka-angka laporan berasal dan aturan yang dipakai, seperti diminta "
        "SAK EMKM (standar akuntansi untuk usaha mikro)."),
}


@dataclass(frozen=True)
class Row:
    """One line of a statement. `amount` is never negative: a line that takes away is a "less"
    line whose label says so, instead of a bare minus sign a member would have to guess at."""

    label: str
    amount: int
    kind: str = "item"  # item | less | subtotal | total
    key: str = ""       # a stable name for the lines that pages and tests look up

    @property
    def value(self) -> int:
        """What the line adds to its block's sum."""
        return -self.amount if self.kind == "less" else self.amount


def _item(name: str, value: int) -> Row:
    if value < 0:
        return Row(_("Dikurangi: %(a)s (koreksi)") % {"a": name}, -value, "less")
    return Row(name, value)


def _result(positive: str, negative: str, value: int, kind: str = "subtotal", key: str = "") -> Row:
    """A result that can go either way: "Laba …" or "Rugi …", with the amount always positive."""
    return Row(positive if value >= 0 else negative, abs(value), kind, key)


@dataclass
class Block:
    """A section of a statement: its lines and the line that sums them."""

    title: str
    rows: list[Row]
    total: Row


@dataclass
class Neraca:
    """The laporan posisi keuangan as a reader sees it, built from the ledger's balances."""

    day: date
    assets: Block
    liabilities: Block
    equity: Block
    grant_received: int
    grant_passed_on: int
    profit_to_date: int
    iks_set_aside_to_date: int
    distributed_to_date: int = 0  # profit shared out to members (taken out of Saldo laba)

    @property
    def grant_held(self) -> int:
        return self.grant_received - self.grant_passed_on

    @property
    def retained(self) -> int:
        return self.profit_to_date - self.distributed_to_date - self.iks_set_aside_to_date

    @property
    def total_assets(self) -> int:
        return sum(r.value for r in self.assets.rows)

    @property
    def total_liabilities(self) -> int:
        return sum(r.value for r in self.liabilities.rows)

    @property
    def total_equity(self) -> int:
        return sum(r.value for r in self.equity.rows if r.kind in ("item", "less"))

    @property
    def total_liabilities_equity(self) -> int:
        return self.total_liabilities + self.total_equity


def neraca_build(balance: BalanceSheet) -> Neraca:
    by_role: dict[str, int] = {}
    assets: list[Row] = []
    liabilities: list[Row] = []
    others: list[Row] = []
    for account in balance.accounts:
        if account.role:
            by_role[account.role] = by_role.get(account.role, 0) + account.value
        if account.type == AccountType.ASSET:
            assets.append(_item(account.name, account.value))
        elif account.type == AccountType.LIABILITY:
            liabilities.append(_item(account.name, account.value))
        elif account.role not in (AccountRole.GRANT_CAPITAL, AccountRole.ONWARD, AccountRole.RETAINED,
                                  AccountRole.IKS_ALLOCATION):
            others.append(_item(account.name, account.value))
    received = by_role.get(AccountRole.GRANT_CAPITAL, 0)
    passed_on = -by_role.get(AccountRole.ONWARD, 0)  # a contra-capital account: its balance is a debit
    # Profit is never closed into Saldo laba (it is derived from the income and expense accounts);
    # what Saldo laba holds below zero is profit shared out to members (shareout), shown as its own line.
    retained_account = by_role.get(AccountRole.RETAINED, 0)
    profit = max(retained_account, 0) + balance.profit_to_date
    distributed = max(-retained_account, 0)
    set_aside = -by_role.get(AccountRole.IKS_ALLOCATION, 0)
    equity: list[Row] = []
    if received or passed_on:
        equity.append(Row(_("Modal bantuan stimulan yang diterima"), received))
        if passed_on:
            equity.append(Row(_("Dikurangi: bantuan yang sudah digulirkan kepada penerima lain"), passed_on, "less"))
        equity.append(_result(_("Modal bantuan yang masih dikelola kelompok"),
                              _("Bantuan yang digulirkan melebihi yang diterima"), received - passed_on))
    equity += others
    if profit >= 0:
        equity.append(Row(_("Laba sejak buku dimulai sampai tanggal ini"), profit))
    else:
        equity.append(Row(_("Dikurangi: rugi sejak buku dimulai sampai tanggal ini"), -profit, "less"))
    if distributed:
        equity.append(Row(_("Dikurangi: laba yang sudah dibagikan kepada anggota"), distributed, "less"))
    if set_aside or distributed:
        if set_aside > 0:
            equity.append(Row(_("Dikurangi: laba yang disisihkan untuk dana IKS"), set_aside, "less"))
        else:
            equity.append(Row(_("Ditambah: penyisihan IKS yang dibatalkan"), -set_aside))
        equity.append(_result(_("Sisa laba yang menjadi modal kelompok"), _("Sisa rugi yang mengurangi modal"),
                              profit - distributed - set_aside))
    neraca = Neraca(
        day=balance.day,
        assets=Block(_("Harta"), assets, Row(_("Jumlah harta"), 0, "total")),
        liabilities=Block(_("Kewajiban"), liabilities, Row(_("Jumlah kewajiban"), 0, "subtotal")),
        equity=Block(_("Modal"), equity, Row(_("Jumlah modal"), 0, "subtotal")),
        grant_received=received, grant_passed_on=passed_on, profit_to_date=profit, iks_set_aside_to_date=set_aside,
        distributed_to_date=distributed)
    neraca.assets.total = _result(_("Jumlah harta"), _("Jumlah harta (kurang dari nol)"), neraca.total_assets, "total")
    neraca.liabilities.total = Row(_("Jumlah kewajiban"), neraca.total_liabilities, "subtotal")
    neraca.equity.total = _result(_("Jumlah modal"), _("Jumlah modal (kurang dari nol)"), neraca.total_equity)
    return neraca


@dataclass
class GrantNote:
    name: str
    source: str
    decree_number: str
    received_on: date
    amount: int
    spent: int       # realised against its plan (RAB)
    passed_on: int   # given on to other families or a new group


@dataclass(frozen=True)
class NoteSection:
    """A further note of the yearly LPJ that an app above books adds (the share-out): a title,
    sentences, and a table (header, rows of text) or none."""

    title: str
    paragraphs: list[str]
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


NoteProvider = Callable[[Kube, "Period"], list[NoteSection]]
_NOTE_PROVIDERS: list[NoteProvider] = []


def notes_register(provider: NoteProvider) -> None:
    """Apps above books add their notes to the yearly LPJ (called from their AppConfig.ready)."""
    if provider not in _NOTE_PROVIDERS:
        _NOTE_PROVIDERS.append(provider)


@dataclass
class Notes:
    """Catatan atas laporan keuangan (SAK EMKM), for the yearly LPJ."""

    group: list[tuple[str, str]]
    basis: list[str]
    grants: list[GrantNote]
    iks_rules: list[tuple[str, Decimal, bool]]
    loans: list[tuple[str, date, int, int, int]]  # number, disbursed, amount, outstanding, days late
    savers: int
    savings_total: int
    savings_at_coop: int
    more: list[NoteSection] = field(default_factory=list)  # from the apps registered (notes_register)


@dataclass
class Lpj:
    kube: Kube
    period: Period
    closed: bool
    money: MoneySummary
    statement: IncomeStatement
    iks_set_aside: int  # profit set aside for the IKS funds in the period
    balance: BalanceSheet
    neraca: Neraca
    iks: list[tuple[str, int, int, int]]  # fund, allocated in period, used in period, balance at end
    savings: list[tuple[str, int, int]]   # member, saved balance at end, at the cooperative
    savings_total: int
    loans: Portfolio
    activities: list[ActivityRow]
    acquired: list[InventoryItem]
    inventory_events: list[InventoryEvent]
    signers: list[tuple[str, str]]
    annex: CashBook | None = None
    notes: Notes | None = None
    explain: dict[str, Promise] = field(default_factory=lambda: EXPLAIN)

    # The totals over the three money accounts; transfers between them are in neither in nor out.
    @property
    def cash_opening(self) -> int:
        return self.money.opening

    @property
    def cash_in(self) -> int:
        return self.money.money_in

    @property
    def cash_out(self) -> int:
        return self.money.money_out

    @property
    def cash_closing(self) -> int:
        return self.money.closing

    @property
    def cash_by_kind(self) -> list[tuple[str, int, int]]:
        return self.money.by_kind

    @property
    def closing_words(self) -> str:
        return in_words(self.money.closing) if self.money.closing else _("Nol rupiah")

    @property
    def profit_before_iks(self) -> int:
        return self.statement.profit

    @property
    def profit_after_iks(self) -> int:
        return self.statement.profit - self.iks_set_aside

    @property
    def income_rows(self) -> list[Row]:
        """The laba rugi from income down to the profit after IKS."""
        st = self.statement
        rows = [_item(n, v) for n, v in st.income]
        rows.append(Row(_("Jumlah pendapatan"), st.total_income, "subtotal") if st.total_income >= 0
                    else Row(_("Jumlah pendapatan (koreksi melebihi pendapatan)"), -st.total_income, "less"))
        rows += [_item(n, v) for n, v in st.expenses]
        rows.append(Row(_("Jumlah beban"), st.total_expenses, "subtotal") if st.total_expenses >= 0
                    else Row(_("Jumlah beban (koreksi melebihi beban)"), -st.total_expenses, "less"))
        rows.append(_result(_("Laba sebelum IKS"), _("Rugi sebelum IKS"), self.profit_before_iks, key="profit"))
        if self.iks_set_aside >= 0:
            rows.append(Row(_("Dikurangi: penyisihan laba untuk dana IKS"), self.iks_set_aside, "less"))
        else:
            rows.append(Row(_("Ditambah: penyisihan IKS yang dibatalkan"), -self.iks_set_aside))
        rows.append(_result(_("Laba setelah IKS"), _("Rugi setelah IKS"), self.profit_after_iks, "total",
                            key="profit-after"))
        return rows

    @property
    def par30_text(self) -> str:
        return percent(self.loans.par30)

    @property
    def attendance_rate(self) -> int | None:
        recorded = sum(a.recorded for a in self.activities)
        return round(100 * sum(a.present for a in self.activities) / recorded) if recorded else None


def _iks_set_aside(kube: Kube, start: date, end: date) -> int:
    total = Line.objects.filter(kube=kube, account__role=AccountRole.IKS_ALLOCATION, date__gte=start,
                                date__lte=end).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (total["d"] or 0) - (total["c"] or 0)


def notes_build(kube: Kube, *, end: date, loans: Portfolio, saving_total: int, saving_coop: int,
                savers: int) -> Notes:
    from grants.models import Grant

    programme = kube.programme
    rules = kube.rule_versions.filter(adopted_on__lte=end).order_by("-version").first()
    address = ", ".join(x for x in [kube.address, f"RT {kube.rt}" if kube.rt else "", f"RW {kube.rw}" if kube.rw
                                    else "", kube.desa.path] if x)
    legal = programme.name + (f" ({programme.legal_basis})" if programme.legal_basis else "")
    if rules is not None:
        legal += "; " + _("Peraturan KUBE versi %(v)s, disahkan musyawarah %(d)s") % {
            "v": rules.version, "d": date_format(rules.adopted_on, "j F Y")}
    group = [
        (_("Nama"), f"{kube.name} ({kube.reg_number})"),
        (_("Alamat"), address),
        (_("Dasar hukum"), legal),
        (_("Dibentuk"), date_format(kube.formed_on, "j F Y")),
        (_("Usaha"), kube.get_business_type_display() + (f": {kube.business_description}"
                                                         if kube.business_description else "")),
    ]
    basis = [
        _("Laporan keuangan disusun menurut SAK EMKM (Standar Akuntansi Keuangan Entitas Mikro, Kecil, dan "
          "Menengah), dengan dasar akrual dan biaya historis: setiap harta dicatat sebesar uang yang dibayar "
          "atau nilai yang diterima pada tanggal transaksi, tanpa penilaian kembali."),
        _("Mata uang pelaporan adalah Rupiah, dalam rupiah penuh tanpa sen. Pendapatan jasa pinjaman diakui "
          "pada saat angsuran diterima."),
        _("Pencatatan memakai pembukuan berpasangan; catatan yang salah tidak dihapus tetapi dibetulkan dengan "
          "transaksi pembalikan."),
        _("Bantuan stimulan dicatat sebagai modal kelompok, bukan pendapatan; bagian yang digulirkan kepada "
          "penerima lain mengurangi modal bantuan itu."),
    ]
    undone = reversed_ids(kube)
    grants = []
    for grant in Grant.objects.filter(kube=kube, received_on__lte=end).order_by("received_on", "id"):
        spent = sum(t.amount for t in kube.transactions.filter(grant_spend__plan_line__grant=grant, date__lte=end)
                    if t.pk not in undone)
        onward = sum(t.amount for t in kube.transactions.filter(onward__grant=grant, date__lte=end)
                     if t.pk not in undone)
        grants.append(GrantNote(grant.name, grant.get_source_display(), grant.decree_number, grant.received_on,
                                grant.amount, spent, onward))
    return Notes(
        group=group, basis=basis, grants=grants,
        iks_rules=[(f.name, f.share_percent, f.is_active) for f in kube.iks_funds.order_by("id")],
        loans=[(s.loan.number, s.loan.disbursed_on, s.loan.amount, s.outstanding, s.days_late)
               for s in loans.states if s.outstanding],
        savers=savers, savings_total=saving_total, savings_at_coop=saving_coop)


def lpj_build(kube: Kube, period: Period) -> Lpj:
    start, end = period.start, period.end
    closed_months = set(PeriodClose.objects.filter(kube=kube, period__in=period.months)
                        .values_list("period", flat=True))
    funds_period = {f.fund.pk: f for f in iks_funds(kube, since=start, until=end)}
    funds_end = iks_funds(kube, until=end)
    iks = [(row.fund.name, funds_period[row.fund.pk].allocated, funds_period[row.fund.pk].used, row.balance)
           for row in funds_end if row.allocated or row.used]
    saving_rows = savings(kube, until=end)
    activities = (Activity.objects.filter(kube=kube, date__gte=start, date__lte=end)
                  .annotate(present=Count("attendance", filter=Q(attendance__present=True)),
                            recorded=Count("attendance")).order_by("date", "id"))
    officers = {o.position: o.member.name for o in current_officers(kube)}
    balance = balance_sheet(kube, day=end)
    loans = portfolio(kube, on=end)
    savings_total = sum(r.balance for r in saving_rows)
    notes = None
    if period.kind == "year":
        notes = notes_build(kube, end=end, loans=loans, saving_total=savings_total,
                            saving_coop=sum(r.at_coop for r in saving_rows),
                            savers=sum(1 for r in saving_rows if r.balance))
        notes.more = [section for provider in _NOTE_PROVIDERS for section in provider(kube, period)]
    return Lpj(
        kube=kube, period=period, closed=len(closed_months) == len(period.months),
        money=money_summary(kube, start=start, end=end),
        statement=income_statement(kube, start=start, end=end),
        iks_set_aside=_iks_set_aside(kube, start, end),
        balance=balance, neraca=neraca_build(balance),
        iks=iks,
        savings=[(r.member.name, r.balance, r.at_coop) for r in saving_rows if r.balance or r.at_coop],
        savings_total=savings_total,
        loans=loans,
        activities=[ActivityRow(a, a.present, a.recorded) for a in activities],  # type: ignore[attr-defined]
        acquired=list(InventoryItem.objects.filter(kube=kube, acquired_on__gte=start, acquired_on__lte=end)),
        inventory_events=list(InventoryEvent.objects.filter(item__kube=kube, date__gte=start, date__lte=end)
                              .select_related("item")),
        signers=[(_("Ketua"), officers.get("ketua", "")), (_("Sekretaris"), officers.get("sekretaris", "")),
                 (_("Bendahara"), officers.get("bendahara", ""))],
        # The cash book of a month or a quarter goes with it as an annex (a year's is too long to print).
        annex=cash_book(kube, start=start, end=end) if period.kind != "year" else None,
        notes=notes,
    )


def _rows(rows: list[Row]) -> list[dict[str, object]]:
    return [{"label": r.label, "amount": r.amount, "kind": r.kind} for r in rows]


def _block(block: Block) -> dict[str, object]:
    return {"title": block.title, "rows": _rows(block.rows),
            "total": {"label": block.total.label, "amount": block.total.amount, "kind": block.total.kind}}


def lpj_figures(lpj: Lpj) -> dict[str, object]:
    """The LPJ as plain data (the API's JSON). Amounts are signed integers where they are account
    balances (`assets`, `liabilities`, `equity`); the `rows` and `sections` are what the page prints,
    every amount positive with its `kind` (item, less, subtotal, total) saying how it counts."""
    money, nr = lpj.money, lpj.neraca
    notes = lpj.notes
    return {
        "period": lpj.period.code, "label": lpj.period.label, "closed": lpj.closed,
        "start": lpj.period.start.isoformat(), "end": lpj.period.end.isoformat(),
        "cash": {"opening": money.opening, "in": money.money_in, "out": money.money_out,
                 "transfers": money.transfers, "closing": money.closing, "closing_in_words": lpj.closing_words,
                 "accounts": [{"account": a.role, "name": a.label, "opening": a.opening, "in": a.money_in,
                               "out": a.money_out, "transfer_in": a.transfer_in, "transfer_out": a.transfer_out,
                               "closing": a.closing} for a in money.accounts],
                 "by_kind": [{"kind": k, "in": i, "out": o} for k, i, o in money.by_kind]},
        "income_statement": {
            "income": [{"account": n, "amount": v} for n, v in lpj.statement.income],
            "expenses": [{"account": n, "amount": v} for n, v in lpj.statement.expenses],
            "total_income": lpj.statement.total_income, "total_expenses": lpj.statement.total_expenses,
            "profit": lpj.statement.profit,
            "profit_before_iks": lpj.profit_before_iks, "iks_set_aside": lpj.iks_set_aside,
            "profit_after_iks": lpj.profit_after_iks,
            "rows": _rows(lpj.income_rows),
        },
        "balance_sheet": {
            "date": lpj.balance.day.isoformat(),
            "assets": [{"account": n, "amount": v} for n, v in lpj.balance.assets],
            "liabilities": [{"account": n, "amount": v} for n, v in lpj.balance.liabilities],
            "equity": [{"account": n, "amount": v} for n, v in lpj.balance.equity],
            "total_assets": nr.total_assets, "total_liabilities": nr.total_liabilities,
            "total_equity": nr.total_equity, "total_liabilities_equity": nr.total_liabilities_equity,
            "grant_capital": {"received": nr.grant_received, "passed_on": nr.grant_passed_on,
                              "held": nr.grant_held},
            "retained": {"profit_to_date": nr.profit_to_date, "iks_set_aside": nr.iks_set_aside_to_date,
                         "distributed": nr.distributed_to_date, "retained": nr.retained},
            "sections": [_block(nr.assets), _block(nr.liabilities), _block(nr.equity)],
        },
        "iks": [{"fund": f, "allocated": a, "used": u, "balance": b} for f, a, u, b in lpj.iks],
        "savings": {"total": lpj.savings_total,
                    "members": [{"member": n, "balance": b, "at_coop": c} for n, b, c in lpj.savings]},
        "loans": {"outstanding": lpj.loans.outstanding, "at_risk_30": lpj.loans.at_risk_30,
                  "par30_percent": str(lpj.loans.par30), "count": len(lpj.loans.states)},
        "activities": [{"date": a.activity.date.isoformat(), "kind": a.activity.kind, "place": a.activity.place,
                        "present": a.present, "recorded": a.recorded} for a in lpj.activities],
        "attendance_percent": lpj.attendance_rate,
        "inventory": {"acquired": [{"code": i.code, "name": i.name, "value": i.value, "source": i.source}
                                   for i in lpj.acquired],
                      "changes": [{"code": e.item.code, "date": e.date.isoformat(), "condition": e.condition,
                                   "disposed": e.disposed, "note": e.note} for e in lpj.inventory_events]},
        "signers": [{"role": r, "name": n} for r, n in lpj.signers],
        "explanations": {k: str(v) for k, v in lpj.explain.items()},
        "notes": None if notes is None else {
            "group": [{"label": k, "value": v} for k, v in notes.group],
            "basis": notes.basis,
            "grants": [{"name": g.name, "source": g.source, "decree_number": g.decree_number,
                        "received_on": g.received_on.isoformat(), "amount": g.amount, "spent": g.spent,
                        "passed_on": g.passed_on} for g in notes.grants],
            "iks_rules": [{"fund": n, "share_percent": str(s), "active": a} for n, s, a in notes.iks_rules],
            "loans": [{"number": n, "disbursed_on": d.isoformat(), "amount": a, "outstanding": o, "days_late": late}
                      for n, d, a, o, late in notes.loans],
            "savings": {"savers": notes.savers, "total": notes.savings_total, "at_coop": notes.savings_at_coop},
            "more": [{"title": m.title, "paragraphs": m.paragraphs, "header": m.header, "rows": m.rows}
                     for m in notes.more],
        },
    }
