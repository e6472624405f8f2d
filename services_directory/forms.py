import math

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .hours import local_now
from .models import Commune, Language, Need, Sector, Service

MODALITIES = {
    "sur-place": ("on_site", _("Sur place")),
    "itinerant": ("itinerant", _("Itinérant (bus, permanences)")),
    "collectif": ("collective", _("Temps collectifs, ateliers")),
    "distance": ("remote", _("À distance (téléphone, visio)")),
}


class SlugChoiceField(forms.ModelChoiceField):
    """A choice by slug, with a French message that names the unknown value."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("« %(value)s » n'est pas un choix possible : filtre ignoré.")},
        )
        super().__init__(queryset, **kwargs)


class ServiceSearchForm(forms.Form):
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
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    samedi = forms.BooleanField(label=_("Ouvert le samedi"), required=False)
    soir = forms.BooleanField(label=_("Ouvert après 18 h"), required=False)
    midi = forms.BooleanField(label=_("Ouvert entre midi et deux"), required=False)
    gratuit = forms.BooleanField(label=_("Gratuit"), required=False)

    def valid_data(self) -> dict:
        """The cleaned values of the fields that are valid: a bad filter loses nothing else."""
        self.is_valid()
        return {
            name: value for name, value in self.cleaned_data.items() if value not in ("", None)
        }

    def search(self):
        data = self.valid_data()
        services = Service.objects.published()
        if data.get("q"):
            services = services.matching_text(data["q"])
        if data.get("secteur"):
            services = services.in_sector(data["secteur"])
        if data.get("besoin"):
            services = services.answering(data["besoin"])
        if data.get("age") is not None:
            services = services.for_age(data["age"])
        if data.get("modalite"):
            services = services.filter(**{MODALITIES[data["modalite"]][0]: True})
        if data.get("langue"):
            services = services.speaking(data["langue"])
        if data.get("ouvert"):
            services = services.open_at(local_now())
        if data.get("samedi"):
            services = services.filter(open_saturday=True)
        if data.get("soir"):
            services = services.filter(open_evening=True)
        if data.get("midi"):
            services = services.filter(open_lunchtime=True)
        if data.get("gratuit"):
            services = services.filter(cost=Service.Cost.FREE)
        commune = data.get("commune")
        if commune:
            services = services.reaching(commune)
            return services.order_by(F("distance2").asc(nulls_last=True), "name", "pk")
        return services.order_by("name", "pk")

    @property
    def active_filter_count(self) -> int:
        data = self.valid_data()
        return sum(1 for name in data if name != "q")


def annotate_for_display(services, now=None) -> None:
    """Distance in km and live status of the first place, for one page of results."""
    now = now or local_now()
    for service in services:
        distance2 = getattr(service, "distance2", None)
        service.distance_km = math.sqrt(distance2) if distance2 is not None else None
        place = service.first_place
        service.status_now = place.live_status(now) if place else None
