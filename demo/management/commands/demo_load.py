from typing import Any

from django.core.management.base import BaseCommand

from accounts.models import User
from demo.builders import demo_load


class Command(BaseCommand):
    help = "Muat data demo (hanya bila basis data masih kosong)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true",
                            help="Muat walaupun sudah ada pengguna (untuk basis data uji).")

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists() and not options["force"]:
            self.stdout.write("Data demo tidak dimuat: basis data sudah berisi pengguna.")
            return
        result = demo_load()
        self.stdout.write(f"Data demo dimuat: {result['users']} pengguna, {result['kubes']} KUBE.")
