"""The visit basket: what the counter gathers for one visitor across several searches.

A visitor with three needs makes three searches; the services chosen in each, with the
need searched and the age of the person concerned, wait here (in the staff session, on the
server: no JavaScript needed) until the adviser records them all at once, as one visit
with one sheet and one follow-up link. The commune and age carry over from one search to
the next. Nothing personal is kept here: names and consent are typed once, in the form that
records the visit.
"""

from services_directory.ids import pk_or_none

from .forms import MAX_SERVICES


class VisitBasket:
    SESSION_KEY = "orientations.visit"

    def __init__(self, session):
        self.session = session
        data = session.get(self.SESSION_KEY) or {}
        self.items: list[dict] = [
            item for item in data.get("items", []) if pk_or_none(item.get("service"))
        ]
        self.commune: str = data.get("commune", "")
        self.age: str = data.get("age", "")

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def service_ids(self) -> list[int]:
        return [int(item["service"]) for item in self.items]

    @property
    def need_slugs(self) -> list[str]:
        return [item["need"] for item in self.items if item.get("need")]

    def age_of(self, service_id: int) -> str:
        for item in self.items:
            if int(item["service"]) == service_id:
                return item.get("age", "")
        return ""

    def add(self, needs_by_service: dict, *, age: str = "", commune: str = "") -> int:
        """Adds the services not in the visit yet, each with the need (slug) it was chosen
        for; returns how many were added."""
        added = 0
        for service_id, need in needs_by_service.items():
            if service_id in self.service_ids or len(self.items) >= MAX_SERVICES:
                continue
            self.items.append({"service": service_id, "need": need, "age": age})
            added += 1
        self.commune = commune or self.commune
        self.age = age or self.age
        self._save()
        return added

    def remove(self, service_id: int) -> None:
        self.items = [item for item in self.items if int(item["service"]) != service_id]
        self._save()

    def clear(self) -> None:
        self.session.pop(self.SESSION_KEY, None)
        self.items, self.commune, self.age = [], "", ""

    def _save(self) -> None:
        self.session[self.SESSION_KEY] = {
            "items": self.items,
            "commune": self.commune,
            "age": self.age,
        }
