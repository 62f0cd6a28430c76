"""Browser tests (Playwright + Debian's chromium) and their shared steps."""


def click_nav(page, selector: str) -> None:
    """Click a navigation link as a person would: through the menu button when the
    navigation is folded (a phone, or labels too long for one line)."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.click(selector)
