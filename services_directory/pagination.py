from collections.abc import Callable, Iterable

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Window

# Beyond this offset a page number is nonsense: let the plain paginator pick the last page.
MAX_OFFSET = 100_000


class WindowCountPaginator(Paginator):
    """Pages a large filtered queryset in two short queries instead of a count and a page.

    1. A narrow query (ids and sort keys only) returns the page's ids with the total
       (COUNT(*) OVER ()), so the matching rows are scanned once and never materialised
       whole.
    2. The page's rows are then loaded by primary key: by `load(ids)` when given (e.g. the
       services behind search documents), else from the queryset itself. Annotations named
       in `carry` (e.g. a distance) are copied from the first query onto the loaded objects.

    An empty or absurd page asks for the count and falls back to the last page.

    `counted`, a cheaper queryset of the same rows (without score, distance or order),
    is counted apart instead: the directory's search does so, because its page can stop
    early (read in order from an index) or must score every match anyway, while a count
    reads the GIN index alone.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        load: Callable[[list], Iterable] | None = None,
        carry: tuple[str, ...] = (),
        counted=None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.load = load or (lambda ids: self.object_list.filter(pk__in=ids))
        self.carry = carry
        self.counted = counted

    def get_page(self, number) -> Page:
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        if (number - 1) * self.per_page <= MAX_OFFSET:
            rows = self._rows(number)
            if rows:
                self.__dict__["count"] = rows[0][1]  # Paginator.count is a cached_property
                return self._page_of(rows, number)
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return self._page_of(self._rows(number), number)

    def _rows(self, number: int) -> list[tuple]:
        bottom = (number - 1) * self.per_page
        if self.counted is not None:
            rows = self.object_list.values_list("pk", *self.carry)[bottom : bottom + self.per_page]
            rows = list(rows)
            total = self.counted.count() if rows else 0
            return [(pk, total, *carried) for pk, *carried in rows]
        counted = self.object_list.annotate(_total=Window(Count("pk")))
        return list(
            counted.values_list("pk", "_total", *self.carry)[bottom : bottom + self.per_page]
        )

    def _page_of(self, rows: list[tuple], number: int) -> Page:
        ids = [row[0] for row in rows]
        loaded = {obj.pk: obj for obj in self.load(ids)} if ids else {}
        objects = []
        for pk, _total, *carried in rows:
            if pk in loaded:
                obj = loaded[pk]
                for name, value in zip(self.carry, carried, strict=True):
                    setattr(obj, name, value)
                objects.append(obj)
        return self._get_page(objects, number, self)
