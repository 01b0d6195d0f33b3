from django.utils.translation import get_language


def pick(values, language=None):
    """Choose the text for the active language from ``{"id": ..., "en": ...}``.

    Falls back to Indonesian, the programme's first language.
    """
    language = (language or get_language() or "id")[:2]
    return values.get(language) or values.get("id") or ""


class BilingualMixin:
    """Reads ``<field>_id`` or ``<field>_en`` by the active language."""

    def localized(self, field):
        language = (get_language() or "id")[:2]
        value = getattr(self, f"{field}_{language}", "")
        return value or getattr(self, f"{field}_id")
