"""A year of books for the demo groups, through the same services a treasurer uses.

Most groups keep their books every month: a grant at the start, stock bought and sold
each week, members' savings deposited at the cooperative, IKS set aside and used, a
monthly meeting with attendance, the month closed. Some stop writing after a few
months (the fading groups monitoring must catch); the stagnant and dissolved groups
stop when their status changed. Savings-and-loan groups lend to members, and one
borrower falls behind.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils.text import slugify

from accounts.models import User
from books.errors import BooksError
from books.models import TxnKind
from books.selectors import month_profit
from books.services import (
    MeetingSaving,
    cash_entry_record,
    cash_transfer,
    iks_allocate,
    iks_policy_set,
    iks_use,
    loan_disburse,
    loan_repay,
    meeting_savings_record,
    period_close,
)
from books.services.registers import activity_record, guest_record, inventory_add, rules_adopt, workplan_save
from demo.passwords import shared_hash
from demo.shareout import demo_share_out
from grants.services import grant_record, grant_spend, onward_transfer, plan_set
from lib.periods import month_bounds, months_from, period_of, split
from registry.models import Kube

YEAR_START = date(2025, 11, 1)
LAST_CLOSED = 202610  # the demo's "now" is November 2026: October is the last month to close

RULES = """1. Rapat anggota diadakan setiap awal bulan, minggu pertama.
2. Setiap anggota menabung paling sedikit Rp10.000 setiap bulan; tabungan disetorkan ke koperasi.
3. Laba bersih bulanan disisihkan 10 % untuk Iuran Kesetiakawanan Sosial (IKS): 5 % untuk anggota yang sakit
   dan 5 % untuk posyandu.
4. Bendahara melaporkan buku kas pada setiap rapat; pengurus memberikan laporan pertanggungjawaban tertulis
   setiap bulan.
5. Bantuan stimulan digulirkan kepada keluarga lain yang membutuhkan setelah usaha berkembang."""


def _months(start: date, through: int) -> list[tuple[int, int]]:
    return [split(p) for p in months_from(period_of(start), through)]


def _officer_account(kube: Kube, position: str, password: str) -> User:
    officer = kube.officers.filter(position=position, ended_on__isnull=True).select_related("member__user").first()
    assert officer is not None
    if officer.member.user is not None:
        return officer.member.user
    from registry.services import member_account_create

    username = f"{position}.{slugify(kube.name).replace('-', '')[:24]}"
    return member_account_create(actor=None, member=officer.member, username=username, password=password,
                                 validate=False, password_hash=shared_hash(password))


def _treasurer(kube: Kube, password: str) -> User:
    return _officer_account(kube, "bendahara", password)


def demo_books(kube: Kube, *, rng: random.Random, office: User, password: str, fades_after: int | None = None,
               lends: bool = False, late_borrower: bool = False, shares_out: bool = False) -> None:
    treasurer = _treasurer(kube, password)
    # The secretary keeps the agenda book in the groups that share the work; in the fading ones the
    # treasurer writes everything (the concentration monitoring looks for).
    secretary = _officer_account(kube, "sekretaris", password) if fades_after is None else treasurer
    start = max(YEAR_START, kube.formed_on + timedelta(days=30))
    members = list(kube.members.filter(left_on__isnull=True).order_by("id"))
    rules_adopt(actor=treasurer, kube=kube, text=RULES, adopted_on=kube.formed_on + timedelta(days=14),
                loan_fee_percent_month=Decimal(1) if lends else None)
    grant_amount = max(kube.programme.grant_per_member or 0, 1_500_000) * len(members)
    grant = grant_record(actor=office, kube=kube, name="Bantuan UEP KUBE" if kube.programme.code == "uep-2019"
                         else "Bantuan Langsung Pemberdayaan Sosial (BLPS)", source=rng.choice(["apbn", "apbd_kab"]),
                         decree_number=f"{rng.randint(100, 999)}/KEP/DINSOS/{start.year}", amount=grant_amount,
                         received_on=start, bank_name=rng.choice(["BRI", "BNI", "Bank BJB"]),
                         account_number=f"{rng.randint(1000, 9999)}-01-{rng.randint(100000, 999999)}-50-1",
                         account_name=kube.name)
    plan = plan_set(actor=office, grant=grant, lines=[
        ("Etalase dan timbangan", 1, "paket", 1_250_000, True),
        ("Modal stok barang", 1, "paket", grant_amount - 1_250_000 - 500_000, False),
        ("Cadangan perguliran", 1, "paket", 500_000, False),
    ])
    grant_spend(actor=treasurer, plan_line=plan[0], amount=1_250_000, description="Beli etalase dan timbangan",
                date=start + timedelta(days=2), location="Warung kelompok")
    cash_transfer(actor=treasurer, kube=kube, amount=grant_amount - 1_250_000 - 500_000, to_bank=False,
                  date=start + timedelta(days=3), description="Tarik tunai modal usaha dari rekening KUBE")
    iks_policy_set(actor=treasurer, kube=kube, funds=[("Anggota sakit", 5), ("Posyandu", 5)])
    guest_record(actor=treasurer, kube=kube, date=start + timedelta(days=5), name="Petugas Dinas Sosial",
                 institution="Dinas Sosial", purpose="Memantau penggunaan bantuan stimulan")
    workplan_save(actor=treasurer, kube=kube, activity="Menambah jenis dagangan", aim="Penjualan naik",
                  target="Omzet Rp5 juta per bulan", start_on=start, end_on=start + timedelta(days=120),
                  person=members[0], budget=1_000_000, budget_source="Laba usaha", percent_done=60,
                  status="berjalan")
    months = _months(start, LAST_CLOSED)
    if fades_after is not None:
        months = months[:fades_after]
    scale = rng.choice([0.7, 1.0, 1.3])
    borrower_late = None
    for index, (year, month) in enumerate(months):
        first, last = month_bounds(year, month)
        first = max(first, start + timedelta(days=4))
        attendance = rng.uniform(0.55, 0.95) if fades_after is None else max(0.2, 0.8 - 0.15 * index)
        present = [m for m in members if rng.random() < attendance] or members[:2]
        activity_record(actor=secretary, kube=kube, date=first + timedelta(days=rng.randint(0, 4)), kind="rapat",
                        place=rng.choice(["Rumah Ketua", "Balai RW", "Kantor Kelurahan"]),
                        agenda="Laporan keuangan bulan lalu; rencana belanja; simpanan anggota", present=present,
                        minutes="Laporan bendahara diterima anggota.")
        if shares_out and (year, month) == (2026, 1):
            demo_share_out(kube, treasurer=treasurer, day=first + timedelta(days=4))
        for week in range(4):
            day = min(first + timedelta(days=7 * week + 1), last)
            with contextlib.suppress(BooksError):
                cash_entry_record(actor=treasurer, kube=kube, kind=TxnKind.PURCHASE,
                                  amount=int(rng.randint(600, 900) * 1000 * scale), date=day,
                                  description="Belanja stok barang")
            cash_entry_record(actor=treasurer, kube=kube, kind=TxnKind.SALE,
                              amount=int(rng.randint(850, 1250) * 1000 * scale),
                              date=min(day + timedelta(days=3), last), description=f"Penjualan minggu ke-{week + 1}")
        cash_entry_record(actor=treasurer, kube=kube, kind=TxnKind.EXPENSE, amount=rng.randint(10, 25) * 10_000,
                          date=last - timedelta(days=2), description="Ongkos angkut dan listrik")
        # The meeting's savings from one sheet: one receipt for the deposits, one for the cooperative.
        meeting_savings_record(actor=treasurer, kube=kube, date=first + timedelta(days=5), lines=[
            MeetingSaving(member, deposit=rng.choice([10_000, 15_000, 20_000]), to_coop=10_000) for member in members])
        if lends and index in (1, 4):
            borrower = members[3 + index % 3]
            loan = loan_disburse(actor=treasurer, kube=kube, member=borrower, amount=500_000, term_months=5,
                                 date=first + timedelta(days=8), purpose="Modal jualan keliling")
            if index == 4 and late_borrower:
                borrower_late = loan
        if lends:
            for loan in kube.loans.all():
                if loan == borrower_late and index > 5:
                    continue  # this borrower stopped paying
                due = loan.disbursed_on
                if due < first and loan.status == "active":
                    with contextlib.suppress(BooksError):
                        loan_repay(actor=treasurer, loan=loan, amount=105_000, date=last - timedelta(days=5))
        if month_profit(kube, year * 100 + month) > 0 and year * 100 + month <= LAST_CLOSED:
            iks_allocate(actor=treasurer, kube=kube, period=year * 100 + month)
            fund = kube.iks_funds.order_by("id")[rng.randint(0, 1)]
            if rng.random() < 0.3:
                with contextlib.suppress(BooksError):
                    iks_use(actor=treasurer, kube=kube, fund=fund, amount=rng.choice([25_000, 40_000, 50_000]),
                            date=last, description="Bantuan untuk anggota yang sakit" if fund and fund.name ==
                            "Anggota sakit" else "Makanan tambahan balita posyandu")
        if fades_after is None or index < len(months) - 1:
            period_close(actor=treasurer, kube=kube, period=year * 100 + month)
    if fades_after is None and len(months) > 8:
        onward_transfer(actor=treasurer, grant=grant, recipient_kind="keluarga",
                        recipients=[("Ibu Entin Sumarni", "", 250_000), ("Bapak Oman Rohmat", "", 250_000)],
                        date=date(2026, 11, 5), note="Perguliran kepada keluarga miskin di RW yang sama")
    inventory_add(actor=treasurer, kube=kube, name="Termos es", quantity=2, unit="buah", acquired_on=start,
                  source="own", value=150_000)


def _sharer(kubes: list[Kube]) -> Kube | None:
    """The group that shares out its first book year: KUBE Maju Sejahtera 11 when its books began in
    2025, else the first active group whose books did."""
    def began_in_2025(kube: Kube) -> bool:
        return kube.status == "aktif" and max(YEAR_START, kube.formed_on + timedelta(days=30)) < date(2026, 1, 1)

    main = [k for k in kubes if k.name == "KUBE Maju Sejahtera 11" and began_in_2025(k)]
    return next(iter(main or [k for k in kubes if began_in_2025(k)]), None)


def demo_all_books(kubes: list[Kube], *, password: str, offices: dict[str, User], rng: random.Random) -> None:
    sharer = _sharer(kubes)
    for n, kube in enumerate(kubes):
        kube.refresh_from_db()
        if kube.status == "bubar":
            continue
        fades = None
        if kube.status == "stagnan" or n % 9 == 4:
            fades = rng.randint(2, 5)  # stopped writing after a few months
        office = offices[kube.desa_id[:5]]
        demo_books(kube, rng=rng, office=office, password=password, fades_after=fades,
                   lends=kube.business_type == "simpan_pinjam" or n % 7 == 0, late_borrower=n % 3 == 0,
                   shares_out=kube == sharer and fades is None)
