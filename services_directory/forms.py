import datetime as dt
import json
import re
import threading
from collections import OrderedDict
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import models, transaction
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import spoken, translations, versions
from .hours import local_now
from .models import (
    Commune,
    ErrorReport,
    Facet,
    FreshnessRequest,
    GroupSession,
    ItinerantStop,
    Language,
    Need,
    Notice,
    Place,
    Sector,
    Service,
    ServiceChange,
    ServicePlace,
    ServiceSearch,
)
from .pagination import WindowCountPaginator
from .search import Query, analyse
from .templatetags.content import as_text

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


class RememberedChoiceIterator(ModelChoiceIterator):
    """The options of a list of communes, domains, needs or languages, read and named
    once per content version and language (services_directory.versions), not on every
    page that shows the filter form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = self.memo_key()
        if key is None:
            yield from (self.choice(obj) for obj in self.objects())
            return
        yield from versions.remembered(key, lambda: [self.choice(o) for o in self.objects()])

    def memo_key(self) -> tuple | None:
        """What decides the options: the field's kind (its labels), its query and its empty
        label. None outside the content, which no content version would renew."""
        if self.queryset.model._meta.app_label not in versions.CONTENT_APPS:
            return None
        if not hasattr(self, "_memo_key"):
            field = self.field
            self._memo_key = ("choices", type(field).__name__, field.query_key())
        return self._memo_key

    def objects(self) -> list:
        return list(self.queryset)


class RememberedSelect(forms.Select):
    """A list of communes, domains, needs or languages written once per content version,
    language, selected value and attributes, then reused: Django builds and renders each
    option through its template engine, which was most of an uncached `/annuaire/`."""

    def render(self, name, value, attrs=None, renderer=None):
        memo_key = getattr(self.choices, "memo_key", None)
        key = memo_key() if memo_key else None
        chosen = "" if value is None else str(value)
        # A value that is none of the options (a tampered or stale link) is written once
        # and never kept: no memory for each of them.
        if key is None or (chosen and chosen not in self._values(key)):
            return super().render(name, value, attrs, renderer)
        key = (
            "select",
            *key,
            self.template_name,
            name,
            chosen,
            tuple(sorted((k, str(v)) for k, v in {**self.attrs, **(attrs or {})}.items())),
        )
        parent = super()
        return versions.remembered(key, lambda: parent.render(name, value, attrs, renderer))

    def _values(self, key: tuple) -> frozenset:
        return versions.remembered(
            ("values", *key), lambda: frozenset(str(value) for value, _label in self.choices)
        )


class TranslatedChoiceIterator(RememberedChoiceIterator):
    """The options with their translations read at once (one query per list, not one
    per option), in the page's language."""

    def objects(self) -> list:
        objects = list(self.queryset)
        translations.attach(objects)
        return objects


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

    iterator = RememberedChoiceIterator
    widget = RememberedSelect
    _query_key = None

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self._query_key = None

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        # Each form copies its declared fields: the query's text is worked out once, on
        # the declared field, and travels with the copies (the same query, cloned).
        key = self.query_key()
        result = super().__deepcopy__(memo)
        result._query_key = key
        return result

    def query_key(self) -> str:
        """What decides the options: the query, and the empty choice's label."""
        if self._query_key is None:
            try:
                query = str(self.queryset.query)
            except EmptyResultSet:  # .none(), or filtered on an empty list
                query = "none"
            self._query_key = f"{query}|{self.empty_label}"
        return self._query_key

    def to_python(self, value):
        if value not in self.empty_values and not looks_like_slug(str(value)):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:40]},
            )
        return super().to_python(value)


class MemoizedWidgetRenderer(DjangoTemplates):
    """Django's renderer, remembering each widget's HTML by its whole context.

    A filter form's selects (communes, needs, languages) were rendered by Django's
    template engine option by option on every page: about 40 % of an uncached
    `/annuaire/`. The same context always gives the same HTML, so the HTML is kept by
    the context itself (name, value, attributes, every option's value, label and state)
    and the page's language: a new commune or need, a newly reviewed translation or
    another language makes another key, nothing goes stale.
    Kept: widgets with options, and the others while empty or a mere tick (a check
    box, an empty search box). What people type (a family's
    words, a visitor's name in an adviser's worklist) is never held in memory.
    """

    WIDGETS = "django/forms/widgets/"
    SIZE = 512

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._html: OrderedDict[str, str] = OrderedDict()

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name.startswith(self.WIDGETS) else None
        if not isinstance(widget, dict) or not self._keepable(widget):
            return super().render(template_name, context, request=request)
        # The labels are already in the page's language; the language itself is in the key
        # too, for anything a widget's template would translate on its own.
        key = "|".join(
            (
                translation.get_language() or "",
                template_name,
                json.dumps(context, default=str, sort_keys=True),
            )
        )
        with self._lock:
            html = self._html.get(key)
            if html is not None:
                self._html.move_to_end(key)
                return html
        html = super().render(template_name, context, request=request)
        with self._lock:
            self._html[key] = html
            while len(self._html) > self.SIZE:
                self._html.popitem(last=False)
        return html

    @staticmethod
    def _keepable(widget: dict) -> bool:
        value = widget.get("value")
        return "optgroups" in widget or value is None or value == "" or isinstance(value, bool)


widget_renderer = MemoizedWidgetRenderer()


class TranslatedChoiceField(SlugChoiceField):
    """A sector or a need, named in the page's language: the reviewed translation, or
    the French with the « (en français) » mark (an option can hold no markup)."""

    iterator = TranslatedChoiceIterator

    def label_from_instance(self, obj) -> str:
        return as_text(translations.shown(obj, "name"))


class LanguageChoiceField(SlugChoiceField):
    """Each language named in itself and in the page's language (`Language.label`)."""

    def label_from_instance(self, obj) -> str:
        return obj.label


class LenientFilterForm(forms.Form):
    """Filters from the URL: a bad value is explained and ignored, the others still apply
    (a stale shared link loses nothing)."""

    default_renderer = widget_renderer

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
    secteur = TranslatedChoiceField(
        Sector.objects.all(), label=_("Domaine"), empty_label=_("Tous les domaines")
    )
    besoin = TranslatedChoiceField(
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
    langue = LanguageChoiceField(
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
    interpretariat = forms.BooleanField(label=_("Interprétariat possible"), required=False)

    @cached_property
    def named(self) -> spoken.Named:
        """The languages, or the interpreter, the words ask for (« english », « traducteur »):
        filters, taken out of the words the engine reads."""
        return spoken.named_in(self.valid_data().get("q", ""))

    @cached_property
    def query(self) -> Query:
        """The words typed, as the engine reads them (corrections, needs, danger)."""
        return analyse(self.named.rest)

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
            ("interpretariat", Facet.INTERPRETING),
        ):
            if data.get(name):
                facets.append(word)
        if not data.get("langue"):
            facets += [Facet.of(Facet.LANGUAGE, language) for language in self.named.languages]
        if self.named.interpreting and not data.get("interpretariat"):
            facets.append(Facet.INTERPRETING)
        documents = documents.with_facets(*facets)
        if data.get("age") is not None:
            documents = documents.for_age(data["age"])
        if data.get("ouvert"):
            documents = documents.open_at(local_now())
        commune = data.get("commune")
        # The total is counted apart from the page, on the same rows without their score
        # nor distance: a count reads the GIN index only, and a page without words is
        # read in order from an index (the distances', or the names') and stops at 20.
        # Words that only named a language (« english ») leave nothing to rank: the filter.
        if data.get("q") and (self.query or not self.named):
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
        # The needs of each result only when the page says which need it answers (explain).
        explaining = bool(self.valid_data().get("q")) and bool(self.query.matched_needs)
        load = _services_with_needs if explaining else _services_for_listing
        paginator = WindowCountPaginator(
            documents, per_page, load=load, carry=carry, counted=self.counted
        )
        page = paginator.get_page(number)
        # The needs a card says it answers, in the page's language: one query for the page.
        # (The cards' own texts and domains are read when a card is written: Service.card_sectors.)
        if explaining:
            translations.attach(
                [need for service in page.object_list for need in service.needs.all()]
            )
        return page

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
    return Service.objects.published().filter(pk__in=ids).for_listing()


def _services_with_needs(ids):
    return _services_for_listing(ids).prefetch_related("needs")


# --- a partner's own sheet ("Mes services", and the signed link of a freshness request) ----


# A web address typed without its scheme ("www.caf.fr") becomes https://, as Django 6 will
# do: every form that edits a URL field (the admin's and the partners' sheets) says so.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def with_https_urls(model_field, **kwargs):
    """A ModelForm's formfield_callback applying HTTPS_URL_FIELDS."""
    return model_field.formfield(**{**HTTPS_URL_FIELDS.get(type(model_field), {}), **kwargs})


class ServiceSheetForm(forms.ModelForm):
    """The service's own fields a partner may change: practical ones and, for the
    coordination to validate, what the service does and who it is for."""

    class Meta:
        model = Service
        fields = [*Service.PRACTICAL_FIELDS, *Service.MODERATED_FIELDS]
        formfield_callback = with_https_urls
        widgets = {
            "summary": forms.TextInput(),
            "what_we_do": forms.Textarea(attrs={"rows": 5}),
            "what_we_dont_do": forms.Textarea(attrs={"rows": 3}),
            "access_conditions": forms.Textarea(attrs={"rows": 3}),
            "documents": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def practical_fields(self):
        return [self[name] for name in Service.PRACTICAL_FIELDS]

    def moderated_fields(self):
        return [self[name] for name in Service.MODERATED_FIELDS]


class StopForm(forms.ModelForm):
    class Meta:
        model = ItinerantStop
        fields = ["place", "date", "start_time", "end_time", "schedule", "schedule_label", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.select_related("commune")


HoursFormSet = forms.inlineformset_factory(
    Service,
    ServicePlace,
    fields=["opening_hours", "hours_notes"],
    extra=0,
    can_delete=False,
)
# A sheet's POST may claim any number of rows (its TOTAL_FORMS): Django takes up to 1,000
# new ones per list, each checked and written again with its lists of places, seconds of
# CPU for one request. No service holds that many stops, notices or sessions.
SHEET_ROWS_MAX = 200
StopsFormSet = forms.inlineformset_factory(
    Service,
    ItinerantStop,
    form=StopForm,
    extra=1,
    can_delete=True,
    max_num=SHEET_ROWS_MAX,
    absolute_max=SHEET_ROWS_MAX,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class NoticeForm(forms.ModelForm):
    """A dated notice on the partner's sheet, as in the admin (the model checks its hours)."""

    class Meta:
        model = Notice
        fields = ["kind", "start", "end", "reason", "text", "opening_hours", "place"]
        widgets = {"start": DATE, "end": DATE, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.select_related("commune")


class SessionForm(forms.ModelForm):
    class Meta:
        model = GroupSession
        fields = [
            "topic",
            "date",
            "start_time",
            "end_time",
            "place",
            "audience",
            "registration_required",
            "registration_details",
            "places_left",
        ]
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.select_related("commune")


NoticesFormSet = forms.inlineformset_factory(
    Service,
    Notice,
    form=NoticeForm,
    fk_name="service",
    extra=1,
    can_delete=True,
    max_num=SHEET_ROWS_MAX,
    absolute_max=SHEET_ROWS_MAX,
)
SessionsFormSet = forms.inlineformset_factory(
    Service,
    GroupSession,
    form=SessionForm,
    extra=1,
    can_delete=True,
    max_num=SHEET_ROWS_MAX,
    absolute_max=SHEET_ROWS_MAX,
)


def _jsonable(value):
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


class ServiceSheet:
    """A partner's whole sheet: the service's fields and its inlines, checked together.

    `INLINES` lists (prefix, title, formset): hours, dated notices, collective sessions,
    itinerant stops; one more is one line, the views and the saving rules stay. Practical
    information (the form's practical fields and every inline) is applied at once; what the service
    does and who it is for becomes a proposal for the coordination (ServiceChange).
    """

    INLINES = [
        ("horaires", _("Horaires de chaque lieu"), HoursFormSet),
        ("avis", _("Avis datés : fermetures, horaires modifiés, informations"), NoticesFormSet),
        ("seances", _("Séances collectives"), SessionsFormSet),
        ("passages", _("Passages itinérants"), StopsFormSet),
    ]

    def __init__(self, service: Service, data=None):
        self.service = service
        # The form works on its own copy: a proposal must not leak into `service`.
        self.form = ServiceSheetForm(data, instance=Service.objects.get(pk=service.pk))
        self.inlines = [
            (prefix, title, formset(data, instance=service, prefix=prefix))
            for prefix, title, formset in self.INLINES
        ]

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for _prefix, _title, formset in self.inlines:
            valid = formset.is_valid() and valid
        return valid

    @property
    def error_count(self) -> int:
        count = len(self.form.errors)
        for _prefix, _title, formset in self.inlines:
            count += sum(len(errors) for errors in formset.errors) + len(formset.non_form_errors())
        return count

    def _inline_changes(self) -> dict:
        changes = {}
        for _prefix, title, formset in self.inlines:
            for form in formset.forms:
                if not form.has_changed() or not form.instance:
                    continue
                where = str(form.instance.place) if form.instance.place_id else str(title)
                deleted = formset.can_delete and form.cleaned_data.get("DELETE")
                before = {name: _jsonable(form.initial.get(name)) for name in form.changed_data}
                after = {
                    name: _jsonable(form.cleaned_data.get(name)) for name in form.changed_data
                }
                label = f"{title} — {where}"
                if deleted:
                    changes[f"{label} (supprimé)"] = [before or "—", "—"]
                else:
                    changes[label] = [before, after]
        return changes

    def save(self, *, by=None, link=None) -> dict:
        """Apply what can be applied, propose the rest; return what happened."""
        from_form = self.form.cleaned_data
        changed = [name for name in self.form.changed_data if name in from_form]
        practical = {
            name: [_jsonable(self.form.initial.get(name)), _jsonable(from_form[name])]
            for name in changed
            if name in Service.PRACTICAL_FIELDS
        }
        content = {
            name: [self.form.initial.get(name), from_form[name]]
            for name in changed
            if name in Service.MODERATED_FIELDS
        }
        inline_changes = self._inline_changes()
        with transaction.atomic():
            service = Service.objects.select_for_update().get(pk=self.service.pk)
            for name in practical:
                setattr(service, name, from_form[name])
            for _prefix, _title, formset in self.inlines:
                formset.instance = service
                formset.save()
            # Saving the sheet is checking it: "vérifié le" becomes today.
            service.verified_on = timezone.localdate()
            service.save()
            if inline_changes:
                service.refresh_derived()
            if practical or inline_changes:
                ServiceChange.objects.record(
                    service,
                    ServiceChange.Kind.PRACTICAL,
                    practical | inline_changes,
                    by=by,
                    link=link,
                )
            proposal = None
            if content:
                proposal = ServiceChange.objects.propose(service, content, by=by, link=link)
            if link is not None:
                link.record_answer(FreshnessRequest.Answer.EDITED)
        self.service = service
        return {"applied": bool(practical or inline_changes), "proposal": proposal}


COMMENT_MAX_LENGTH = 1000


class ErrorReportForm(forms.ModelForm):
    """« Signaler une erreur »: what is wrong, and a few words if the visitor wants."""

    topic = forms.ChoiceField(
        label=_("Qu'est-ce qui n'est pas juste ?"),
        choices=ErrorReport.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez ce qui n'est pas juste."),
            "invalid_choice": _("Choisissez ce qui n'est pas juste dans la liste."),
        },
    )
    comment = forms.CharField(
        label=_("Dites-nous en plus (facultatif)"),
        help_text=_(
            "Par exemple : « le mardi, c'est fermé le matin ». N'écrivez pas votre nom ni vos "
            "coordonnées : ce message est anonyme. %(max)s caractères au plus."
        )
        % {"max": COMMENT_MAX_LENGTH},
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Votre texte est trop long : %(limit_value)d caractères au plus "
                "(il en a %(show_value)d). Raccourcissez-le, il est gardé ci-dessous."
            ),
            "null_characters_not_allowed": _(
                "Votre texte contient un caractère invisible interdit : retapez-le."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = ErrorReport
        fields = ["topic", "comment"]
