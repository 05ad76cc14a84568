from django.apps import AppConfig


class ApprovalConfig(AppConfig):
    name = "approval"
    verbose_name = "Pelaporan berjenjang"
