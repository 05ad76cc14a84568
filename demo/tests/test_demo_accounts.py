"""The start-up list of demo accounts names each group account's own group (without loading the demo)."""

from demo.builders import MAIN_KUBE, demo_account_rows
from registry.services import member_account_create


def _account(kube, position, username):
    officer = kube.officers.get(position=position, ended_on__isnull=True)
    return member_account_create(actor=None, member=officer.member, username=username, password="Tanah-Air-77")


def test_each_secretary_and_treasurer_is_listed_with_their_own_group(cast):
    _account(cast.kube_a, "sekretaris", "sekretaris.majusejahtera")
    _account(cast.kube_b, "sekretaris", "sekretaris.mekarjaya02")
    _account(cast.kube_c, "sekretaris", "sekretaris.cempaka")
    _account(cast.kube_b, "bendahara", "bendahara.mekarjaya02")
    rows = {username: where for username, _role, where in demo_account_rows()}
    assert rows["sekretaris.majusejahtera"] == MAIN_KUBE
    assert "sekretaris.mekarjaya02" not in rows and "sekretaris.cempaka" not in rows
    assert rows["sekretaris.<nama KUBE>"] == "2 KUBE lain, misalnya sekretaris.mekarjaya02 (KUBE Mekar Jaya 02)"
    assert rows["bendahara.<nama KUBE>"] == "1 KUBE lain, misalnya bendahara.mekarjaya02 (KUBE Mekar Jaya 02)"
    assert rows["ketua.maju"] == MAIN_KUBE and rows["anggota.sido"] == "KUBE Sido Rukun"
    assert rows["pendamping.bogor"] == "Kota Bogor"
