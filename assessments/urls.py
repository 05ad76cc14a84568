from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("kube/<int:kube_id>/peka/", views.assessment_list, name="list"),
    path("kube/<int:kube_id>/peka/baru/", views.assessment_new, name="new"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/", views.assessment_detail, name="detail"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/ubah/", views.assessment_edit, name="edit"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/nilai/", views.assessment_scores, name="scores"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/prioritas/", views.priorities_save, name="priorities"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/rtl/", views.rtl_add, name="rtl_add"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/rtl/<int:action_id>/", views.rtl_update, name="rtl_update"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/banding/<int:earlier_id>/", views.assessment_compare,
         name="compare"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/laporan.pdf", views.assessment_pdf, name="pdf"),
    path("kube/<int:kube_id>/peka/<int:assessment_id>/nilai.xlsx", views.assessment_xlsx, name="xlsx"),
    path("peka/", views.region_rollup, name="rollup"),
    path("peka/instrumen/", views.instruments, name="instruments"),
    path("peka/instrumen/<int:version_id>/", views.instrument_version, name="instrument"),
    path("peka/instrumen/<int:version_id>/versi-baru/", views.instrument_version_new, name="instrument_new"),
]
