from django.urls import path

from shareout import views

app_name = "shareout"

kube = "<int:kube_id>/buku/bagi-hasil/"

urlpatterns = [
    path(kube, views.home, name="home"),
    path(kube + "tutup-tahun/", views.close_year, name="close_year"),
    path(kube + "saya/", views.mine, name="mine"),
    path(kube + "<int:year>/", views.detail, name="detail"),
    path(kube + "<int:year>/usul/", views.propose, name="propose"),
    path(kube + "<int:year>/bukukan/", views.post, name="post"),
]
