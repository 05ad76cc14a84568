"""Programme rules are data an administrator maintains."""

from django.urls import reverse

from registry.models import Programme


def form(**extra):
    data = {"code": "rsdk-2026", "name": "KUBE RSDK", "legal_basis": "Pedoman RSDK", "min_members": "5",
            "max_members": "30", "size_exempt_targets": ["kumuh"], "min_age": "17", "max_age": "",
            "grant_per_member": "1500000", "is_active": "on"}
    data.update(extra)
    return data


def test_the_admin_adds_a_programme_with_its_rules(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("registry:programme_new"), form())
    assert response.status_code == 302
    programme = Programme.objects.get(code="rsdk-2026")
    assert (programme.min_members, programme.max_members, programme.min_age) == (5, 30, 17)
    assert programme.size_exempt_targets == ["kumuh"] and programme.target_desil_max is None
    assert "KUBE RSDK" in client.get(reverse("registry:programme_list")).content.decode()


def test_nonsense_bounds_are_refused(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("registry:programme_new"), form(min_members="8", max_members="6"))
    assert "tidak masuk akal" in response.content.decode()
    assert not Programme.objects.filter(code="rsdk-2026").exists()


def test_only_the_admin_maintains_programmes(client, cast):
    client.force_login(cast.kab)
    assert client.post(reverse("registry:programme_new"), form()).status_code == 404
    assert not Programme.objects.filter(code="rsdk-2026").exists()
