"""Helpers of the browser tests (Chromium through Playwright): sign-in, CSP watch, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

ARTIFACTS = Path(os.environ.get("SIKUBE_ARTIFACTS", "/tmp/sikube-artifacts"))
PASSWORD = "kata-sandi-uji-2026"
# A cheap phone on a bad connection, for CDP Network.emulateNetworkConditions: 400 kbps each way, 400 ms.
SLOW_PHONE = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


def sign_in(page, base, username):
    for attempt in range(2):
        page.goto(f"{base}/akun/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_response(lambda r: r.request.method == "POST" and "/akun/masuk/" in r.url) as posted:
            page.click("button[type=submit]")
        # 403 is Django's CSRF refusal: a test that cleared the cookies under a live page can have a
        # request of that page bring a new CSRF cookie after the form was served (seen once in CI on
        # PostgreSQL). Once more, with a form of the cookie the browser now holds; a second refusal,
        # a wrong password or a lockout still fails below.
        if posted.value.status != 403 or attempt:
            break
    # Past the sign-in page: "{base}/**" would match the sign-in page itself, and the next step
    # would start before the session is the new user's.
    page.wait_for_url(lambda url: url.startswith(base) and "/akun/masuk/" not in url)


def watch_csp(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return problems
