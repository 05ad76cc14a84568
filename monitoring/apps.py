from typing import Any

from django.apps import AppConfig


def _on_group_changed(sender: Any, *, kube_id: int, periods: list[int], **kwargs: Any) -> None:
    from monitoring.state import refresh

    refresh(kube_id, periods)


def _on_groups_changed(sender: Any, *, changes: dict[int, set[int]], **kwargs: Any) -> None:
    from monitoring.state import refresh_many

    refresh_many(sorted(changes))


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Pemantauan"

    def ready(self) -> None:
        from lib.events import group_changed, groups_changed

        group_changed.connect(_on_group_changed, dispatch_uid="monitoring.refresh")
        groups_changed.connect(_on_groups_changed, dispatch_uid="monitoring.rebuild")
