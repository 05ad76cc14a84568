"""Helpers of the browser tests (Chromium through Playwright): sign-in, CSP watch, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

ARTIFACTS = Path(os.environ.get("SIKUBE_ARTIFACTS", "/tmp/sikube-artifacts"))
PASSWORD = "kata-sandi-uji-2026"
# A cheap phone on a bad connection, for CDP Network.emulateNetworkConditions: 400 kbps each way, 400 ms.
SLOW_PHONE = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


def sign_in(page, base, username):
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # Past the sign-in page: "{base}/**" would match the sign-in page itself, and the next step
    # would start before the session is the new user's.
    page.wait_for_url(lambda url: url.startswith(base) and "/akun/masuk/" not in url)


def watch_csp(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return problems
