"""A form's data exactly as its page shows it: what a person posts without changing a thing.

    data = form_as_shown(client.get(url).text)

Reads the page's first `<form method="post">` (or the first that posts to `action`): each
field's name and value, checked boxes and
radios, selected options, textareas. A valid body for a POST test without writing the form's
fields (and formsets' management data) by hand.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = self.done = False
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            # The form that posts to `action` (an empty action posts to the page itself).
            self.inside = self.action is None or (attrs.get("action") or "") in ("", self.action)
        if not self.inside or not attrs.get("name") and tag not in ("option",):
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self._add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], []

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self._add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_as_shown(html: str, action: str | None = None) -> dict[str, list[str]]:
    reader = _FormReader(action)
    reader.feed(html)
    assert reader.data, "no <form method=post> with fields on the page"
    return reader.data
