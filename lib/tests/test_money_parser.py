"""One amount parser for pages, API and import: every spelling a person writes of a whole number
reads back as that number; a fraction, a misplaced separator, a letter or a sign is refused with
a sentence saying what to type; the sale form and the API answer the same for the same text."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.types import _bounded_pattern
from books.models import Transaction, TxnKind
from books.services import cash_entry_record
from lib.money import MONEY_MAX, MoneyError, parse_rupiah
from testing import bearer

amounts = st.integers(min_value=0, max_value=MONEY_MAX)


def grouped(number: int, sep: str) -> str:
    return f"{number:,}".replace(",", sep)


def spellings(number: int) -> list[str]:
    dotted, spaced = grouped(number, "."), grouped(number, " ")
    return [str(number), dotted, spaced, f"Rp {dotted}", f"Rp{dotted}", f"  {dotted} ", f"Rp {number}",
            f"rp {spaced}", f"\t{number}\u00a0"]


@given(amounts)
def test_every_spelling_of_a_whole_number_reads_back_as_it(number):
    for text in spellings(number):
        assert parse_rupiah(text) == number, text


@given(st.integers(min_value=0, max_value=MONEY_MAX), st.integers(min_value=1, max_value=99), st.sampled_from([".", ","]),
       st.booleans())
def test_a_fraction_is_refused_and_says_no_sen(number, cents, mark, group):
    whole = grouped(number, ".") if group and mark == "," else str(number)
    with pytest.raises(MoneyError, match="tanpa sen"):
        parse_rupiah(f"{whole}{mark}{cents}")


@given(st.lists(st.integers(min_value=0, max_value=999), min_size=2, max_size=5), st.data())
def test_a_separator_that_is_not_every_three_digits_is_refused(groups, data):
    # Write every group with its natural width, then make one of them (not the first) 1, 2 or 4+ wide.
    parts = [str(groups[0] or 1)] + [f"{g:03d}" for g in groups[1:]]
    bad = data.draw(st.integers(min_value=1, max_value=len(parts) - 1))
    parts[bad] = data.draw(st.sampled_from([parts[bad][:1], parts[bad][:2], parts[bad] + "0"]))
    text = data.draw(st.sampled_from([".", " "])).join(parts)
    with pytest.raises(MoneyError) as refused:
        parse_rupiah(text)
    assert "tiga angka" in refused.value.message or "tanpa sen" in refused.value.message, text


@pytest.mark.parametrize("text", ["12.34.567", "1.2345", "1.250 000", "1..000", ".500", "500.", "1,250,000"])
def test_misplaced_separators_are_refused(text):
    with pytest.raises(MoneyError):
        parse_rupiah(text)


@pytest.mark.parametrize(("text", "says"), [
    ("1500.5", "tanpa sen"), ("1,5", "tanpa sen"), ("12.500,50", "tanpa sen"),
    ("12.34.567", "tiga angka"), ("lima ribu", "angka saja"), ("5rb", "angka saja"), ("Rp", "angka saja"),
    ("-5000", "negatif"), ("0", "lebih dari nol"), ("007", "nol di depan"), ("1e6", "angka saja"),
    (str(MONEY_MAX + 1), "paling banyak"),
])
def test_refusals_say_what_to_type(text, says):
    with pytest.raises(MoneyError) as refused:
        parse_rupiah(text, minimum=1)
    assert says in refused.value.message


def test_zero_is_allowed_only_where_asked_and_a_negative_never():
    assert parse_rupiah("0") == 0
    with pytest.raises(MoneyError, match="lebih dari nol"):
        parse_rupiah("0", minimum=1)
    with pytest.raises(MoneyError, match="negatif"):
        parse_rupiah(-1)


@settings(max_examples=300)
@given(st.text(alphabet="0123456789. ,Rrpa-\t\u00a0", max_size=22))
def test_the_documented_pattern_is_exactly_what_the_api_accepts(text):
    """The OpenAPI document's string pattern for money and the parser agree on every string, so a
    client that follows the document is accepted and one that does not is refused."""
    matches = re.search(_bounded_pattern(zero=False, digits=13), text) is not None
    try:
        parse_rupiah(text, minimum=1)
        accepted = True
    except MoneyError:
        accepted = False
    assert matches == accepted, text


# --- the page and the API, the same text --------------------------------------------------------

SAMPLES = ["1250000", "1.250.000", "Rp 1.250.000", "Rp1.250.000", "1 250 000", " 450.000 ",
           "1500.5", "1,5", "12.34.567", "seribu", "-5000", "0", "12.500,50"]


@pytest.fixture
def till(cast):
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=5_000_000,
                      date=date(2026, 2, 2), description="Modal")
    return cast


def _page(client, kube, text, description):
    response = client.post(f"/kube/{kube.pk}/buku/catat/sale/", {
        "amount": text, "description": description, "date": "2026-02-10", "via": "cash"})
    saved = Transaction.objects.filter(kube=kube, description=description).first()
    return saved.amount if saved else None, response.content.decode()


def _api(client, kube, text, description, auth):
    response = client.post(f"/api/v1/groups/{kube.pk}/transactions", {
        "kind": "sale", "amount": text, "description": description, "date": "2026-02-10"},
        content_type="application/json", **auth)
    return (response.json()["amount"] if response.status_code == 201 else None), response.json()


@pytest.fixture
def auth(till):
    return bearer(till.ketua)


@pytest.mark.parametrize("text", SAMPLES)
def test_the_sale_page_and_the_api_give_the_same_answer(client, till, text):
    kube = till.kube_a
    client.force_login(till.ketua)
    page_amount, page = _page(client, kube, text, "Lewat halaman")
    api_amount, api = _api(client, kube, text, "Lewat API", bearer(till.ketua))
    assert page_amount == api_amount
    try:
        expected: int | None = parse_rupiah(text, minimum=1)
    except MoneyError as exc:
        expected = None
        assert exc.message in page, page  # the page shows the parser's sentence
        assert exc.message in api["message"], api
    assert page_amount == expected


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(number=st.integers(min_value=1, max_value=4_000_000), spelling=st.integers(min_value=0, max_value=8))
def test_any_spelling_saves_the_same_amount_through_page_and_api(client, till, auth, number, spelling):
    kube = till.kube_a
    client.force_login(till.ketua)
    text = spellings(number)[spelling]
    page_amount, _page_html = _page(client, kube, text, f"Halaman {number} {spelling}")
    api_amount, _api_body = _api(client, kube, text, f"API {number} {spelling}", auth)
    assert page_amount == api_amount == number


def test_a_json_integer_is_accepted_and_a_fraction_or_boolean_is_not(client, till):
    """JSON Schema counts 69655.0 as an integer, so the API reads it as Rp69.655; a fraction
    is refused with the sentence that says there is no sen, and true is not Rp1."""
    kube, auth = till.kube_a, bearer(till.ketua)
    assert _api(client, kube, 450_000, "Bulat", auth)[0] == 450_000
    assert _api(client, kube, 69655.0, "Bulat sebagai float", auth)[0] == 69_655
    for wrong in (1500.5, True):
        amount, body = _api(client, kube, wrong, f"Salah {wrong!r}", auth)
        assert amount is None and body["code"] == "invalid" and body["field"] == "amount", body
        assert body["message"].startswith("Jumlah"), body
    amount, body = _api(client, kube, 69655.5, "Pecahan", auth)
    assert amount is None and "tanpa sen" in body["message"], body
    # Text stays strict: "1500.0" is what a person typed, and a person does not write sen.
    amount, body = _api(client, kube, "1500.0", "Teks pecahan", auth)
    assert amount is None and "tanpa sen" in body["message"], body


def test_the_words_under_the_box_follow_the_parser(client, till):
    client.force_login(till.ketua)
    assert client.get("/kube/buku/terbilang/", {"amount": "1.500"}).content.decode() == "Seribu lima ratus rupiah"
    assert "tanpa sen" in client.get("/kube/buku/terbilang/", {"amount": "1500.5"}).content.decode()


def test_the_plan_and_the_recipients_boxes_use_the_parser_too():
    from grants.forms import OnwardForm, PlanForm
    from registry.models import Kube

    plan = PlanForm({"lines": "Etalase | 1 | unit | 1500.5 | ya"})
    assert not plan.is_valid() and "tanpa sen" in plan.errors["lines"][0]
    plan = PlanForm({"lines": "Etalase | 1 | unit | Rp 1.500.000 | ya"})
    assert plan.is_valid() and plan.cleaned_data["lines"][0][3] == 1_500_000
    onward = OnwardForm({"recipient_kind": "person", "recipients": "Ibu Entin | | 12.34.567", "date": "2026-02-01"},
                        kubes=Kube.objects.none())
    assert not onward.is_valid() and "tiga angka" in onward.errors["recipients"][0]
