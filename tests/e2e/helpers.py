"""Small helpers shared by the browser tests."""

from django.utils import translation
from django.utils.functional import Promise
from playwright.sync_api import Page, expect

# app.css: .bg-brand { background-color: var(--brand) } with --brand: #0b5563.
BRAND_RGB = "rgb(11, 85, 99)"


def in_language(language, message):
    """``message`` (an English msgid or a lazy translation) in ``language``, as
    the compiled catalogue gives it."""
    with translation.override(language):
        if isinstance(message, Promise):
            return str(message)
        return translation.gettext(message)


def indonesian(message):
    """The Indonesian text for ``message``; fails if there is none yet."""
    text = in_language("id", message)
    assert text != in_language("en", message), (
        f"No Indonesian translation for {message!r}: fill in "
        "locale/id/LC_MESSAGES/django.po and run compilemessages."
    )
    return text


def indicator_count(language, count):
    """The result-count line of the catalogue, e.g. "9 indicators"."""
    with translation.override(language):
        template = translation.ngettext(
            "%(counter)s indicator", "%(counter)s indicators", count
        )
    return template % {"counter": count}


def expect_language(page: Page, language):
    expect(page.locator("html")).to_have_attribute("lang", language)


def assert_assets_loaded(page: Page):
    """Bootstrap, the product CSS, the icon font and the scripts really arrived.

    A broken static pipeline leaves an unstyled page that still "works", so
    look at computed styles rather than at the HTML.
    """
    page.wait_for_load_state("load")
    styles = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const navbar = getComputedStyle(document.querySelector("nav.navbar"));
            const icon = document.querySelector(".navbar-brand .bi");
            return {
                bodyDisplay: getComputedStyle(document.body).display,
                navbarDisplay: navbar.display,
                navbarBackground: navbar.backgroundColor,
                iconFont: getComputedStyle(icon, "::before").fontFamily,
                iconFontLoaded: document.fonts.check('1em "bootstrap-icons"'),
                sheets: [...document.styleSheets].map((sheet) => {
                    try {
                        return [sheet.href, sheet.cssRules.length];
                    } catch {
                        return [sheet.href, 0];  // failed to load
                    }
                }),
                htmx: typeof window.htmx,
                bootstrap: typeof window.bootstrap,
            };
        }"""
    )
    # Bootstrap: <body class="d-flex"> and .navbar { display: flex }.
    assert styles["bodyDisplay"] == "flex", styles
    assert styles["navbarDisplay"] == "flex", styles
    # app.css gives the navbar its colour; transparent means it did not load.
    assert styles["navbarBackground"] == BRAND_RGB, styles
    assert "bootstrap-icons" in styles["iconFont"], styles
    assert styles["iconFontLoaded"], styles
    assert all(rules > 0 for _href, rules in styles["sheets"]), styles
    assert len(styles["sheets"]) == 3, styles
    assert styles["htmx"] == "object", styles
    assert styles["bootstrap"] == "object", styles
