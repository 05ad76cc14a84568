from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("pendampingan/", views.workspace_view, name="workspace"),
    path("pendampingan/pendamping/", views.mentors, name="mentors"),
    path("pendampingan/pendamping/<int:mentor_id>/", views.workspace_view, name="mentor_workspace"),
    path("pendampingan/tugaskan/", views.assign, name="assign"),
    path("asistensi/", views.events, name="events"),
    path("asistensi/baru/", views.event_new, name="event_new"),
    path("asistensi/<int:event_id>/", views.event_detail, name="event"),
    path("asistensi/<int:event_id>/laporan.pdf", views.event_pdf, name="event_pdf"),
    path("asistensi/evaluasi/<str:kind>/<int:subject_id>/", views.evaluation_new, name="event_evaluation_new"),
    path("kube/<int:kube_id>/pendampingan/", views.visits, name="visits"),
    path("kube/<int:kube_id>/pendampingan/baru/", views.visit_new, name="visit_new"),
    path("kube/<int:kube_id>/pendampingan/<int:visit_id>/", views.visit_detail, name="visit"),
    path("kube/<int:kube_id>/pendampingan/riwayat.pdf", views.visits_pdf, name="visits_pdf"),
    path("kube/<int:kube_id>/pendampingan/evaluasi.pdf", views.evaluations_pdf, name="evaluations_pdf"),
    path("kube/<int:kube_id>/pendampingan/foto/<int:photo_id>/<str:size>/", views.visit_photo, name="photo"),
    path("kube/<int:kube_id>/pendampingan/tindak-lanjut/<int:follow_up_id>/selesai/", views.follow_up_done,
         name="follow_up_done"),
    path("kube/<int:kube_id>/evaluasi/<str:kind>/<int:subject_id>/", views.evaluation_new, name="evaluation_new"),
    path("kube/<int:kube_id>/kriteria-tahap/", views.stage, name="stage"),
]
