"""Browser tests (Playwright + Debian's chromium) and their shared steps."""


def click_nav(page, selector: str) -> None:
    """Click a navigation link as a person would: through the menu button when the
    navigation is folded (a phone, or labels too long for one line)."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.click(selector)


def enforce_csp(app) -> None:
    """Send production's Content-Security-Policy with every answer of `app` (call it before the
    app's first request), so a browser test fails where production's browsers would refuse an
    inline style or script."""
    from planner import CONTENT_SECURITY_POLICY

    @app.after_request
    def _with_csp(response):
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


def csp_refusals(page) -> list[str]:
    """A list that collects the browser's Content-Security-Policy refusals on `page`."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    return refused
