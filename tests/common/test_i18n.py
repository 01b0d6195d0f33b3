"""Choosing the Indonesian or English text of bilingual data."""

from django.utils import translation

from kotacerdas.common.i18n import pick
from kotacerdas.indicators.models import Theme


def test_pick_chooses_the_active_language():
    with translation.override("en"):
        text = pick({"id": "Sampah", "en": "Solid waste"})

    assert text == "Solid waste"


def test_pick_falls_back_to_indonesian():
    text = pick({"id": "Sampah", "en": ""}, "en")

    assert text == "Sampah"


def test_bilingual_model_reads_the_field_of_the_active_language():
    theme = Theme(number=16, name_id="Sampah", name_en="Solid waste")

    with translation.override("en"):
        english = theme.name
    with translation.override("id"):
        indonesian = theme.name

    assert (english, indonesian) == ("Solid waste", "Sampah")


def test_bilingual_model_falls_back_to_indonesian_when_english_is_empty():
    theme = Theme(number=16, name_id="Sampah", name_en="")

    with translation.override("en"):
        name = theme.name

    assert name == "Sampah"
