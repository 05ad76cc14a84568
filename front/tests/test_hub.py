"""The group's hub lists every page of the group: a tab added to `kube_tabs` but to none of the
hub's sections would be out of reach on a phone, where the hub is the only way in."""

from __future__ import annotations

from front.tabs import kube_hub, kube_tabs


def test_every_tab_of_a_group_is_in_one_section_of_its_hub(cast):
    kube = cast.kube_a
    in_hub = [link.url for section in kube_hub(kube) for link in section.links]
    missing = [tab.key for tab in kube_tabs(kube) if tab.key != "home" and tab.url not in in_hub]
    assert missing == []
    assert len(in_hub) == len(set(in_hub))  # and none twice
