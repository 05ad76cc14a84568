from django.urls import path

from pwa import views

app_name = "pwa"

urlpatterns = [
    path("sw.js", views.service_worker, name="worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
    path("app/kas/", views.kas, name="kas"),
    path("app/kunjungan/", views.kunjungan, name="kunjungan"),
    path("app/pasang/", views.install, name="install"),
]
