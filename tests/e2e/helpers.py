"""Small helpers shared by the browser tests."""

import io

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


def assert_assets_loaded(page: Page, *, extra_sheets=0):
    """Bootstrap, the product CSS, the icon font and the scripts really arrived.

    A broken static pipeline leaves an unstyled page that still "works", so
    look at computed styles rather than at the HTML. ``extra_sheets`` counts the
    style sheets a page adds to the three of base.html (registrations.css).
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
    assert len(styles["sheets"]) == 3 + extra_sheets, styles
    assert styles["htmx"] == "object", styles
    assert styles["bootstrap"] == "object", styles


def plural(language, singular, plural_form, count, **params):
    """A ``{% blocktranslate count counter=... %}`` text as the catalogue gives it."""
    with translation.override(language):
        template = translation.ngettext(singular, plural_form, count)
    return template % {"counter": count, **params}


def log_in(page: Page, login_url, email, password):
    """Log in on the login page at ``login_url``; waits for the dashboard."""
    page.goto(login_url)
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dasbor/**")


def log_out(page: Page):
    """Log out through the user menu, as a person would."""
    page.get_by_test_id("user-menu").click()
    page.locator(".dropdown-menu form button[type=submit]").click()
    # The page after logging out has no user menu; going on before it arrives
    # would cancel the logout.
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


def pdf_bytes(*lines):
    """A small real one-page PDF, drawn by ReportLab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    y = 780
    for line in lines:
        document.drawString(72, y, line)
        y -= 18
    document.showPage()
    document.save()
    return buffer.getvalue()


def write_pdf(path, *lines):
    """``pdf_bytes(*lines)`` written to ``path``, for ``set_input_files``."""
    path.write_bytes(pdf_bytes(*lines))
    return path


def assert_fits_width(page: Page):
    """Nothing sticks out sideways: the page is no wider than the window (an
    overfull navbar once pushed the language button off it)."""
    scroll, inner = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll <= inner, f"{page.url} is {scroll}px wide in a {inner}px window"
