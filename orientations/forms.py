import uuid
from functools import cached_property

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pathways.models import Pathway
from services_directory.forms import LenientFilterForm, SlugChoiceField
from services_directory.ids import pk_or_none, pks
from services_directory.models import (
    Commune,
    Facet,
    Need,
    Service,
    ServiceSearch,
    StaffProfile,
)
from services_directory.phones import validate_phone
from services_directory.search import Query, analyse

from .models import AgeBand, FamilyAnswer, Origin, Referral, Situation, UnmetNeed

SERVICE_RESULTS = 20
# The services one visit (one sheet) may hold.
MAX_SERVICES = 10


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
    family_language = forms.ChoiceField(
        label=_("Langue de la famille"),
        help_text=_(
            "La fiche, la page de suivi et les courriels à la famille sont dans cette langue, "
            "avec le français en dessous pour le service qui la reçoit."
        ),
        choices=lambda: settings.LANGUAGES,
        initial="fr",
        required=False,
    )
    send_to = forms.EmailField(
        label=_("Envoyer la fiche à ce courriel (facultatif)"),
        help_text=_(
            "Utilisé seulement pour cet envoi, et effacé avec les messages envoyés après la "
            "durée de conservation."
        ),
        required=False,
        error_messages={"invalid": _("Ce courriel n'est pas valide, par exemple nom@exemple.fr.")},
    )

    def __init__(self, *args, service_ids=(), origins=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the services chosen from the search: a bounded list, never all 50,000.
        ids = pks(service_ids, MAX_SERVICES)
        self.fields["services"].queryset = (
            Service.objects.published()
            .filter(pk__in=ids)
            .select_related("partner")
            .prefetch_related("needs")
            .order_by("name")
        )
        self.fields["idempotency_key"].initial = uuid.uuid4()
        # A partner's professional orients from its own sector(s): the origin is set.
        self.origins = list(origins)
        if self.origins:
            self.fields["origin"].choices = [
                (code, label) for code, label in Origin.choices if code in self.origins
            ]
            self.fields["origin"].initial = self.origins[0]
        # With several services (a visit with several needs), each has its own kind.
        self.services = list(self.fields["services"].queryset)
        for service in self.services:
            service.need_ids = {need.pk for need in service.needs.all()}
            self.fields[f"kind_{service.pk}"] = forms.ChoiceField(
                label=service.name,
                choices=Referral.Kind.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"age_{service.pk}"] = forms.ChoiceField(
                label=_("Âge de la personne concernée"),
                choices=[("", _("Non précisé")), *AgeBand.choices],
                required=False,
            )

    def service_rows(self):
        """Each chosen service with its own kind (and hidden age) field."""
        return [
            (service, self[f"kind_{service.pk}"], self[f"age_{service.pk}"])
            for service in self.services
        ]

    def kinds(self) -> dict[int, str]:
        data = self.cleaned_data
        return {
            service.pk: data.get(f"kind_{service.pk}") or data.get("kind") or ""
            for service in data.get("services") or []
        }

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        validate_phone(phone)
        return phone

    def clean(self):
        data = super().clean()
        has_contact = any(data.get(name) for name in ("name", "phone", "email"))
        consent = data.get("consent")
        if Referral.Kind.CONNECTION in self.kinds().values():
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
        # In a visit with several needs, each service gets the needs it answers (all the
        # visit's needs when none of them is its own), its kind and its visitor's age.
        per_service = {}
        kinds = self.kinds()
        need_ids = {service.pk: service.need_ids for service in self.services}
        for service in data["services"]:
            own = [need for need in data["needs"] if need.pk in need_ids[service.pk]]
            per_service[service.pk] = {
                "kind": kinds[service.pk],
                "needs": own or list(data["needs"]),
                "age_band": data.get(f"age_{service.pk}") or data["age_band"],
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
            "per_service": per_service,
            "family_language": data["family_language"] or "fr",
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
    """The family's answer on a followed orientation. The page shows every field in
    order, so a new question is one more field here (and on FamilyAnswer)."""

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
    # The continuity of support, asked plainly (indicator « sécurité et continuité »).
    continuity = forms.ChoiceField(
        label=_("Vous êtes-vous senti·e suivi·e ?"),
        help_text=_("Par exemple : vous n'avez pas eu à répéter votre situation à chaque fois."),
        choices=FamilyAnswer.Continuity.choices,
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
        help_text=_(
            "Utilisé seulement pour cet envoi, et effacé avec les messages envoyés après la "
            "durée de conservation."
        ),
        error_messages={
            "required": _("Indiquez un courriel."),
            "invalid": _("Ce courriel n'est pas valide, par exemple nom@exemple.fr."),
        },
    )


class FamilyLanguageForm(forms.Form):
    """The family's language, picked by the adviser on the sheet (one button a language)."""

    langue = forms.ChoiceField(
        label=_("Langue de la famille"),
        choices=lambda: settings.LANGUAGES,
        error_messages={"invalid_choice": _("Cette langue n'est pas proposée.")},
    )


class InformationAnswerForm(forms.Form):
    """An information-only orientation is not followed: the family says if it helped."""

    helped = forms.ChoiceField(
        label=_("Ces informations vous ont-elles aidé ?"),
        choices=[("oui", _("Oui")), ("non", _("Non"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites-nous si ces informations vous ont aidé.")},
    )


def answer_form_for(referral: Referral, *args, **kwargs) -> forms.Form:
    """The family's questions for this orientation; the ids name its number (a visit shows
    several forms on one page)."""
    form_class = (
        InformationAnswerForm if referral.kind == Referral.Kind.INFORMATION else FamilyAnswerForm
    )
    form = form_class(*args, auto_id=f"o{referral.pk}_%s", **kwargs)
    if referral.status in Referral.FAILED_STATUSES:
        # The service refused, dropped or never answered: the page already says so and
        # what to do next; asking « Avez-vous pu être reçu ? » would contradict it.
        form.fields.pop("received", None)
    return form


class CallbackForm(forms.Form):
    """« Rappelez-moi »: a phone number only if the counter has none for this family."""

    phone = forms.CharField(
        label=_("Votre numéro de téléphone (facultatif)"),
        help_text=_("Seulement si vous voulez qu'on vous rappelle à ce numéro."),
        max_length=30,
        required=False,
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        validate_phone(phone)
        return phone


class LinkAnswerForm(forms.Form):
    """The partner's answer through its e-mailed link: three choices, a coded reason."""

    TAKEN, REFUSED, NOT_FOR_US = "pris_en_charge", "refuse", "pas_pour_nous"
    answer = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[
            (TAKEN, _("Pris en charge")),
            (REFUSED, _("Refusé")),
            (NOT_FOR_US, _("Ce n'est pas pour nous")),
        ],
        error_messages={"required": _("Choisissez une réponse.")},
    )
    reason = forms.ChoiceField(
        label=_("Motif du refus"),
        choices=[
            ("", _("Choisir…")),
            *[
                (value, label)
                for value, label in Referral.Reason.choices
                if value != Referral.Reason.WRONG_SERVICE
            ],
        ],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.REFUSED and not data.get("reason"):
            self.add_error("reason", _("Choisissez le motif du refus."))
        return data

    def move(self) -> tuple[str, str]:
        """The status and reason this answer sets."""
        answer = self.cleaned_data["answer"]
        if answer == self.TAKEN:
            return Referral.Status.TAKEN, ""
        if answer == self.NOT_FOR_US:
            return Referral.Status.REFUSED, Referral.Reason.WRONG_SERVICE
        return Referral.Status.REFUSED, self.cleaned_data["reason"]


class NotifyForm(forms.Form):
    notify = forms.ChoiceField(
        label=_("Être prévenu des orientations reçues"),
        choices=StaffProfile.Notify.choices,
        widget=forms.RadioSelect,
    )


class WorklistForm(LenientFilterForm):
    """The adviser's worklist filters, from the URL (a bad value is ignored)."""

    LISTS = {
        "rappel": _("Rappelez-moi"),
        "risque": _("Risque de rupture"),
        "attente": _("Sans réponse"),
    }
    q = forms.CharField(
        label=_("N° ou nom"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    liste = forms.ChoiceField(
        label=_("Liste"), choices=[("", _("Toutes")), *LISTS.items()], required=False
    )
    statut = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous")), *Referral.Status.choices], required=False
    )
    service = forms.TypedChoiceField(
        label=_("Service destinataire"), coerce=int, required=False, empty_value=None
    )
    du = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    au = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Tous")), *services]

    def filter(self, referrals, *, waiting_days: int, search_names: bool):
        """The orientations matching the valid filters; a name is searched only where the
        person may see names (`search_names`)."""
        data = self.valid_data()
        lists = {
            "rappel": referrals.callbacks(),
            "risque": referrals.at_risk(),
            "attente": referrals.waiting_since(waiting_days),
        }
        if data.get("liste"):
            referrals = lists[data["liste"]]
        if data.get("statut"):
            referrals = referrals.filter(status=data["statut"])
        if data.get("service"):
            referrals = referrals.filter(service_id=data["service"])
        if data.get("du"):
            referrals = referrals.filter(created_at__date__gte=data["du"])
        if data.get("au"):
            referrals = referrals.filter(created_at__date__lte=data["au"])
        query = data.get("q", "").strip().lstrip("nN°º ").strip()
        if pk_or_none(query):
            referrals = referrals.filter(pk=pk_or_none(query))
        elif query and search_names:
            referrals = referrals.filter(contact__name__icontains=query)
        elif query:
            referrals = referrals.none()
        return referrals
