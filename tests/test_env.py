"""Reading settings from the environment fails loudly on a value it cannot read."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kotacerdas.env import env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on"])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("KC_TEST_FLAG", raw)

    assert env_bool("KC_TEST_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("KC_TEST_FLAG", raw)

    assert env_bool("KC_TEST_FLAG", default=True) is False


def test_env_bool_of_maybe_raises(monkeypatch):
    monkeypatch.setenv("KC_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured) as caught:
        env_bool("KC_TEST_FLAG")

    assert (
        str(caught.value) == "KC_TEST_FLAG='maybe' is not a boolean; use true or false."
    )


def test_env_bool_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv("KC_TEST_FLAG", raising=False)

    assert env_bool("KC_TEST_FLAG", default=True) is True


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("KC_TEST_NUMBER", "587")

    assert env_int("KC_TEST_NUMBER", 25) == 587


@pytest.mark.parametrize("raw", ["twenty", "2.5", "5 MB"])
def test_env_int_of_a_non_number_raises(monkeypatch, raw):
    monkeypatch.setenv("KC_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured) as caught:
        env_int("KC_TEST_NUMBER", 25)

    assert str(caught.value) == f"KC_TEST_NUMBER={raw!r} is not a whole number."


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_env_int_unset_or_blank_gives_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("KC_TEST_NUMBER", raising=False)
    else:
        monkeypatch.setenv("KC_TEST_NUMBER", raw)

    assert env_int("KC_TEST_NUMBER", 25) == 25


def test_env_str_without_value_or_default_raises(monkeypatch):
    monkeypatch.delenv("KC_TEST_TEXT", raising=False)

    with pytest.raises(ImproperlyConfigured) as caught:
        env_str("KC_TEST_TEXT")

    assert str(caught.value) == "Set the environment variable KC_TEST_TEXT."


def test_env_str_empty_value_counts_as_unset(monkeypatch):
    monkeypatch.setenv("KC_TEST_TEXT", "")

    assert env_str("KC_TEST_TEXT", "fallback") == "fallback"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("KC_TEST_HOSTS", " a.example , ,b.example,")

    assert env_list("KC_TEST_HOSTS") == ["a.example", "b.example"]


def test_env_list_unset_gives_a_copy_of_the_default(monkeypatch):
    monkeypatch.delenv("KC_TEST_HOSTS", raising=False)

    assert env_list("KC_TEST_HOSTS", default=("localhost",)) == ["localhost"]


def test_env_choice_reads_an_allowed_value(monkeypatch):
    monkeypatch.setenv("KC_TEST_BACKEND", "s3")

    assert env_choice("KC_TEST_BACKEND", {"local", "s3"}, "local") == "s3"


def test_env_choice_of_an_unknown_value_raises_and_lists_the_choices(monkeypatch):
    monkeypatch.setenv("KC_TEST_BACKEND", "ftp")

    with pytest.raises(ImproperlyConfigured) as caught:
        env_choice("KC_TEST_BACKEND", {"local", "s3"}, "local")

    assert str(caught.value) == "KC_TEST_BACKEND='ftp' is not one of: local, s3."
