import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_int, env_list


def test_env_bool_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_env_bool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_refuses_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "abc")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "3")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1, minimum=5)
    monkeypatch.setenv("X_NUM", "7")
    assert env_int("X_NUM", 1, minimum=5) == 7


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example , b.example,,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
