"""The group list's name search (registry/search.py) answers what reading every name would answer:
whole names, first names, prefixes, pieces inside a word, case and accents as before, members
who left, names changed since, and only within the searcher's reach. Each case runs both ways the
search can go: a small reach reading its own names, and the indexes a national account uses
(forced here by making every reach "large"); and with a count cap small enough to pass."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from accounts.access import kubes_for_user
from regions.models import Region
from registry import search
from registry.models import Kube, Member
from registry.rules import MemberData
from registry.search import FTS_TABLE, KUBE_TRIGRAMS, KUBE_WORDS, MEMBER_WORDS, name_reindex, words_query
from registry.selectors import KubeFilters, kube_search
from registry.services import kube_update, member_add, member_leave, member_update
from sikube.api import api
from testing import DESA_C, bearer, member_data


@pytest.fixture(params=["own names", "indexes"])
def path(request, monkeypatch):
    """Both ways: as a mentor searches (its own names), and through the indexes (every reach that
    is a region: its span of them; any other reach, forced by making it "large": the country's)."""
    if request.param == "indexes":
        monkeypatch.setattr(search, "SMALL_REACH", 0)
    else:
        monkeypatch.setattr(search, "_reads_own_names", lambda scope, area: True)
    return request.param


def found(user, q: str) -> set[int]:
    return set(kube_search(user, KubeFilters(q=q)).kubes.values_list("pk", flat=True))


def read_every_name(user, q: str) -> set[int]:
    """The answer written independently: every group in reach and its members' names, compared
    in Python (ASCII letters' case ignored, as both databases do for these queries)."""
    q = " ".join(q.split()).lower()
    out = set()
    for kube in kubes_for_user(user).prefetch_related("members"):
        if q in kube.name.lower() or any(q in m.name.lower() for m in kube.members.all()):
            out.add(kube.pk)
    return out


def renamed(member: Member, name: str) -> MemberData:
    return MemberData(nik=member.nik, kk_number=member.kk_number, name=name, sex=member.sex,
                      birth_date=member.birth_date, address=member.address, task=member.task)


def rename_kube(actor, kube: Kube, name: str) -> Kube:
    return kube_update(actor=actor, kube=kube, name=name, desa=kube.desa, formed_on=kube.formed_on,
                       programme=kube.programme, business_type=kube.business_type,
                       target_group=kube.target_group, business_mode=kube.business_mode)


QUERIES = ["Siti Aminah Hidayat", "siti aminah", "SITI", "Sit", "minah", "ti amin", "aminah hid", "a hidayat",
           "  siti   aminah ", "Siti Nurhasanah", "hasanah", "Ani Suryani", "Mekar", "ekar ja", "kube mekar jaya 02",
           "Cempaka", "zz", "ti", "Warga", "Siti Aminah Hidayatt", "aminah siti"]


@pytest.mark.parametrize("q", QUERIES)
def test_whole_names_first_names_prefixes_and_pieces_inside_words(cast, path, q):
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Siti Aminah Hidayat"))
    member_add(actor=cast.kab_other, kube=cast.kube_c, data=member_data(kecamatan="32.71.04", name="Siti Nurhasanah"))
    for user in (cast.pusat, cast.prov, cast.kab, cast.kab_other, cast.prov_other, cast.pendamping):
        assert found(user, q) == read_every_name(user, q), (user.username, q)


def test_what_the_examples_find(cast, path):
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Siti Aminah Hidayat"))
    assert found(cast.pusat, "siti aminah") == {cast.kube_b.pk}
    assert found(cast.pusat, "minah hida") == {cast.kube_b.pk}      # pieces of two words
    both = {cast.kube_a.pk, cast.kube_b.pk}  # kube_a has Neneng Hidayat
    assert found(cast.pusat, "Hidaya") == both                      # a prefix
    assert found(cast.pusat, "idaya") == both                       # inside a word
    assert found(cast.pusat, "aminah siti") == set()               # the words' order counts
    assert found(cast.pusat, "Mekar Jaya") == {cast.kube_b.pk}      # the group's own name


def test_case_is_ignored_and_accents_are_kept(cast, path):
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Zoë Müller"))
    for q in ("Zoë Müller", "zoë müller", "ZOë MüLLER", "müller", "ë mül"):
        assert found(cast.pusat, q) == {cast.kube_b.pk}, q
    for q in ("Zoe Muller", "muller", "zoe"):
        assert found(cast.pusat, q) == set(), q


def test_a_member_who_left_is_found(cast, path):
    member = member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Imas Nurjanah"))
    member_leave(actor=cast.kab, member=member, left_on=timezone.localdate(), reason="pindah")
    assert found(cast.kab, "imas nurjanah") == found(cast.pusat, "nurjanah") == {cast.kube_b.pk}


def test_renamed_members_and_groups_are_found_under_the_new_name_only(cast, path):
    member = member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Euis Komalasari"))
    member_update(actor=cast.kab, member=member, data=renamed(member, "Euis Purnamasari"))
    rename_kube(cast.kab, cast.kube_a, "KUBE Sauyunan Wargi")
    for user in (cast.pusat, cast.kab):
        assert found(user, "euis purnamasari") == found(user, "purnamasari") == {cast.kube_b.pk}
        assert found(user, "euis komalasari") == found(user, "komalasari") == set()
        assert found(user, "Sauyunan Wargi") == found(user, "yunan") == {cast.kube_a.pk}
        assert found(user, "Maju Sejahtera") == found(user, "sejahtera") == set()


def test_a_kabupaten_never_finds_another_kabupatens_member(cast, path):
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Ratna Kusumawardhani"))
    for q in ("Ratna Kusumawardhani", "kusumaward", "a kusuma", "Ratna", "KUBE Mekar"):
        assert found(cast.kab, q) == {cast.kube_b.pk}, q
        assert found(cast.kab_other, q) == set(), q       # Kota Bogor's office
        assert found(cast.prov_other, q) == set(), q      # Jawa Tengah's
        assert found(cast.pendamping_other, q) == set(), q
        assert kube_search(cast.kab_other, KubeFilters(q=q)).count == 0, q  # not even counted


def test_past_the_cap_the_count_stops_and_the_page_says_so(cast, path, client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    every = read_every_name(cast.pusat, "warga")  # the cast's generated members: every group
    assert len(every) == 3
    result = kube_search(cast.pusat, KubeFilters(q="warga"))
    assert (result.count, result.more, result.cap) == (None, True, 1)
    assert set(result.kubes.values_list("pk", flat=True)) == every
    assert list(result.kubes.values_list("name", flat=True)) == sorted(Kube.objects.filter(pk__in=every)
                                                                      .values_list("name", flat=True))
    client.force_login(cast.pusat)
    response = client.get(reverse("registry:list"), {"q": "warga"})
    assert "Lebih dari 1 KUBE" in response.content.decode()
    assert response.context["page"].paginator.count == 2  # the cap's, not counted past it
    # A common group name, and the few groups of a common member name (Kab. Bandung's): past it too.
    assert kube_search(cast.pusat, KubeFilters(q="KUBE")).more
    assert set(kube_search(cast.pusat, KubeFilters(q="KUBE")).kubes.values_list("pk", flat=True)) == set(
        Kube.objects.values_list("pk", flat=True))
    result = kube_search(cast.kab, KubeFilters(q="warga"))
    assert set(result.kubes.values_list("pk", flat=True)) == read_every_name(cast.kab, "warga")
    # Under the cap the count is exact and the page shows it.
    one = kube_search(cast.pusat, KubeFilters(q="Ani Suryani"))
    assert (one.count, one.more) == (1, False)
    page = client.get(reverse("registry:list"), {"q": "Ani Suryani"}).content.decode()
    assert "1 KUBE" in page and "Lebih dari" not in page


def test_a_province_finds_its_own_groups_only_below_and_past_the_cap(cast, path, monkeypatch):
    # The same name in Jawa Barat (kube_b, Kab. Bandung; kube_c, Kota Bogor) and Jawa Tengah (kube_d).
    for actor, kube in ((cast.kab, cast.kube_b), (cast.kab_other, cast.kube_c), (cast.admin, cast.kube_d)):
        member_add(actor=actor, kube=kube, data=member_data(kecamatan=kube.desa_id[:8], name="Sri Wahyuningsih"))
    jabar, jateng = {cast.kube_b.pk, cast.kube_c.pk}, {cast.kube_d.pk}
    for cap in (1000, 1):  # counted, and past the cap (then the page reads the province's candidates)
        monkeypatch.setattr(search, "COUNT_CAP", cap)
        for q in ("Sri Wahyuningsih", "wahyuningsih", "ahyuning", "i wahyu", "KUBE"):
            for user in (cast.prov, cast.prov_other, cast.kab, cast.kab_other, cast.pusat):
                assert found(user, q) == read_every_name(user, q), (cap, q, user.username)
            if q != "KUBE":
                assert found(cast.prov, q) == jabar and found(cast.prov_other, q) == jateng, (cap, q)
                # In the list's order, below the cap and past it (PostgreSQL walks the country's).
                assert list(kube_search(cast.prov, KubeFilters(q=q)).kubes.values_list("pk", flat=True)) == list(
                    Kube.objects.filter(pk__in=jabar).order_by("name", "id").values_list("pk", flat=True)), (cap, q)
                # Most in need of attention first (PostgreSQL gathers the candidates instead of walking).
                for user, theirs in ((cast.prov, jabar), (cast.pusat, jabar | jateng)):
                    assert list(kube_search(user, KubeFilters(q=q, by_attention=True)).kubes
                                .values_list("pk", flat=True)) == list(
                        Kube.objects.filter(pk__in=theirs)
                        .order_by(F("state__health_score").desc(nulls_last=True), "name", "id")
                        .values_list("pk", flat=True)), (cap, q, user.username)
        # The filter's region narrows the index the same way, for the country and inside a province.
        for user, region, expected in ((cast.pusat, "33", jateng), (cast.pusat, "32.71", {cast.kube_c.pk}),
                                       (cast.prov, "32.04.05", {cast.kube_b.pk}), (cast.prov, "33", set()),
                                       (cast.kab, "32", {cast.kube_b.pk})):
            assert set(kube_search(user, KubeFilters(q="wahyuningsih", region=region)).kubes
                       .values_list("pk", flat=True)) == expected, (cap, user.username, region)
    monkeypatch.setattr(search, "COUNT_CAP", 1000)
    assert kube_search(cast.prov, KubeFilters(q="wahyuningsih")).count == 2
    assert kube_search(cast.prov_other, KubeFilters(q="wahyuningsih")).count == 1


def test_a_group_moved_to_another_region_is_found_there_and_no_longer_where_it_was(cast, path):
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Ratna Kusumawardhani"))
    bogor = Region.objects.get(pk=DESA_C)
    kube_update(actor=cast.admin, kube=cast.kube_b, name=cast.kube_b.name, desa=bogor, formed_on=cast.kube_b.formed_on,
                programme=cast.kube_b.programme, business_type=cast.kube_b.business_type,
                target_group=cast.kube_b.target_group, business_mode=cast.kube_b.business_mode)
    for q in ("Ratna Kusumawardhani", "kusumawardhani", "Mekar Jaya"):
        assert found(cast.kab_other, q) == found(cast.prov, q) == found(cast.pusat, q) == {cast.kube_b.pk}, q
        assert found(cast.kab, q) == set(), q
        assert kube_search(cast.kab, KubeFilters(q=q)).count == 0, q


def test_the_index_files_each_name_under_its_groups_desa():
    assert search.region_number("32.04.06.1002") == 3204061002
    assert search.region_number("32.04") == 3204000000 and search.region_number("") == 0
    key = search.index_key("32.04.06.1002", 17)
    assert key == 3204061002 * search.KEY + 17 and key % search.KEY == 17
    lo, hi = search.span("32.04")
    assert lo <= search.index_key("32.04.01.2001", 1) and search.index_key("32.04.99.9999", search.KEY - 1) <= hi
    assert not lo <= search.index_key("32.05.01.2001", 1) <= hi and not lo <= search.index_key("32.03.99.9999", 5) <= hi
    lo, hi = search.span("32.04.06.1002")
    assert (lo, hi) == (key - 17, key - 17 + search.KEY - 1)
    assert search.span("") == (0, 10 ** 10 * search.KEY - 1) and hi < 2 ** 63
    for bad in ("32.004", "3x", "32.04.06.1002.1"):
        with pytest.raises(ValueError):
            search.region_number(bad)
    with pytest.raises(ValueError):
        search.index_key("32.04.06.1002", search.KEY)


def test_the_words_a_search_reads():
    assert words_query("siti hidayat") == 'reversed : "itis"* AND name : "hidayat"*'
    assert words_query("ani nur hayati") == 'reversed : "ina"* AND "nur" AND name : "hayati"*'
    assert words_query("a kusuma") == 'name : "kusuma"*'  # "a" ends too many words to read
    assert words_query("a b") is None                     # nothing left: the trigrams answer
    assert words_query("siti") is None                    # one word may sit inside a word
    assert words_query('dewi "sri"') is None and words_query("zoë müller") is None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its GIN indexes itself")
def test_on_sqlite_every_index_holds_each_current_name_and_can_be_rebuilt(cast):
    # A live server's transactional test before this one flushes the tables but not the indexes.
    name_reindex()
    rename_kube(cast.kab, cast.kube_b, "KUBE Mekar Wangi")
    moved = kube_update(actor=cast.admin, kube=cast.kube_b, name="KUBE Mekar Wangi", desa=Region.objects.get(pk=DESA_C),
                        formed_on=cast.kube_b.formed_on, programme=cast.kube_b.programme,
                        business_type=cast.kube_b.business_type, target_group=cast.kube_b.target_group,
                        business_mode=cast.kube_b.business_mode)  # to Kota Bogor
    member = member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Cucu Suryani"))
    member_update(actor=cast.kab, member=member, data=renamed(member, "Cucu Suryana"))

    def indexed(table: str, reversed_too: bool = False) -> dict[int, str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, name{', reversed' if reversed_too else ''} FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
        if reversed_too:
            assert all(r[2] == r[1][::-1] for r in rows)
        return {r[0]: r[1] for r in rows}

    def filed(rows: Any, desa: str = "") -> dict[int, str]:
        """The names as the indexes should hold them: under their group's desa and their own id."""
        return {search.index_key(desa or code, pk): name for pk, name, code in rows}

    members = Member.objects.values_list("pk", "name", "kube__desa_id")
    kubes = Kube.objects.values_list("pk", "name", "desa_id")

    assert indexed(MEMBER_WORDS, True) == indexed(FTS_TABLE) == filed(members)
    assert indexed(KUBE_WORDS, True) == indexed(KUBE_TRIGRAMS) == filed(kubes)
    assert indexed(KUBE_WORDS)[search.index_key(DESA_C, cast.kube_b.pk)] == "KUBE Mekar Wangi"
    assert Member.objects.filter(kube=moved).exists()  # its members moved with it (in `filed` above)
    with connection.cursor() as cursor:
        for table in (MEMBER_WORDS, KUBE_WORDS):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert found(cast.pusat, "cucu suryana") == found(cast.pusat, "mekar wangi") == set()
    name_reindex()
    assert indexed(MEMBER_WORDS, True) == indexed(FTS_TABLE) == filed(members)
    assert found(cast.pusat, "cucu suryana") == found(cast.pusat, "mekar wangi") == {cast.kube_b.pk}


def test_a_search_never_joins_the_end_of_one_members_name_to_the_next(cast, path):
    """PostgreSQL holds a group's names as one text, a name a line: a query is found inside one name."""
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Ani Wulandari"))
    member_add(actor=cast.kab, kube=cast.kube_b, data=member_data(name="Rina Kartika"))
    for q in ("wulandari rina", "ari rin", "dari r", "kartika ani"):
        assert found(cast.pusat, q) == read_every_name(cast.pusat, q) == set(), q
    for q in ("wulandari", "rina kar", "ani w"):
        assert found(cast.pusat, q) == read_every_name(cast.pusat, q) == {cast.kube_b.pk}, q


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's FTS5 tables are checked above")
def test_on_postgresql_each_groups_row_holds_its_members_current_names_and_can_be_rebuilt(cast):
    name_reindex()
    moved = kube_update(actor=cast.admin, kube=cast.kube_b, name=cast.kube_b.name, desa=Region.objects.get(pk=DESA_C),
                        formed_on=cast.kube_b.formed_on, programme=cast.kube_b.programme,
                        business_type=cast.kube_b.business_type, target_group=cast.kube_b.target_group,
                        business_mode=cast.kube_b.business_mode)  # to Kota Bogor
    member = member_add(actor=cast.kab_other, kube=moved, data=member_data(name="Cucu Suryani"))
    member_update(actor=cast.kab_other, member=member, data=renamed(member, "Cucu Suryana"))
    member_leave(actor=cast.kab_other, member=member, left_on=timezone.localdate(), reason="pindah")

    def held() -> dict[int, tuple[str, list[str]]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT kube_id, desa_id, names FROM {search.GROUP_NAMES}")  # noqa: S608
            return {pk: (desa, names.split("\n")) for pk, desa, names in cursor.fetchall()}

    # In capitals, as the database's UPPER writes them (a search capitalises the query the same way).
    expected = {k.pk: (k.desa_id, list(k.members.order_by("id").values_list(Upper("name"), flat=True)))
                for k in Kube.objects.all() if k.members.exists()}
    assert held() == expected
    assert held()[moved.pk][0] == DESA_C and "CUCU SURYANA" in held()[moved.pk][1]
    assert "CUCU SURYANI" not in held()[moved.pk][1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.GROUP_NAMES}")  # noqa: S608
    assert found(cast.pusat, "cucu suryana") == set()
    name_reindex()
    assert held() == expected
    assert found(cast.pusat, "cucu suryana") == found(cast.kab_other, "cucu suryana") == {moved.pk}
    assert found(cast.kab, "cucu suryana") == set()

@pytest.mark.skipif(connection.vendor != "postgresql", reason="the rows of names are PostgreSQL's")
def test_on_postgresql_the_rows_of_names_keep_a_histogram_large_enough_for_a_full_name(cast):
    """The planner tries a search's pattern on the histogram's rows to estimate its groups: with
    the default 100 a full name matched a few by chance and was estimated at thousands, and the
    search read the whole table instead of its trigram index (migration registry 0012)."""
    name_reindex()  # a rebuild empties and refills the table: the column keeps its target
    with connection.cursor() as cursor:
        cursor.execute("SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'names'",
                       [search.GROUP_NAMES])
        assert cursor.fetchone() == (1000,)


def test_the_api_counts_a_search_up_to_the_cap_and_says_when_there_are_more(cast, path, client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    auth = bearer(cast.pusat)
    every = read_every_name(cast.pusat, "warga")  # the cast's generated members: every group
    assert len(every) == 3
    capped = client.get("/api/v1/groups", {"q": "warga"}, **auth).json()
    assert (capped["count"], capped["more"]) == (2, True)
    assert [k["id"] for k in capped["items"]] == list(
        Kube.objects.filter(pk__in=every).order_by("name", "id").values_list("pk", flat=True))[:2]
    # The pages end at the cap's row, as the list page's do.
    assert [k["id"] for k in client.get("/api/v1/groups", {"q": "warga", "page_size": 1, "page": 2}, **auth)
            .json()["items"]] == [capped["items"][1]["id"]]
    assert client.get("/api/v1/groups", {"q": "warga", "page_size": 1, "page": 3}, **auth).json()["items"] == []
    # Under the cap (and without a search) the count is exact.
    for user, params, n in ((cast.pusat, {"q": "Mekar Jaya"}, 1), (cast.prov, {"q": "warga"}, 2),
                            (cast.pusat, {}, Kube.objects.count())):
        assert "q" not in params or n == len(read_every_name(user, params["q"]))
        page = client.get("/api/v1/groups", params, **bearer(user)).json()
        assert (page["count"], page["more"], len(page["items"])) == (n, False, n), params


def test_the_openapi_document_says_the_search_stops_counting():
    document = api.get_openapi_schema()
    ref = document["paths"]["/api/v1/groups"]["get"]["responses"][200]["content"]["application/json"]["schema"]
    schema = document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]
    assert "1.000" in schema["properties"]["count"]["description"]
    assert "lebih dari" in schema["properties"]["more"]["description"]
