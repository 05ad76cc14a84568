import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.builders import demo_account_rows


class Command(BaseCommand):
    help = "Tampilkan akun demo."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_account_rows()
        if not rows:
            return
        width = max(len(r[0]) for r in rows)
        if os.environ.get("SIKUBE_DEMO_PASSWORD"):
            self.stdout.write("Akun demo (kata sandi: nilai SIKUBE_DEMO_PASSWORD Anda):")
        else:
            self.stdout.write(f"Akun demo (kata sandi: {settings.DEMO_PASSWORD}):")
        for username, role, where in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role}{' — ' + where if where else ''}")
