"""lib.forms.PlainSelect draws the same select as Django's own widget (only the whitespace between
tags differs): the chosen option, groups of options, the field's attributes, the empty choice,
model choices, and text that must be escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from lib.forms import PlainSelect


class _Canon(HTMLParser):
    """Tags with their attributes in a fixed order, texts without the whitespace between tags."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[object] = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted(attrs, key=lambda a: a[0])))

    def handle_endtag(self, tag):
        self.items.append(("/", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(data)


def _tags(html: str, name: str) -> list[object]:
    canon = _Canon()
    canon.feed(str(html).replace(f"id_{name}", "id_FIELD").replace(f'name="{name}"', 'name="FIELD"'))
    return canon.items


CHOICES = [("", "Semua"), ("a", "Satu & dua"), ("b", '"Tiga"'), ("Kelompok <x>", [("c", "Empat"), ("d", "Lima")])]


@pytest.mark.parametrize("value", [None, "", "a", "d", "tidak ada"])
@pytest.mark.parametrize("required", [False, True])
def test_plain_select_draws_what_django_draws(value, required):
    class Both(forms.Form):
        django = forms.ChoiceField(choices=CHOICES, required=required, widget=forms.Select(attrs={"data-x": "1 & 2"}))
        plain = forms.ChoiceField(choices=CHOICES, required=required, widget=PlainSelect(attrs={"data-x": "1 & 2"}))

    form = Both({"django": value, "plain": value} if value is not None else None)
    plain_html = form["plain"].as_widget()
    assert _tags(plain_html, "plain") == _tags(form["django"].as_widget(), "django")
    assert "Satu &amp; dua" in plain_html and "&lt;x&gt;" in plain_html and "1 &amp; 2" in plain_html
    if value in ("a", "d"):
        assert f'<option value="{value}" selected>' in plain_html


@pytest.mark.django_db
def test_plain_select_draws_model_choices_as_django_does(django_user_model):
    from accounts.models import Role

    users = [django_user_model.objects.create_user(username=f"u{i}", password="x", full_name=f"Nama {i}",
                                                   role=Role.PENDAMPING) for i in range(3)]

    class Both(forms.Form):
        django = forms.ModelChoiceField(queryset=django_user_model.objects.order_by("pk"), empty_label="Semua")
        plain = forms.ModelChoiceField(queryset=django_user_model.objects.order_by("pk"), empty_label="Semua",
                                       widget=PlainSelect)

    form = Both({"django": users[1].pk, "plain": users[1].pk})
    assert _tags(form["plain"].as_widget(), "plain") == _tags(form["django"].as_widget(), "django")
    assert f'<option value="{users[1].pk}" selected>Nama 1</option>' in form["plain"].as_widget()


@pytest.mark.django_db
def test_a_short_model_choice_field_offers_what_djangos_offers_in_one_plain_query(django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lib.forms import ShortModelChoiceField

    for name in ("bu.ani", "pak.budi"):
        django_user_model.objects.create_user(username=name, password="x-Sikube-2026")
    people = django_user_model.objects.order_by("username")
    ours = ShortModelChoiceField(queryset=people, empty_label="Semua")
    django = forms.ModelChoiceField(queryset=people, empty_label="Semua")
    with CaptureQueriesContext(connection) as ctx:
        listed = [(str(value), label) for value, label in ours.iterator(ours)]
    assert listed == [(str(value), label) for value, label in django.iterator(django)]
    assert len(listed) == 3 and listed[0] == ("", "Semua")
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["SELECT"]  # no DECLARE … CURSOR
    assert ours.clean(str(people[1].pk)) == people[1]
