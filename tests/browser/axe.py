"""axe-core (shipped by axe-playwright-python) limited to the WCAG 2.1 A and AA rules."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

_axe = Axe()


def violations(page) -> list[dict]:
    return _axe.run(page, options=WCAG_21_AA).response["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page, what: str = "") -> None:
    found = violations(page)
    assert not found, f"axe on {what or page.url}:\n{describe(found)}"


def axe_at(*states: str):
    """A journey's check that runs axe at the named states only: the states a crawl
    cannot reach (pages built by htmx, messages after a form); test_accessibility
    checks every page as it loads."""

    def check(page, where: str) -> None:
        if where in states:
            assert_accessible(page, where)

    return check
