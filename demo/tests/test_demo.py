import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from lib.regioncode import is_within
from regions.services import regions_sync
from registry.models import Kube


@pytest.fixture
def demo(db, settings):
    regions_sync(only={"32.04.06.1002", "32.04.06.1001", "32.04.06.2003", "32.04.06.2005",
                       "32.04.05.2001", "32.04.05.2004", "32.04.05.2005", "32.04.10.2001",
                       "32.04.10.2003", "32.71.04.1002", "32.71.04.1003", "32.71.04.1008",
                       "32.71.01.1001"})
    call_command("demo_load")


def test_the_demo_has_an_account_for_every_role_and_about_forty_groups(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(username="admin", role=Role.ADMIN).exists()
    assert 35 <= Kube.objects.count() <= 45
    kabupaten = {k.desa_id[:5] for k in Kube.objects.all()}
    assert kabupaten == {"32.04", "32.71"}
    assert all(is_within(k.desa_id, "32") for k in Kube.objects.all())
    assert Kube.objects.filter(status="stagnan").exists() and Kube.objects.filter(status="bubar").exists()


def test_loading_again_changes_nothing(demo):
    users, kubes = User.objects.count(), Kube.objects.count()
    call_command("demo_load")
    assert (User.objects.count(), Kube.objects.count()) == (users, kubes)


def test_every_demo_account_signs_in_with_the_demo_password(demo, settings):
    for user in User.objects.all():
        client = Client()
        response = client.post(reverse("accounts:login"),
                               {"username": user.username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, user.username
        assert client.get(reverse("front:home"), follow=True).status_code == 200
