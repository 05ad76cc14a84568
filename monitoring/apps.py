from django.apps import AppConfig

from outbox import drainer


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Pemantauan"

    def ready(self) -> None:
        # The outbox below does not know its reader: monitoring registers the drain of its summaries.
        from monitoring.drain import drain, drain_pass  # models are importable only once the apps are ready

        drainer.register(drain, one_pass=drain_pass)
        # The reporting chain keeps the report's figures with an acceptance; approval sits below.
        from approval.services import figures_register
        from monitoring.documents import snapshot_figures

        figures_register(snapshot_figures)
