from django.urls import path

from dtsen import views

app_name = "dtsen"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("ekstrak/", views.extract_new, name="extract_new"),
    path("ekstrak/<int:extract_id>/", views.extract_detail, name="extract"),
    path("ekstrak/<int:extract_id>/terapkan/", views.extract_apply, name="extract_apply"),
    path("duplikat/", views.duplicates, name="duplicates"),
    path("duplikat/periksa/", views.duplicates_scan, name="duplicates_scan"),
    path("duplikat/<int:pair_id>/", views.duplicate_detail, name="duplicate"),
    path("anggota/<int:member_id>/", views.member_record, name="member"),
]
