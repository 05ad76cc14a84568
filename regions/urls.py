from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("pilih/", views.picker, name="picker"),
    path("cari/", views.search, name="search"),
]
