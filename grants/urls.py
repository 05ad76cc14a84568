from django.urls import path

from grants import views

app_name = "grants"

urlpatterns = [
    path("<int:kube_id>/bantuan/", views.grant_list, name="list"),
    path("<int:kube_id>/bantuan/<int:grant_id>/", views.grant_detail, name="detail"),
    path("<int:kube_id>/bantuan/<int:grant_id>/rab/", views.grant_plan, name="plan"),
    path("<int:kube_id>/bantuan/<int:grant_id>/realisasi/", views.grant_spend_view, name="spend"),
    path("<int:kube_id>/bantuan/<int:grant_id>/perguliran/", views.grant_onward_view, name="onward"),
]
