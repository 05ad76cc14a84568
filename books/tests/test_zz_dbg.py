from decimal import Decimal
from datetime import date
from django.urls import reverse
from books.services.registers import rules_adopt
def test_dbg(client, cast):
    rules_adopt(actor=cast.ketua, kube=cast.kube_a, text="a", adopted_on=date(2026,5,1), loan_fee_percent_month=Decimal("1.5"))
    client.force_login(cast.anggota)
    html = client.get(reverse("books:rules", args=[cast.kube_a.pk])).content.decode()
    i = html.find("Jasa"); print(html[i-100:i+200])
