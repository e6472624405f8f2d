import uuid
from functools import cached_property

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pathways.models import Pathway
from services_directory.forms import LenientFilterForm, SlugChoiceField
from services_directory.models import Commune, Facet, Need, Service, ServiceSearch
from services_directory.search import Query, analyse

from .models import AgeBand, FamilyAnswer, Origin, Referral, Situation, UnmetNeed

SERVICE_RESULTS = 20


def consent_text() -> str:
    """What the visitor agrees to, shown at the counter and stored with the consent."""
    return str(
        _(
            "J'accepte que mes nom et coordonnées soient transmis au service choisi, pour qu'il "
            "me contacte au sujet de cette orientation. Ils sont effacés %(days)s jours après la "
            "fin du suivi ; je peux demander à les faire effacer avant."
        )
        % {"days": settings.PERSONAL_DATA_RETENTION_DAYS}
    )


class CounterSearchForm(LenientFilterForm):
    q = forms.CharField(
        label=_("Besoin, parcours ou service"),
        help_text=_("Par exemple : crèche, garde, aide aux devoirs, emploi, CAF…"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("La recherche est trop longue (200 caractères au plus).")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    commune = SlugChoiceField(
        Commune.objects.all(), label=_("Commune de la personne"), empty_label=_("Toutes")
    )
    age = forms.ChoiceField(
        label=_("Âge de la personne concernée"),
        required=False,
        choices=[("", _("Tous les âges")), *AgeBand.choices],
        error_messages={
            "invalid_choice": _("« %(value)s » n'est pas une tranche d'âge : ignorée.")
        },
    )
    besoin = SlugChoiceField(Need.objects.all(), label=_("Besoin"), empty_label=_("Tous"))

    @cached_property
    def query(self) -> Query:
        """The words typed, read by the directory's engine (corrections, needs, danger)."""
        return analyse(self.valid_data().get("q", ""))

    def matching_needs(self) -> list[Need]:
        """The needs the words point to, most relevant first."""
        return self.query.matched_needs[:8]

    def matching_pathways(self):
        data = self.valid_data()
        if not data.get("q"):
            return []
        pathways = Pathway.objects.published()
        if data.get("age"):
            pathways = pathways.for_ages(*AgeBand.bounds(data["age"]))
        return pathways.matching(self.query, minimum=10)[:5]

    def documents(self):
        """Search documents of the published services matching the text, need, age and
        commune: most relevant first, the nearest first among equals (the directory's
        ranking), nearest first for a need alone."""
        data = self.valid_data()
        if not (data.get("q") or data.get("besoin")):
            return ServiceSearch.objects.none()
        documents = ServiceSearch.objects.all()
        if data.get("besoin"):
            documents = documents.with_facets(Facet.of(Facet.NEED, data["besoin"]))
        if data.get("age"):
            documents = documents.for_ages(*AgeBand.bounds(data["age"]))
        if data.get("q"):
            return documents.ranked(self.query, commune=data.get("commune"))
        if data.get("commune"):
            return documents.nearest_to(data["commune"])
        return documents.by_name()

    def first_services(self, limit: int = SERVICE_RESULTS) -> tuple[list[Service], bool]:
        """The first `limit` services and whether there are more: the ids (and distances)
        from the narrow search documents, then the services of this page by primary key."""
        data = self.valid_data()
        if not (data.get("q") or data.get("besoin")):
            return [], False
        documents = self.documents()
        if data.get("commune"):
            rows = list(documents.values_list("pk", "distance2")[: limit + 1])
        else:
            rows = [(pk, None) for pk in documents.values_list("pk", flat=True)[: limit + 1]]
        has_more = len(rows) > limit
        rows = rows[:limit]
        by_pk = Service.objects.published().filter(pk__in=[pk for pk, _d in rows]).for_listing()
        by_pk = by_pk.prefetch_related("needs").in_bulk()
        services = []
        for pk, distance2 in rows:
            if pk in by_pk:
                by_pk[pk].distance2 = distance2
                services.append(by_pk[pk])
        return services, has_more


class VisitorProfileForm(forms.Form):
    """What an orientation and an unmet need record of the visitor: anonymous on purpose."""

    commune = forms.ModelChoiceField(
        Commune.objects.all(),
        label=_("Commune de la personne"),
        required=False,
        empty_label=_("Non précisée"),
    )
    age_band = forms.ChoiceField(
        label=_("Âge de la personne concernée"),
        choices=[("", _("Non précisé")), *AgeBand.choices],
        required=False,
    )


class ReferralForm(VisitorProfileForm):
    # The page's order, which the error summary follows.
    field_order = ["idempotency_key", "previous", "services"]
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    previous = forms.IntegerField(widget=forms.HiddenInput, required=False)
    services = forms.ModelMultipleChoiceField(
        Service.objects.none(),
        label=_("Service(s) vers le(s)quel(s) vous orientez"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choisissez au moins un service."),
            "invalid_choice": _("Ce service n'est plus disponible : refaites la recherche."),
            "invalid_pk_value": _("Ce service n'est plus disponible : refaites la recherche."),
        },
    )
    situation = forms.ChoiceField(
        label=_("Situation"), choices=Situation.choices, initial=Situation.OTHER
    )
    needs = forms.ModelMultipleChoiceField(
        Need.objects.select_related("sector"),
        label=_("Besoin(s)"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un besoin.")},
    )
    origin = forms.ChoiceField(
        label=_("D'où vient la personne ?"),
        help_text=_("Le secteur ou le service qui l'a envoyée, ou qui la suit déjà."),
        choices=Origin.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez d'où vient la personne.")},
    )
    kind = forms.ChoiceField(
        label=_("Ce que vous faites"),
        choices=Referral.Kind.choices,
        widget=forms.RadioSelect,
        initial=Referral.Kind.ORIENTATION,
        error_messages={"required": _("Choisissez information, orientation ou mise en relation.")},
    )
    pathway = forms.ModelChoiceField(
        Pathway.objects.published().order_by("title"),
        label=_("Parcours type à remettre"),
        required=False,
        empty_label=_("Aucun"),
    )
    consent = forms.BooleanField(label=_("La personne a donné son accord"), required=False)
    name = forms.CharField(label=_("Nom de la personne"), max_length=120, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("Courriel"),
        required=False,
        error_messages={"invalid": _("Ce courriel n'est pas valide, par exemple nom@exemple.fr.")},
    )
    send_to = forms.EmailField(
        label=_("Envoyer la fiche à ce courriel (facultatif)"),
        help_text=_("Utilisé seulement pour l'envoi : il n'est pas conservé."),
        required=False,
        error_messages={"invalid": _("Ce courriel n'est pas valide, par exemple nom@exemple.fr.")},
    )

    def __init__(self, *args, service_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the services chosen from the search: a bounded list, never all 50,000.
        ids = [pk for pk in service_ids if str(pk).isdigit()][:10]
        self.fields["services"].queryset = (
            Service.objects.published()
            .filter(pk__in=ids)
            .select_related("partner")
            .order_by("name")
        )
        self.fields["idempotency_key"].initial = uuid.uuid4()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = [ch for ch in phone if ch.isdigit()]
        if phone and not 6 <= len(digits) <= 15:
            raise forms.ValidationError(_("Ce numéro de téléphone n'est pas valide."))
        return phone

    def clean(self):
        data = super().clean()
        has_contact = any(data.get(name) for name in ("name", "phone", "email"))
        consent = data.get("consent")
        if data.get("kind") == Referral.Kind.CONNECTION:
            if not consent:
                self.add_error(
                    "consent",
                    _(
                        "Une mise en relation demande l'accord de la personne : cochez la case "
                        "après le lui avoir lu, ou choisissez « Orientation »."
                    ),
                )
            if not data.get("name"):
                self.add_error("name", _("Indiquez le nom de la personne à contacter."))
            if not (data.get("phone") or data.get("email")):
                self.add_error("phone", _("Indiquez un téléphone ou un courriel."))
        elif has_contact and not consent:
            self.add_error(
                "consent",
                _(
                    "Sans l'accord de la personne, ne notez ni nom ni coordonnées : cochez la "
                    "case ou videz ces champs."
                ),
            )
        return data

    def batch_data(self) -> dict:
        """What Referral.objects.create_batch records from this form."""
        data = self.cleaned_data
        contact = None
        # Nothing personal without the consent the adviser has just read to the person.
        if data["consent"] and data["name"]:
            contact = {
                "consent_text": consent_text(),
                "name": data["name"],
                "phone": data["phone"],
                "email": data["email"],
            }
        return {
            "batch": data["idempotency_key"],
            "services": data["services"],
            "kind": data["kind"],
            "origin": data["origin"],
            "needs": data["needs"],
            "commune": data["commune"],
            "age_band": data["age_band"],
            "situation": data["situation"],
            "pathway": data["pathway"],
            "contact": contact,
        }

    @property
    def consent_text(self) -> str:
        return consent_text()

    @property
    def consent_date(self):
        return timezone.localdate()


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nouveau statut"),
        choices=Referral.Status.choices,
        error_messages={"invalid_choice": _("Ce statut n'existe pas.")},
    )
    reason = forms.ChoiceField(
        label=_("Motif"), choices=[("", _("Choisir…")), *Referral.Reason.choices], required=False
    )
    note = forms.CharField(
        label=_("Commentaire (facultatif)"),
        help_text=_("Pas de détail sur la santé ou la vie privée ; effacé avec les coordonnées."),
        max_length=300,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("status") in Referral.NEEDS_REASON and not data.get("reason"):
            self.add_error("reason", _("Choisissez un motif pour un refus ou un « sans suite »."))
        return data


class FamilyAnswerForm(forms.Form):
    received = forms.ChoiceField(
        label=_("Avez-vous pu être reçu ?"),
        choices=FamilyAnswer.Received.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites-nous si vous avez pu être reçu.")},
    )
    satisfaction = forms.ChoiceField(
        label=_("Êtes-vous satisfait de l'orientation ?"),
        choices=FamilyAnswer.Satisfaction.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    clarity = forms.TypedChoiceField(
        label=_("Les informations données étaient-elles claires ?"),
        help_text=_("De 1 (pas claires du tout) à 5 (très claires)."),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )


class UnmetNeedForm(VisitorProfileForm):
    field_order = ["idempotency_key", "need", "reason"]
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    need = forms.ModelChoiceField(
        Need.objects.select_related("sector"),
        label=_("Besoin"),
        empty_label=_("Choisir…"),
        error_messages={"required": _("Choisissez le besoin.")},
    )
    reason = forms.ChoiceField(
        label=_("Pourquoi rien ne convient"),
        choices=UnmetNeed.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une raison.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4()


class SendHandoutForm(forms.Form):
    email = forms.EmailField(
        label=_("Courriel de la personne"),
        help_text=_("Utilisé seulement pour cet envoi : il n'est pas conservé."),
        error_messages={
            "required": _("Indiquez un courriel."),
            "invalid": _("Ce courriel n'est pas valide, par exemple nom@exemple.fr."),
        },
    )
