from django.urls import path

from books.views import cash, closing, funds, registers

app_name = "books"

kube = "<int:kube_id>/buku/"

urlpatterns = [
    path("buku/akun/", cash.chart, name="chart"),
    path("buku/terbilang/", cash.words, name="words"),
    path(kube, cash.books_home, name="home"),
    path(kube + "catat/pindah/", cash.transfer, name="transfer"),
    path(kube + "catat/<str:kind>/", cash.entry, name="entry"),
    path(kube + "kas/", cash.cash_book_view, name="cash_book"),
    path(kube + "kas.xlsx", cash.cash_book_xlsx, name="cash_book_xlsx"),
    path(kube + "transaksi/<int:txn_id>/", cash.transaction_detail, name="transaction"),
    path(kube + "iks/", funds.iks, name="iks"),
    path(kube + "iks/aturan/", funds.iks_policy, name="iks_policy"),
    path(kube + "iks/sisihkan/", funds.iks_allocate_view, name="iks_allocate"),
    path(kube + "iks/pakai/", funds.iks_use_view, name="iks_use"),
    path(kube + "iks.xlsx", funds.iks_xlsx, name="iks_xlsx"),
    path(kube + "simpanan/", funds.savings_view, name="savings"),
    path(kube + "simpanan/rapat/", funds.meeting_savings, name="meeting_savings"),
    path(kube + "simpanan/rapat/total/", funds.meeting_savings_total, name="meeting_savings_total"),
    path(kube + "simpanan.xlsx", funds.savings_xlsx, name="savings_xlsx"),
    path(kube + "pinjaman/", funds.loans, name="loans"),
    path(kube + "pinjaman/baru/", funds.loan_new, name="loan_new"),
    path(kube + "pinjaman/<int:loan_id>/", funds.loan_detail, name="loan"),
    path(kube + "pinjaman.xlsx", funds.loans_xlsx, name="loans_xlsx"),
    path(kube + "saya/", funds.my_account, name="mine"),
    path(kube + "tutup/", closing.close, name="close"),
    path(kube + "lpj/<str:period>/", closing.lpj, name="lpj"),
    path(kube + "lpj/<str:period>/pdf/", closing.lpj_pdf, name="lpj_pdf"),
    path(kube + "inventaris/", registers.inventory, name="inventory"),
    path(kube + "inventaris/baru/", registers.inventory_new, name="inventory_new"),
    path(kube + "inventaris/<int:item_id>/", registers.inventory_item, name="inventory_item"),
    path(kube + "inventaris.xlsx", registers.inventory_xlsx, name="inventory_xlsx"),
    path(kube + "tamu/", registers.guests, name="guests"),
    path(kube + "tamu.xlsx", registers.guests_xlsx, name="guests_xlsx"),
    path(kube + "agenda/", registers.agenda, name="agenda"),
    path(kube + "agenda/baru/", registers.activity_new, name="activity_new"),
    path(kube + "agenda/<int:activity_id>/", registers.activity, name="activity"),
    path(kube + "agenda.xlsx", registers.agenda_xlsx, name="agenda_xlsx"),
    path(kube + "rencana/", registers.workplan, name="workplan"),
    path(kube + "rencana/baru/", registers.workplan_edit, name="workplan_new"),
    path(kube + "rencana/<int:item_id>/", registers.workplan_edit, name="workplan_item"),
    path(kube + "rencana.xlsx", registers.workplan_xlsx, name="workplan_xlsx"),
    path(kube + "peraturan/", registers.rules, name="rules"),
]
