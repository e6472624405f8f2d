from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

# Beyond this offset a page number is nonsense: let the plain paginator pick the last page.
MAX_OFFSET = 100_000


class WindowCountPaginator(Paginator):
    """Pages a large filtered queryset in two short queries instead of a count and a page.

    1. A narrow query (ids and sort keys only) returns the page's ids with the total
       (COUNT(*) OVER ()), so the matching rows are scanned once and never materialised
       whole.
    2. The page's rows are then loaded by primary key, with their select/prefetch_related.

    Falls back to Django's paginator (a separate COUNT) when the page is empty or absurd.
    """

    def get_page(self, number) -> Page:
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if bottom <= MAX_OFFSET:
            counted = self.object_list.annotate(_total=Window(Count("pk"))).values_list(
                "pk", "_total"
            )
            rows = list(counted[bottom : bottom + self.per_page])
            if rows:
                self.__dict__["count"] = rows[0][1]  # Paginator.count is a cached_property
                ids = [pk for pk, _total in rows]
                loaded = {obj.pk: obj for obj in self.object_list.filter(pk__in=ids)}
                return self._get_page([loaded[pk] for pk in ids if pk in loaded], number, self)
        return super().get_page(number)
