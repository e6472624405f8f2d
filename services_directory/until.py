"""How long what a page says about *now* stays true.

A result card says « Ouvert · ferme à 17 h », « Prochain passage : demain à 9 h »,
« Prochaine séance : mardi… ». Those words change at known moments only: when a place
opens or closes, when a stop or a session begins or ends, and at midnight (« demain »
becomes « aujourd'hui », a notice starts). While a page is rendered, the code that writes
such words notes the next of those moments here (`note`); a view whose every word about
now is noted this way says so with `@true_until_noted`, and the public page cache then
keeps its page until the first noted moment instead of the end of the minute.

A view without the decorator keeps the minute rule: nothing changes for it.
"""

import datetime as dt
import functools
from contextvars import ContextVar

from .hours import local_now

# Inside a view that reads them: [the view's now, the earliest moment noted].
_noted: ContextVar[list | None] = ContextVar("true_until", default=None)
# The attribute the page cache reads on a response: seconds its words about now stay true.
RESPONSE_ATTRIBUTE = "true_for_seconds"


def note(moment: dt.datetime | None) -> None:
    """A moment (naive, local) when something the page says about now will change.
    Outside a view that reads them, and for a moment already past (a stop under way
    noted by its start), nothing to note."""
    noted = _noted.get()
    if moment is not None and noted is not None and noted[0] < moment < noted[1]:
        noted[1] = moment


def note_next_minute() -> None:
    """What the page says may change any minute (the services open right now)."""
    now = local_now()
    note(now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1))


def true_until_noted(view):
    """The view's words about now are all noted: its page stays true until the first
    noted moment, and never past midnight."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        now = local_now()
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
        noted = [now, midnight]
        token = _noted.set(noted)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _noted.reset(token)
        if getattr(response, RESPONSE_ATTRIBUTE, None) is None:
            seconds = int((noted[1] - now).total_seconds())
            setattr(response, RESPONSE_ATTRIBUTE, max(0, seconds))
        return response

    return wrapper


def seconds_true(response) -> int | None:
    """What a view noted for this response, or None (the minute rule applies)."""
    return getattr(response, RESPONSE_ATTRIBUTE, None)
