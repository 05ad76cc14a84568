from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("kube/<int:kube_id>/pesan/", views.group, name="group"),
    path("kube/<int:kube_id>/pesan/cabut/", views.withdraw, name="withdraw"),
    path("pesan/webhook/whatsapp/", views.whatsapp_webhook, name="whatsapp_webhook"),
    path("pesan/webhook/sms/", views.sms_webhook, name="sms_webhook"),
]
