from django.urls import path

from approval import views

app_name = "approval"

urlpatterns = [
    path("", views.home, name="home"),
    path("kelengkapan/", views.completeness, name="completeness"),
    path("kelengkapan/ringkas/", views.summary, name="summary"),
    path("daftar-kerja/", views.worklist, name="worklist"),
    path("jumlah/", views.badge, name="badge"),
    path("setujui/", views.bulk_approve, name="bulk_approve"),
    path("kube/<int:kube_id>/", views.kube_months, name="kube"),
    path("kube/<int:kube_id>/aksi/", views.kube_act, name="kube_act"),
    path("lpj/<int:lpj_id>/", views.lpj_detail, name="lpj"),
    path("lpj/<int:lpj_id>/aksi/", views.lpj_act, name="lpj_act"),
    path("lpj/<int:lpj_id>/berita-acara.pdf", views.lpj_pdf, name="lpj_pdf"),
    path("buka-kembali/<int:request_id>/", views.reopen_decide, name="reopen_decide"),
    path("laporan/", views.report_submit, name="report_submit"),
    path("laporan/<int:report_id>/", views.report_detail, name="report"),
    path("laporan/<int:report_id>/aksi/", views.report_act, name="report_act"),
    path("laporan/<int:report_id>/berita-acara.pdf", views.report_pdf, name="report_pdf"),
]
