from django.urls import path

from grants import views

app_name = "grants"

urlpatterns = [
    path("<int:kube_id>/bantuan/", views.grant_list, name="list"),
]
