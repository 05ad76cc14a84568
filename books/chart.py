"""The default chart of accounts for a KUBE. An administrator may add accounts (without a role)."""

from __future__ import annotations

from books.models.ledger import Account, AccountRole, AccountType

DEFAULT_CHART: list[tuple[str, str, str, str | None]] = [
    ("1101", "Kas tunai", AccountType.ASSET, AccountRole.CASH),
    ("1102", "Bank (rekening KUBE)", AccountType.ASSET, AccountRole.BANK),
    ("1103", "Simpanan anggota di koperasi", AccountType.ASSET, AccountRole.COOP),
    ("1201", "Piutang pinjaman anggota", AccountType.ASSET, AccountRole.LOANS),
    ("1301", "Persediaan barang", AccountType.ASSET, AccountRole.STOCK),
    ("1401", "Peralatan dan aset usaha", AccountType.ASSET, AccountRole.EQUIPMENT),
    ("2101", "Simpanan anggota", AccountType.LIABILITY, AccountRole.SAVINGS),
    ("2201", "Dana Iuran Kesetiakawanan Sosial (IKS)", AccountType.LIABILITY, AccountRole.IKS),
    ("3101", "Modal bantuan stimulan", AccountType.EQUITY, AccountRole.GRANT_CAPITAL),
    ("3102", "Modal sendiri (setoran anggota)", AccountType.EQUITY, AccountRole.OWN_CAPITAL),
    ("3103", "Perguliran bantuan", AccountType.EQUITY, AccountRole.ONWARD),
    ("3201", "Saldo laba", AccountType.EQUITY, AccountRole.RETAINED),
    ("3202", "Penyisihan laba untuk IKS", AccountType.EQUITY, AccountRole.IKS_ALLOCATION),
    ("4101", "Penjualan dan pendapatan usaha", AccountType.INCOME, AccountRole.SALES),
    ("4102", "Pendapatan jasa pinjaman", AccountType.INCOME, AccountRole.FEE_INCOME),
    ("4103", "Pendapatan lain-lain", AccountType.INCOME, AccountRole.OTHER_INCOME),
    ("5101", "Belanja barang dagangan/bahan", AccountType.EXPENSE, AccountRole.PURCHASES),
    ("5102", "Biaya operasional", AccountType.EXPENSE, AccountRole.OPERATING),
    ("5103", "Biaya lain-lain", AccountType.EXPENSE, AccountRole.OTHER_EXPENSE),
]


def ensure_chart() -> None:
    """Create the default accounts that are missing (idempotent; a data migration calls it)."""
    existing = set(Account.objects.values_list("code", flat=True))
    Account.objects.bulk_create([
        Account(code=code, name=name, type=type_, role=role)
        for code, name, type_, role in DEFAULT_CHART if code not in existing
    ])
