"""Page forms that write run once per rendered form: the same one-time key sent again (a double
tap, a reload after a lost answer, back and resubmit) changes nothing and goes to the first result."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from api.idempotency import PAGE_FIELD, user_scope
from api.models import IdempotentRequest
from audit.models import AuditEntry
from books.models import Loan, PeriodClose, Transaction, TxnKind
from books.services import cash_entry_record
from mentoring.models import Visit
from registry.models import Kube, Member
from testing import founding_members, make_user, member_data, programme_fm
from testing.mentoring import visit_post

KEY = re.compile(rf'name="{PAGE_FIELD}" value="([0-9a-f]{{32}})"')
TODAY = date.today().isoformat()


@pytest.fixture
def stall(cast):
    """A group with Rp 2 million of members' capital in the till on 2 March 2026."""
    cash_entry_record(actor=cast.ketua, kube=cast.kube_a, kind=TxnKind.CAPITAL_IN, amount=2_000_000,
                      date=date(2026, 3, 2), description="Modal anggota")
    return cast


def key_in(html: str) -> str:
    found = KEY.search(html)
    assert found, f"no {PAGE_FIELD} rendered"
    return found.group(1)


def key_of(client, url: str) -> str:
    """The one-time key of the first form the page renders (a new one on every rendering)."""
    page = client.get(url)
    assert page.status_code == 200, url
    return key_in(page.content.decode())


def twice(client, url: str, data: dict, count, *, form_url: str | None = None):
    """POST the form twice with its key; the second changes nothing and goes where the first went."""
    data = {**data, PAGE_FIELD: key_of(client, form_url or url)}
    before = count()
    first = client.post(url, data)
    assert first.status_code == 302, getattr(first, "context", None) and first.context.get("form")
    after = count()
    assert after > before
    again = client.post(url, data)
    assert again.status_code == first.status_code and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert count() == after
    return first, again


def txns():
    return Transaction.objects.count()


@pytest.mark.parametrize("kind", ["sale", "purchase", "expense", "income"])
def test_a_quick_entry_sent_twice_is_saved_once_and_the_replay_shows_its_receipt(client, stall, kind):
    client.force_login(stall.ketua)
    url = reverse("books:entry", args=[stall.kube_a.pk, kind])
    first, _again = twice(client, url, {"amount": "12.500", "description": "Dua kali", "date": TODAY, "via": "cash"},
                          txns)
    page = client.get(first["Location"]).content.decode()
    receipt = Transaction.objects.get(description="Dua kali").receipt
    assert f"nomor bukti {receipt}" in page  # the first answer's receipt, shown after the replay
    assert "tidak ada yang dicatat dua kali" in page


def test_savings_deposit_and_withdrawal_each_run_once(client, stall):
    client.force_login(stall.ketua)
    member = stall.kube_a.members.order_by("id").first()
    url = reverse("books:savings", args=[stall.kube_a.pk])
    twice(client, url, {"member": member.pk, "kind": "deposit", "amount": "25000", "date": TODAY}, txns)
    twice(client, url, {"member": member.pk, "kind": "withdraw", "amount": "5000", "date": TODAY}, txns)


def test_the_meeting_sheet_runs_once(client, stall):
    client.force_login(stall.ketua)
    members = list(stall.kube_a.members.order_by("id"))
    url = reverse("books:meeting_savings", args=[stall.kube_a.pk])
    data = {"date": TODAY} | {f"deposit-{m.pk}": "10.000" for m in members[:3]}
    twice(client, url, data, txns)


def test_a_loan_and_its_repayment_each_run_once(client, stall):
    client.force_login(stall.ketua)
    kube = stall.kube_a
    member = kube.members.order_by("id").first()
    twice(client, reverse("books:loan_new", args=[kube.pk]),
          {"member": member.pk, "amount": "300000", "term_months": "3", "fee_percent_month": "1",
           "purpose": "Modal dagang", "date": TODAY}, Loan.objects.count)
    loan = Loan.objects.get(kube=kube)
    twice(client, reverse("books:loan", args=[kube.pk, loan.pk]), {"amount": "100000", "date": TODAY}, txns)


def test_a_reversal_runs_once(client, stall):
    client.force_login(stall.ketua)
    wrong = cash_entry_record(actor=stall.ketua, kube=stall.kube_a, kind=TxnKind.SALE, amount=80_000,
                              date=date.today(), description="Salah catat")
    url = reverse("books:transaction", args=[stall.kube_a.pk, wrong.pk])
    twice(client, url, {"reason": "Tercatat dua kali", "date": TODAY, "confirm": "on"}, txns)
    assert Transaction.objects.filter(reverses=wrong).count() == 1


def test_a_month_close_runs_once_and_asking_first_keeps_no_key(client, stall):
    client.force_login(stall.ketua)
    kube = stall.kube_a
    url = reverse("books:close", args=[kube.pk])
    key = key_of(client, url)
    asked = client.post(url, {"period": "202603", PAGE_FIELD: key})  # the first screen only asks
    assert asked.status_code == 200 and not IdempotentRequest.objects.filter(key=key).exists()
    confirm_key = key_in(asked.content.decode())
    assert confirm_key != key
    data = {"period": "202603", "confirm": "1", PAGE_FIELD: confirm_key}
    before = PeriodClose.objects.filter(kube=kube).count()
    first = client.post(url, data)
    closed = PeriodClose.objects.filter(kube=kube).count()
    assert first.status_code == 302 and closed > before
    again = client.post(url, data)
    assert again["Location"] == first["Location"] and PeriodClose.objects.filter(kube=kube).count() == closed
    # A refusal answered with a redirect (and an error message) keeps no key: corrected, it runs.
    refused = client.post(url, {"period": "209901", "confirm": "1", PAGE_FIELD: "k-refused"})
    assert refused.status_code == 302 and not IdempotentRequest.objects.filter(key="k-refused").exists()


def test_a_visit_runs_once(client, cast):
    client.force_login(cast.pendamping)
    url = reverse("mentoring:visit_new", args=[cast.kube_a.pk])
    twice(client, url, visit_post(cast), Visit.objects.count)


def test_a_member_added_and_edited_runs_once(client, cast):
    client.force_login(cast.kab)
    kube = cast.kube_a
    posted = {k: ("" if v is None else v.isoformat() if isinstance(v, date) else v)
              for k, v in asdict(member_data(name="Siti Dobel")).items()}
    twice(client, reverse("registry:member_add", args=[kube.pk]), posted, Member.objects.count)
    member = Member.objects.get(name="Siti Dobel")
    edit_url = reverse("registry:member_edit", args=[member.pk])
    form = client.get(edit_url).context["form"]
    edit = {name: form[name].value() for name in form.fields} | {"name": "Siti Dobel Baru"}
    edit = {k: ("" if v is None else v.isoformat() if isinstance(v, date) else v) for k, v in edit.items()
            if v is not False}
    twice(client, edit_url, edit, AuditEntry.objects.count)
    assert Member.objects.get(pk=member.pk).name == "Siti Dobel Baru"


def test_a_group_registered_and_edited_runs_once(client, cast):
    client.force_login(cast.kab)
    members = founding_members(6)
    data = {"name": "KUBE Sekali Saja", "desa": cast.kube_a.desa_id, "address": "", "rt": "", "rw": "",
            "formed_on": "2025-06-01", "programme": str(programme_fm().pk), "target_group": "fakir_miskin",
            "business_type": "pangan", "business_description": "", "business_mode": "kelompok",
            "bonds": ["tempat_tinggal"], "bond_note": "", "pendamping": "", "officers_chosen_on": "",
            "m-TOTAL_FORMS": "6", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "60"}
    for i, m in enumerate(members):
        for name, value in asdict(m).items():
            data[f"m-{i}-{name}"] = "" if value is None else value.isoformat() if isinstance(value, date) else value
        data[f"m-{i}-position"] = ("ketua", "sekretaris", "bendahara")[i] if i < 3 else ""
    twice(client, reverse("registry:create"), data, Kube.objects.count)
    kube = Kube.objects.get(name="KUBE Sekali Saja")
    edit_url = reverse("registry:edit", args=[kube.pk])
    form = client.get(edit_url).context["form"]
    edit = {name: form[name].value() for name in form.fields} | {"name": "KUBE Sekali Saja Baru"}
    edit = {k: ("" if v is None else v.isoformat() if isinstance(v, date) else v) for k, v in edit.items()}
    twice(client, edit_url, edit, AuditEntry.objects.count)
    assert Kube.objects.get(pk=kube.pk).name == "KUBE Sekali Saja Baru"


def test_a_refused_form_keeps_no_key_and_the_corrected_one_runs(client, stall):
    client.force_login(stall.ketua)
    url = reverse("books:entry", args=[stall.kube_a.pk, "sale"])
    key = key_of(client, url)
    refused = client.post(url, {"amount": "12,5", "description": "Koreksi", "date": TODAY, "via": "cash",
                                PAGE_FIELD: key})
    assert refused.status_code == 200 and "tanpa sen" in refused.content.decode()
    assert not IdempotentRequest.objects.filter(key=key).exists()
    fresh = key_in(refused.content.decode())
    assert fresh != key  # the form shown again is a new submission
    for k in (key, fresh):  # either key works once the form is right
        before = txns()
        assert client.post(url, {"amount": "12500", "description": f"Koreksi {k}", "date": TODAY, "via": "cash",
                                 PAGE_FIELD: k}).status_code == 302
        assert txns() == before + 1


def test_the_same_key_with_other_values_changes_nothing_and_says_so(client, stall):
    client.force_login(stall.ketua)
    url = reverse("books:entry", args=[stall.kube_a.pk, "sale"])
    key = key_of(client, url)
    first = client.post(url, {"amount": "10000", "description": "Asli", "date": TODAY, "via": "cash", PAGE_FIELD: key})
    before = txns()
    changed = client.post(url, {"amount": "99000", "description": "Diubah", "date": TODAY, "via": "cash",
                                PAGE_FIELD: key}, follow=True)
    assert changed.redirect_chain[0][0] == first["Location"] and txns() == before
    assert "perubahan yang Anda kirim ulang tidak disimpan" in changed.content.decode()


def test_another_user_replaying_the_key_gets_nothing_of_the_first_answer(client, stall):
    kube = stall.kube_a
    url = reverse("books:entry", args=[kube.pk, "sale"])
    client.force_login(stall.ketua)
    key = key_of(client, url)
    data = {"amount": "10000", "description": "Milik ketua", "date": TODAY, "via": "cash", PAGE_FIELD: key}
    client.post(url, data)
    row = IdempotentRequest.objects.get(key=key)
    assert row.scope == user_scope(stall.ketua)
    treasurer = make_user("bendahara.maju", Role.PENGURUS)
    Member.objects.filter(pk=kube.officers.get(position="bendahara").member_id).update(user=treasurer)
    client.force_login(treasurer)  # another officer of the same group, the same key and body
    before = txns()
    answer = client.post(url, data, follow=True)
    assert "Idempotent-Replayed" not in answer.redirect_chain and txns() == before + 1  # its own posting
    page = answer.content.decode()
    assert "sudah terkirim sebelumnya" not in page
    first_receipt = Transaction.objects.filter(description="Milik ketua").order_by("id")[0].receipt
    assert f"nomor bukti {first_receipt}" not in page
    assert IdempotentRequest.objects.filter(key=key).count() == 2


def test_a_role_refused_or_signed_out_post_keeps_no_key(client, stall):
    url = reverse("books:entry", args=[stall.kube_a.pk, "sale"])
    data = {"amount": "10000", "description": "x", "date": TODAY, "via": "cash", PAGE_FIELD: "k-anon"}
    assert client.post(url, data).status_code == 302  # to the sign-in page
    client.force_login(stall.anggota)
    assert client.post(url, data | {PAGE_FIELD: "k-member"}).status_code == 403
    assert not IdempotentRequest.objects.filter(key__in=["k-anon", "k-member"]).exists()


def test_every_writing_form_carries_the_key():
    """Every template form with method=post renders {% submission_key %}, but for those that keep
    none on purpose: signing in and out, the language, the NIK search (a read) and a new API token
    (its answer is the secret, shown once)."""
    without = {("accounts/templates/accounts/login.html", 1), ("templates/base.html", 3),
               ("registry/templates/registry/list.html", 1), ("accounts/templates/accounts/profile.html", 1)}
    root = Path(settings.BASE_DIR)
    missing = set()
    for path in [*root.glob("*/templates/**/*.html"), *root.glob("templates/**/*.html")]:
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        forms = re.findall(r'<form[^>]*method="post"[^>]*>.*?</form>', text, flags=re.S)
        bare = sum(1 for f in forms if "{% submission_key %}" not in f)
        if bare:
            missing.add((str(path.relative_to(root)), bare))
    assert missing == without
