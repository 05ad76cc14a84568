from __future__ import annotations

from django.urls import reverse


def test_every_answer_turns_the_powerful_features_off(client, cast):
    client.force_login(cast.kab)
    answers = [client.get(reverse("registry:detail", args=[cast.kube_a.pk])),
               client.get("/api/v1/auth/me"),  # 401 JSON
               client.get(reverse("accounts:login")),
               client.get("/static/js/charts.js")]
    for answer in answers:
        policy = answer["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy, (answer.status_code, feature)
