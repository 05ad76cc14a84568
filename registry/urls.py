from django.urls import path

from registry import documents, transfer, views

app_name = "registry"

urlpatterns = [
    path("", views.kube_list_view, name="list"),
    path("cari-nik/", views.nik_search, name="nik_search"),
    path("baru/", views.kube_create, name="create"),
    path("ekspor.xlsx", transfer.kube_export, name="export"),
    path("impor/", transfer.kube_import, name="import"),
    path("impor/templat.xlsx", transfer.import_template, name="import_template"),
    path("impor/galat/<str:token>.xlsx", transfer.import_errors, name="import_errors"),
    path("program/", views.programme_list, name="programme_list"),
    path("program/baru/", views.programme_edit, name="programme_new"),
    path("program/<int:programme_id>/", views.programme_edit, name="programme_edit"),
    path("<int:kube_id>/", views.kube_detail, name="detail"),
    path("<int:kube_id>/ubah/", views.kube_edit, name="edit"),
    path("<int:kube_id>/tahap/", views.kube_stage, name="stage"),
    path("<int:kube_id>/status/", views.kube_status, name="status"),
    path("<int:kube_id>/pendamping/", views.kube_assign, name="assign"),
    path("<int:kube_id>/anggota/baru/", views.member_add, name="member_add"),
    path("<int:kube_id>/pengurus/", views.officers_edit, name="officers"),
    path("<int:kube_id>/buku-keanggotaan.pdf", documents.member_book_pdf, name="member_book_pdf"),
    path("<int:kube_id>/daftar-pengurus.pdf", documents.officers_pdf, name="officers_pdf"),
    path("<int:kube_id>/anggota.xlsx", transfer.members_export, name="members_export"),
    path("anggota/<int:member_id>/ubah/", views.member_edit, name="member_edit"),
    path("anggota/<int:member_id>/keluar/", views.member_leave, name="member_leave"),
    path("anggota/<int:member_id>/tugas/", views.member_task, name="member_task"),
    path("anggota/<int:member_id>/akun/", views.member_account, name="member_account"),
]
