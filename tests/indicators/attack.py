"""An attacker for the secrecy tests: from what a table shows, try to recover hidden figures.

It knows what a reader knows: the shown figures, that published totals are sums, and what
the marks say (« < 5 »: 1 to 4; « s »: 5 or more; a figure not published: 0 or more). A
hidden figure is recovered when no other table consistent with all of it gives that
figure another value. The search is a plain depth-first enumeration with interval
pruning, independent of how indicators/secrecy.py chooses what to hide.
"""

from indicators.secrecy import MASKED, SECRET, THRESHOLD


class System:
    """Unknowns with bounds, and equations « sum of terms = constant »."""

    def __init__(self, ceiling: int):
        self.ceiling = ceiling
        self.bounds: dict[object, tuple[int, int]] = {}
        self.truth: dict[object, int] = {}
        self.equations: list[tuple[list, int]] = []

    def term(self, name, published, true_value: int, *, unpublished: bool = False):
        """A figure of an equation: its known value, or its name as an unknown."""
        if unpublished:
            self.bounds[name] = (0, self.ceiling)
            return name  # not published: nobody may say it is recovered
        if published is MASKED:
            self.bounds[name] = (1, THRESHOLD - 1)
        elif published is SECRET:
            self.bounds[name] = (THRESHOLD, self.ceiling)
        elif published is None:
            self.bounds[name] = (0, self.ceiling)
        else:
            assert published == true_value, "a shown figure must be the true one"
            return int(published)
        self.truth[name] = true_value
        return name

    def equation(self, parts: list, total) -> None:
        """parts and total are numbers (known) or unknown names."""
        known = sum(p for p in parts if not isinstance(p, tuple))
        names = [p for p in parts if isinstance(p, tuple)]
        if isinstance(total, tuple):
            self.equations.append(([*names, ("neg", total)], -known))
        else:
            self.equations.append((names, total - known))

    def recoverable(self) -> list:
        """The hidden figures that only one value fits."""
        return [name for name, value in self.truth.items() if not self._another(name, value)]

    def _another(self, name, value) -> bool:
        names = [name] + [other for other in self.bounds if other != name]
        return self._search(names, 0, {}, self.bounds, name, value)

    def _feasible(self, assigned: dict, bounds: dict) -> bool:
        for terms, constant in self.equations:
            low = high = 0
            for term in terms:
                sign, key = (-1, term[1]) if term[0] == "neg" else (1, term)
                if key in assigned:
                    low += sign * assigned[key]
                    high += sign * assigned[key]
                else:
                    lo, hi = bounds[key]
                    low += sign * (lo if sign > 0 else hi)
                    high += sign * (hi if sign > 0 else lo)
            if not low <= constant <= high:
                return False
        return True

    def _search(self, names, i, assigned, bounds, name, value) -> bool:
        if not self._feasible(assigned, bounds):
            return False
        if i == len(names):
            return assigned[name] != value
        key = names[i]
        low, high = bounds[key]
        for candidate in range(low, high + 1):
            if key == name and candidate == value:
                continue
            assigned[key] = candidate
            if self._search(names, i + 1, assigned, bounds, name, value):
                return True
            del assigned[key]
        return False
