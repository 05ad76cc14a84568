from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("pemantauan/", views.dashboard_view, name="dashboard"),
    path("pemantauan/aturan/", views.rules_view, name="rules"),
    path("pemantauan/laporan.<str:fmt>", views.report, name="report"),
    path("kube/<int:kube_id>/kesehatan/", views.group_view, name="group"),
]
