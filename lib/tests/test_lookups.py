import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from lib.lookups import among_ids

pytestmark = pytest.mark.django_db


def test_among_ids_selects_what_in_selects_alone_with_others_and_when_empty(django_user_model):
    users = [django_user_model.objects.create_user(username=f"u{i}", password="x-Sikube-2026") for i in range(6)]
    pks = [u.pk for u in users]
    missing = max(pks) + 1000
    for ids in ([pks[0]], pks[1:4], [*pks[::2], missing], [missing], [], pks):
        picked = django_user_model.objects.filter(among_ids("pk", ids))
        assert set(picked.values_list("pk", flat=True)) == set(
            django_user_model.objects.filter(pk__in=ids).values_list("pk", flat=True)), ids
        either = django_user_model.objects.filter(among_ids("pk", ids) | Q(username="u5"))
        assert set(either.values_list("pk", flat=True)) == set(
            django_user_model.objects.filter(Q(pk__in=ids) | Q(username="u5")).values_list("pk", flat=True)), ids
        assert django_user_model.objects.exclude(among_ids("pk", ids)).count() == len(users) - len(set(ids) & set(pks))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes the ids one placeholder each")
def test_on_postgresql_the_ids_are_one_array_parameter(django_user_model):
    with CaptureQueriesContext(connection) as ctx:
        list(django_user_model.objects.filter(among_ids("pk", range(1, 501))))
    assert "= ANY(" in ctx.captured_queries[-1]["sql"]
    _sql, params = django_user_model.objects.filter(among_ids("pk", range(1, 501))).query.sql_with_params()
    assert len(params) == 1 and list(params[0]) == list(range(1, 501))
