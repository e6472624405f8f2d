"""htmx render equivalence (the les-emplois pattern): what an htmx request swaps in must be
exactly the same region of the whole page, so partials can never drift from their page.

    assert_swap_matches_page(client, url, target="#resultats", swap="innerHTML")

gets the page, gets the same URL as htmx does, and compares the fragment with the target's
inner (innerHTML) or outer (outerHTML) HTML in the page, whitespace, CSRF tokens and the
focus a swap takes aside.
"""

import re
from html.parser import HTMLParser

# Elements without an end tag.
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"])
VOID |= {"source", "track", "wbr"}
CSRF = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
HTMX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


class _Finder(HTMLParser):
    """Finds the element whose id is `wanted`: offsets of its start tag's start, the end of
    its start tag, the start of its end tag and the end of its end tag."""

    def __init__(self, source: str, wanted: str):
        super().__init__(convert_charrefs=False)
        self.source, self.wanted = source, wanted
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.stack: list[tuple[str, int, int, bool]] = []
        self.found: tuple[int, int, int, int] | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        text = self.get_starttag_text() or ""
        if tag not in VOID:
            self.stack.append(
                (tag, start, start + len(text), dict(attrs).get("id") == self.wanted)
            )

    def handle_endtag(self, tag):
        start = self._offset()
        while self.stack:
            name, open_start, open_end, wanted = self.stack.pop()
            if wanted and self.found is None:
                end = self.source.index(">", start) + 1
                self.found = (open_start, open_end, start, end)
            if name == tag:
                break


def region(page: str, target: str, swap: str) -> str:
    assert target.startswith("#"), "targets are ids"
    finder = _Finder(page, target[1:])
    finder.feed(page)
    assert finder.found, f"{target} is not in the page"
    open_start, open_end, close_start, close_end = finder.found
    if swap == "innerHTML":
        return page[open_end:close_start]
    assert swap == "outerHTML", swap
    return page[open_start:close_end]


def normalized(html: str) -> str:
    html = CSRF.sub("TOKEN", html)
    # The one deliberate difference: a swapped-in region takes the focus (htmx honours
    # `autofocus` in new content), a page loaded whole starts at its top.
    html = html.replace(" autofocus", "")
    html = re.sub(r">\s+<", "><", html)
    return re.sub(r"\s+", " ", html).strip()


OOB = re.compile(r'<(\w+)[^>]*\bid="([^"]+)"[^>]*\shx-swap-oob="true"')


def out_of_band(fragment: str) -> tuple[str, dict[str, str]]:
    """The fragment without its out-of-band elements, and those elements by id (as the
    page must have them: without the hx-swap-oob attribute)."""
    elements = {}
    for match in OOB.finditer(fragment):
        outer = region(fragment, f"#{match[2]}", "outerHTML")
        elements[match[2]] = outer.replace(' hx-swap-oob="true"', "")
    for outer in elements.values():
        fragment = fragment.replace(outer.replace(">", ' hx-swap-oob="true">', 1), "", 1)
    return fragment, elements


def assert_swap_matches_page(client, url: str, *, target: str, swap: str, method="get", data=None):
    """The fragment is the target's region of the page; each out-of-band element it carries
    (`hx-swap-oob`, e.g. the emergency box) is that element of the page."""
    send = getattr(client, method)
    args = (url, data) if data is not None else (url,)
    page = send(*args)
    fragment = send(*args, headers=HTMX)
    assert fragment.status_code == page.status_code, (fragment.status_code, page.status_code)
    assert "<html" not in fragment.text, "an htmx request got the whole page"
    expected = normalized(region(page.text, target, swap))
    assert expected, f"{target} is empty in the page"
    rest, elements = out_of_band(fragment.text)
    assert normalized(rest) == expected
    for element_id, outer in elements.items():
        assert normalized(outer) == normalized(region(page.text, f"#{element_id}", "outerHTML"))


def assert_history_restore_gets_the_page(client, url: str):
    """Back after an htmx swap: htmx asks again with both headers and puts the answer in
    <body>, so it must be the whole page."""
    restored = client.get(url, headers=RESTORE)
    assert "<html" in restored.text and "</html>" in restored.text
