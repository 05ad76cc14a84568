"""The replica's lag as the dashboards' "as of" shows it (templates/includes/replica_lag.html)."""

from __future__ import annotations

from django.template.loader import render_to_string


def test_the_lag_is_said_only_on_pages_read_from_the_replica():
    assert render_to_string("includes/replica_lag.html", {"replica_lag": None}).strip() == ""
    assert "mutakhir" in render_to_string("includes/replica_lag.html", {"replica_lag": 0.0})
    assert "tertinggal 42 detik" in render_to_string("includes/replica_lag.html", {"replica_lag": 41.6})
