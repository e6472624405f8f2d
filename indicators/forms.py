import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services_directory.forms import SlugChoiceField
from services_directory.models import Commune, Sector, Territory

from .metrics import Scope
from .models import ProfessionalResponse
from .periods import Period, PeriodError, period_choices

CUSTOM = "perso"


class DashboardFilterForm(forms.Form):
    """Period, commune and sector, from the URL. A bad value is explained and ignored."""

    periode = forms.CharField(label=_("Période"), required=False)
    du = forms.DateField(
        label=_("Du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Date de début non comprise : écrivez par exemple 15/01/2026.")
        },
    )
    au = forms.DateField(
        label=_("Au (inclus)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Date de fin non comprise : écrivez par exemple 31/03/2026.")
        },
    )
    commune = SlugChoiceField(
        Commune.objects.none(),
        label=_("Commune"),
        empty_label=_("Toutes les communes"),
        error_messages={
            "invalid_choice": _(
                "« %(value)s » n'est pas une commune du territoire : filtre ignoré."
            )
        },
    )
    secteur = SlugChoiceField(
        Sector.objects.all(),
        label=_("Secteur"),
        empty_label=_("Tous les secteurs"),
        error_messages={
            "invalid_choice": _("« %(value)s » n'est pas un secteur connu : filtre ignoré.")
        },
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["periode"].widget = forms.Select(choices=period_choices(self.today))
        territory = Territory.objects.current()
        self.fields["commune"].queryset = Commune.objects.filter(territory=territory).order_by(
            "name"
        )

    def clean_periode(self) -> str:
        code = self.cleaned_data["periode"].strip()
        if code and code != CUSTOM:
            try:
                Period.parse(code)
            except PeriodError as error:
                raise forms.ValidationError(str(error)) from None
        return code

    def clean(self):
        data = super().clean()
        if data.get("periode") == CUSTOM and "du" in data and "au" in data:
            if not (data["du"] and data["au"]):
                self.add_error(
                    "du", _("Indiquez la date de début et la date de fin de la période.")
                )
            else:
                try:
                    Period.custom(data["du"], data["au"])
                except PeriodError as error:
                    self.add_error("au", str(error))
        return data

    def period(self) -> Period:
        """The chosen period, or the current year when the choice is missing or wrong."""
        data = getattr(self, "cleaned_data", {})
        code = data.get("periode") if "periode" not in self.errors else ""
        if code == CUSTOM:
            if not ({"du", "au"} & set(self.errors)) and data.get("du") and data.get("au"):
                return Period.custom(data["du"], data["au"])
            return Period.default(self.today)
        if code:
            return Period.parse(code)
        return Period.default(self.today)

    def scope(self) -> Scope:
        data = getattr(self, "cleaned_data", {})
        return Scope(
            period=self.period(),
            commune=data.get("commune") if "commune" not in self.errors else None,
            sector=data.get("secteur") if "secteur" not in self.errors else None,
        )


def scope_query(scope: Scope) -> dict:
    """The GET parameters that select a scope: for links between pages and exports."""
    query = scope.period.query()
    if scope.commune:
        query["commune"] = scope.commune.slug
    if scope.sector:
        query["secteur"] = scope.sector.slug
    return query


def _scale_field(label, help_text, required_message):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=ProfessionalResponse.SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choisissez une note de 1 à 5."),
        },
    )


class ProfessionalResponseForm(forms.ModelForm):
    readability = _scale_field(
        _(
            "Les parcours (à qui s'adresser, pour quel besoin, à quel moment) sont-ils "
            "lisibles pour vous et pour les personnes que vous recevez ?"
        ),
        _("De 1 (pas du tout lisibles) à 5 (tout à fait lisibles)."),
        _("Choisissez une note de 1 à 5 pour la lisibilité."),
    )
    coordination = _scale_field(
        _("Comment jugez-vous la coordination entre les services du territoire ?"),
        _("De 1 (très insuffisante) à 5 (très bonne)."),
        _("Choisissez une note de 1 à 5 pour la coordination."),
    )

    class Meta:
        model = ProfessionalResponse
        fields = ["readability", "coordination", "comment"]
        labels = {"comment": _("Un commentaire, une difficulté, une idée ? (facultatif)")}
        help_texts = {
            "comment": _(
                "Vos réponses sont lues sans votre nom. N'écrivez pas de données personnelles "
                "(nom, situation d'une famille)."
            ),
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
