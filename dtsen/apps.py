from django.apps import AppConfig


class DtsenConfig(AppConfig):
    name = "dtsen"
    verbose_name = "DTSEN"
