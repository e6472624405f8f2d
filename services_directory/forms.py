import re
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from .hours import local_now
from .models import Commune, Facet, Language, Need, Sector, Service, ServiceSearch
from .pagination import WindowCountPaginator
from .search import Query, analyse

MODALITIES = {
    "sur-place": ("on_site", _("Sur place")),
    "itinerant": ("itinerant", _("Itinérant (bus, permanences)")),
    "collectif": ("collective", _("Temps collectifs, ateliers")),
    "distance": ("remote", _("À distance (téléphone, visio)")),
}


_SLUG = re.compile(r"[-\w]{1,200}")


def looks_like_slug(value: str) -> bool:
    """A tampered value (NUL byte, 10 000 characters…) is unknown without asking the database."""
    return bool(_SLUG.fullmatch(value))


class SlugChoiceField(forms.ModelChoiceField):
    """A choice by slug (or code), with a French message that names the unknown value."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("« %(value)s » n'est pas un choix possible : filtre ignoré.")},
        )
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not looks_like_slug(str(value)):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:40]},
            )
        return super().to_python(value)


class LenientFilterForm(forms.Form):
    """Filters from the URL: a bad value is explained and ignored, the others still apply
    (a stale shared link loses nothing)."""

    def valid_data(self) -> dict:
        """The cleaned values of the valid, non-empty fields."""
        self.is_valid()
        return {
            name: value for name, value in self.cleaned_data.items() if value not in ("", None)
        }


class ServiceSearchForm(LenientFilterForm):
    q = forms.CharField(
        label=_("Que cherchez-vous ?"),
        help_text=_("Par exemple : crèche, aide aux devoirs, emploi, CAF…"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _("Votre recherche est trop longue (200 caractères au plus).")
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    commune = SlugChoiceField(
        Commune.objects.all(), label=_("Votre commune"), empty_label=_("Toutes les communes")
    )
    secteur = SlugChoiceField(
        Sector.objects.all(), label=_("Domaine"), empty_label=_("Tous les domaines")
    )
    besoin = SlugChoiceField(
        Need.objects.select_related("sector"), label=_("Besoin"), empty_label=_("Tous les besoins")
    )
    age = forms.IntegerField(
        label=_("Âge de l'enfant ou du jeune"),
        help_text=_("En années, de 0 à 99."),
        required=False,
        min_value=0,
        max_value=99,
        error_messages={
            "invalid": _("L'âge doit être un nombre d'années : filtre ignoré."),
            "min_value": _("L'âge ne peut pas être négatif : filtre ignoré."),
            "max_value": _("L'âge doit être inférieur à 100 ans : filtre ignoré."),
        },
    )
    modalite = forms.ChoiceField(
        label=_("Façon d'être accueilli"),
        required=False,
        choices=[("", _("Toutes"))] + [(key, label) for key, (_f, label) in MODALITIES.items()],
        error_messages={
            "invalid_choice": _("« %(value)s » n'est pas un choix possible : filtre ignoré.")
        },
    )
    langue = SlugChoiceField(
        Language.objects.all(),
        to_field_name="code",
        label=_("Langue parlée"),
        empty_label=_("Toutes les langues"),
    )
    tri = forms.ChoiceField(
        label=_("Ordre des résultats"),
        required=False,
        choices=[
            ("", _("Les plus pertinents d'abord")),
            ("distance", _("Les plus proches d'abord")),
        ],
        error_messages={
            "invalid_choice": _("« %(value)s » n'est pas un ordre possible : ordre ignoré.")
        },
    )
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    samedi = forms.BooleanField(label=_("Ouvert le samedi"), required=False)
    soir = forms.BooleanField(label=_("Ouvert après 18 h"), required=False)
    midi = forms.BooleanField(label=_("Ouvert entre midi et deux"), required=False)
    gratuit = forms.BooleanField(label=_("Gratuit"), required=False)

    @cached_property
    def query(self) -> Query:
        """The words typed, as the engine reads them (corrections, needs, danger)."""
        return analyse(self.valid_data().get("q", ""))

    def search(self):
        """The matching search documents, ordered; `distance2` when a commune is chosen.

        With words: most relevant first (ServiceSearchQuerySet.ranked), nearest first
        among equals, or nearest first of all when asked. Without: nearest first, or by
        name. Every filter but age and "open now" is a facet word: on PostgreSQL the text
        and the filters are one GIN index scan (see ServiceSearch).
        """
        data = self.valid_data()
        documents = ServiceSearch.objects.all()
        facets = [
            Facet.of(kind, data[name])
            for name, kind in (
                ("secteur", Facet.SECTOR),
                ("besoin", Facet.NEED),
                ("langue", Facet.LANGUAGE),
            )
            if data.get(name)
        ]
        if data.get("modalite"):
            facets.append(Facet.MODALITIES[MODALITIES[data["modalite"]][0]])
        for name, word in (
            ("samedi", Facet.SATURDAY),
            ("soir", Facet.EVENING),
            ("midi", Facet.LUNCHTIME),
            ("gratuit", Facet.FREE),
        ):
            if data.get(name):
                facets.append(word)
        documents = documents.with_facets(*facets)
        if data.get("age") is not None:
            documents = documents.for_age(data["age"])
        if data.get("ouvert"):
            documents = documents.open_at(local_now())
        commune = data.get("commune")
        # The total is counted apart from the page, on the same rows without their score
        # nor distance: a count reads the GIN index only, and a page without words is
        # read in order from an index (the distances', or the names') and stops at 20.
        if data.get("q"):
            if not self.query:
                return documents.none()
            by_distance = data.get("tri") == "distance"
            ranked = documents.ranked(self.query, commune=commune, by_distance=by_distance)
            self.counted = ranked
            return ranked
        if commune:
            self.counted = documents.serving(commune)
            return documents.nearest_to(commune)
        self.counted = documents
        return documents.by_name()

    counted = None

    def results_page(self, number, per_page: int):
        """One page of published services, loaded by primary key with what a card shows."""
        documents = self.search()
        carry = ("distance2",) if self.valid_data().get("commune") else ()
        paginator = WindowCountPaginator(
            documents, per_page, load=_services_for_listing, carry=carry, counted=self.counted
        )
        return paginator.get_page(number)

    @property
    def active_filter_count(self) -> int:
        """The panel's filters really set (an unticked box is no filter)."""
        data = self.valid_data()
        shown = ("q", "tri", "commune")  # the words, the order, the commune: outside the panel
        return sum(1 for name, value in data.items() if name not in shown and value)

    def without_filters_url(self) -> str:
        """The same words without any filter: what to try when the filters find nothing."""
        data = self.valid_data()
        return f"?{urlencode({'q': data['q']})}" if data.get("q") else "?"


def _services_for_listing(ids):
    return Service.objects.published().filter(pk__in=ids).for_listing().prefetch_related("needs")
