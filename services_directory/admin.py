"""The chargée de mission's content tool for the directory."""

import datetime as dt
from urllib.parse import urlencode

from data_inclusion.schema import v1
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin
from parler.forms import TranslatableModelForm

from . import access, datainclusion, freshness, translations
from . import hours as hours_lib
from .forms import HTTPS_URL_FIELDS
from .models import (
    Commune,
    ContentTranslation,
    ErrorReport,
    FreshnessRequest,
    GroupSession,
    ImportRun,
    ItinerantStop,
    Language,
    Need,
    Notice,
    OutgoingMessage,
    Partner,
    Place,
    Referent,
    Sector,
    Service,
    ServiceChange,
    ServicePlace,
    StaffProfile,
    Territory,
    ThematiqueMapping,
    TranslatableText,
    UnansweredSearch,
)

PROVENANCE = (
    _("Provenance (import data·inclusion)"),
    {"fields": ["source", "source_id"], "classes": ["collapse"]},
)


# --- translations of the content ------------------------------------------------------


class TranslationSummaryMixin:
    """A read-only « Traductions » line on a content page: per language, what is reviewed,
    waiting for a review, or missing, with a link to review them; then each field, with a
    link to its page of translations (one tab per language), where a missing one is written."""

    def translated_objects(self, obj) -> list:
        return [obj]

    @admin.display(description=_("Traductions"))
    def translation_summary(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        names = dict(settings.LANGUAGES)
        lines = []
        for language, counts in translations.coverage(*self.translated_objects(obj)).items():
            link = reverse("admin:services_directory_contenttranslation_changelist")
            query = urlencode(
                {
                    "language_code": language,
                    "master__content_type__id__exact": ContentType.objects.get_for_model(obj).pk,
                    "master__object_id": obj.pk,
                }
            )
            lines.append(
                format_html(
                    # <bdi>: an Arabic name must not carry the count after it.
                    '<li><a href="{}?{}"><bdi>{}</bdi></a> : {}</li>',
                    link,
                    query,
                    names.get(language, language),
                    gettext(
                        "%(reviewed)d relue(s), %(to_review)d à relire, %(missing)d manquante(s)"
                    )
                    % counts,
                )
            )
        fields_offered = translatable_fields_of(self.translated_objects(obj))
        known = TranslatableTextAdmin.existing([target for target, _f, _l in fields_offered])
        fields = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (TranslatableTextAdmin.url_for(target, field, known), label)
                for target, field, label in fields_offered
            ),
        )
        return format_html(
            "<ul>{}</ul><details><summary>{}</summary><ul>{}</ul></details>",
            mark_safe("".join(lines)),
            gettext("Traduire ou relire, champ par champ"),
            fields,
        )


def translatable_fields_of(objects) -> list[tuple]:
    """(object, field, label) for each non-empty translatable field of the objects, a
    pathway's steps named by their position."""
    found = []
    for position, target in enumerate(objects):
        for field in target.translatable_fields:
            if not getattr(target, field):
                continue
            label = capfirst(target._meta.get_field(field).verbose_name)
            if position:
                label = format_lazy("{} — {}", target, label)
            found.append((target, field, label))
    return found


class TranslatableTextForm(TranslatableModelForm):
    reviewed = forms.BooleanField(
        label=_("Relue contre le français d'aujourd'hui"),
        required=False,
        help_text=_(
            "Cochez quand la traduction dit bien ce que dit le texte français ci-dessus : "
            "elle sera alors montrée aux familles. Une traduction modifiée sans cette case "
            "attend une relecture."
        ),
    )

    class Meta:
        model = TranslatableText
        fields = ["text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Typed in the tab's language: Arabic right to left, the right spelling checker.
        bidi = get_language_info(self.language_code)["bidi"]
        self.fields["text"].widget.attrs.update(
            lang=self.language_code, dir="rtl" if bidi else "ltr"
        )


@admin.register(TranslatableText)
class TranslatableTextAdmin(TranslatableAdmin):
    """One field of one content: its French and, in one tab per language (django-parler),
    its translation, to write, correct or mark reviewed."""

    form = TranslatableTextForm
    list_display = ["__str__", "all_languages_column"]
    list_filter = ["content_type"]
    fields = ["content_link", "french_now", "state_now", "text", "reviewed"]
    readonly_fields = ["content_link", "french_now", "state_now"]

    @staticmethod
    def existing(objects) -> dict[tuple[int, int, str], int]:
        """The fields of these objects that have their page already, in one query per model
        (a pathway's summary lists every field of every step)."""
        found = {}
        by_type = {}
        for obj in objects:
            by_type.setdefault(ContentType.objects.get_for_model(obj).pk, set()).add(obj.pk)
        for content_type_id, ids in by_type.items():
            rows = TranslatableText.objects.filter(
                content_type_id=content_type_id, object_id__in=ids
            ).values_list("content_type_id", "object_id", "field", "pk")
            found.update({(ct, oid, field): pk for ct, oid, field, pk in rows})
        return found

    @staticmethod
    def url_for(target, field: str, known: dict | None = None) -> str:
        """Its page if the field has one already, else the page that creates it."""
        content_type = ContentType.objects.get_for_model(target)
        if known is None:
            known = TranslatableTextAdmin.existing([target])
        existing = known.get((content_type.pk, target.pk, field))
        if existing is not None:
            return reverse("admin:services_directory_translatabletext_change", args=[existing])
        query = urlencode(
            {"content_type": content_type.pk, "object_id": target.pk, "field": field}
        )
        return f"{reverse('admin:services_directory_translatabletext_add')}?{query}"

    @staticmethod
    def target_of(request) -> TranslatableText | None:
        """The (unsaved) field named by the add page's address, if it is translatable."""
        try:
            content_type = ContentType.objects.get_for_id(int(request.GET.get("content_type")))
            object_id = int(request.GET.get("object_id"))
        except (TypeError, ValueError, ContentType.DoesNotExist):
            return None
        model = content_type.model_class()
        field = request.GET.get("field", "")
        if model is None or field not in getattr(model, "translatable_fields", ()):
            return None
        if not model._default_manager.filter(pk=object_id).exists():
            return None
        return TranslatableText(content_type=content_type, object_id=object_id, field=field)

    def get_model_perms(self, request):
        # No « Ajouter » in the menu: a field to translate is opened from its content's page.
        return {**super().get_model_perms(request), "add": False}

    def render_change_form(self, request, context, *args, **kwargs):
        context["show_save_and_add_another"] = False  # the next field is on the content's page
        return super().render_change_form(request, context, *args, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        target = self.target_of(request)
        if target is None:
            self.message_user(
                request,
                gettext("Ouvrez les traductions depuis la page du contenu à traduire."),
                messages.WARNING,
            )
            return HttpResponseRedirect(
                reverse("admin:services_directory_translatabletext_changelist")
            )
        existing = TranslatableText.objects.filter(
            content_type=target.content_type, object_id=target.object_id, field=target.field
        ).first()
        if existing is not None:
            return HttpResponseRedirect(
                reverse("admin:services_directory_translatabletext_change", args=[existing.pk])
            )
        return super().add_view(request, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        return {}  # the address names the field to translate, not initial values

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        target = self.target_of(request) if obj is None else None
        if target is None:
            return form_class

        class AddForm(form_class):
            """The new field's identity comes from the address, checked above."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.instance.content_type = target.content_type
                self.instance.object_id = target.object_id
                self.instance.field = target.field

        return AddForm

    @admin.display(description=_("contenu"))
    def content_link(self, obj):
        target = obj.content_object if obj is not None and obj.content_type_id else None
        if target is None:
            return "—"
        meta = target._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
        label = capfirst(meta.get_field(obj.field).verbose_name)
        return format_html('<a href="{}">{}</a> — {}', url, target, label)

    @admin.display(description=_("texte français aujourd'hui"))
    def french_now(self, obj):
        return obj.current_french() if obj is not None and obj.content_type_id else "—"

    @admin.display(description=_("état"))
    def state_now(self, obj):
        if obj is None or not obj.pk:
            return gettext("manquante")
        row = obj.translations.filter(language_code=obj.get_current_language()).first()
        if row is None or not row.text:
            return gettext("manquante")
        return ContentTranslationAdmin.state_of(row)

    def save_model(self, request, obj, form, change):
        if not obj.content_type_id:
            raise PermissionDenied  # an add page reached without a field to translate
        super().save_model(request, obj, form, change)
        row = obj.translations.filter(language_code=form.language_code).first()
        if row is None:
            return
        if form.cleaned_data.get("reviewed") and row.text:
            row.mark_reviewed(reviewer_name(request.user))
        elif "text" in form.changed_data and row.state != ContentTranslation.State.TO_REVIEW:
            # A translation changed by hand waits for a review, as a new one does.
            row.state = ContentTranslation.State.TO_REVIEW
            row.save(update_fields=["state"])


def reviewer_name(user) -> str:
    return user.get_full_name() or user.get_username()


class TranslationStateFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [
            ("reviewed", _("relue")),
            ("to_review", _("à relire")),
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


@admin.register(ContentTranslation)
class ContentTranslationAdmin(admin.ModelAdmin):
    """Where the chargée de mission, or the partner she asks, reads a translation against
    today's French and marks it reviewed."""

    list_display = ["content_object", "field", "language_name", "state_label", "reviewed_on"]
    list_filter = ["language_code", TranslationStateFilter, "master__content_type"]
    search_fields = ["text", "source"]
    fields = [
        "content_link",
        "field",
        "language_name",
        "french_now",
        "text",
        "state",
        "reviewed_on",
        "reviewed_by",
    ]
    readonly_fields = [
        "content_link",
        "field",
        "language_name",
        "french_now",
        "state",
        "reviewed_on",
        "reviewed_by",
    ]
    actions = ["mark_reviewed"]

    def has_add_permission(self, request):
        return False  # translations are loaded, or written from an object's line

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("master")
        queryset = queryset.prefetch_related("master__content_object")
        object_id = request.GET.get("master__object_id")
        if object_id and object_id.isdigit():
            queryset = queryset.filter(master__object_id=object_id)
        return queryset

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "master__object_id" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("langue"), ordering="language_code")
    def language_name(self, obj):
        return dict(settings.LANGUAGES).get(obj.language_code, obj.language_code)

    @admin.display(description=_("contenu"))
    def content_link(self, obj):
        target = obj.content_object
        if target is None:
            return "—"
        meta = target._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
        return format_html('<a href="{}">{}</a>', url, target)

    @admin.display(description=_("texte français aujourd'hui"))
    def french_now(self, obj):
        return obj.current_french()

    @admin.display(description=_("état"))
    def state_label(self, obj):
        return self.state_of(obj)

    @staticmethod
    def state_of(row):
        if row.state == row.State.REVIEWED and row.source != row.current_french():
            return _("à relire : le français a changé")
        return row.get_state_display()

    def save_model(self, request, obj, form, change):
        # A translation changed by hand waits for a review, as a new one does.
        if "text" in form.changed_data:
            obj.state = ContentTranslation.State.TO_REVIEW
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Marquer comme relues (contre le français d'aujourd'hui)"))
    def mark_reviewed(self, request, queryset):
        reviewer = reviewer_name(request.user)
        count = 0
        for row in queryset.select_related("master").prefetch_related("master__content_object"):
            if row.text:
                row.mark_reviewed(reviewer)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d traduction relue.", "%(count)d traductions relues.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class WidgetSnippetForm(forms.Form):
    commune = forms.ModelChoiceField(
        Commune.objects.all(), label=_("Commune"), required=False, to_field_name="slug"
    )
    besoin = forms.ModelChoiceField(
        Need.objects.select_related("sector"),
        label=_("Besoin"),
        required=False,
        to_field_name="slug",
    )
    secteur = forms.ModelChoiceField(
        Sector.objects.all(),
        label=_("ou domaine"),
        required=False,
        to_field_name="slug",
        help_text=_("Un besoin précis, ou tout un domaine."),
    )
    hauteur = forms.IntegerField(
        label=_("Hauteur du cadre (pixels)"), min_value=200, max_value=2000, initial=480
    )
    langue = forms.ChoiceField(
        label=_("Langue du widget"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        help_text=_("Les textes relus dans cette langue, les autres en français (signalés)."),
    )


# --- opening hours: a live preview of what the public will see ---------------------------


def hours_preview_context(expression: str) -> dict:
    """The public's week table for `expression`, its error in French, its warnings."""
    check = hours_lib.check(expression)
    context = {"check": check, "preview": None, "preview_status": None, "rules": []}
    if check.is_valid and check.expression:
        now = hours_lib.local_now()
        preview = ServicePlace(opening_hours=check.expression, place=Place(name=_("ce lieu")))
        preview.week = preview.week_table(now.date())
        preview.status_now = preview.live_status(now)
        preview.all_closed = not any(row.ranges for row in preview.week)
        context.update(
            preview=preview,
            preview_status=preview.status_now,
            rules=hours_lib.describe(check.expression),
        )
    return context


class OpeningHoursWidget(forms.TextInput):
    """A text input followed by the preview of its value, as rendered by the server (so
    it shows after a save or an error without JavaScript); with htmx, it follows typing."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        preview_id = f"{attrs.get('id', name)}_preview"
        attrs.update(
            {
                "hx-get": reverse("admin:services_directory_hours_preview"),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": f"#{preview_id}",
                "aria-describedby": preview_id,
            }
        )
        field = super().render(name, value, attrs, renderer)
        preview = render_to_string(
            "admin/services_directory/hours_preview.html", hours_preview_context(value or "")
        )
        return mark_safe(
            f'<div class="hours-field">{field}<div id="{preview_id}" class="hours-preview" '
            f'aria-live="polite">{preview}</div></div>'
        )


HOURS_WIDGETS = {
    "opening_hours": OpeningHoursWidget,
    "schedule": OpeningHoursWidget,
}


class HoursMedia:
    css = {"all": ["css/admin_hours.css"]}
    js = ["django_htmx/htmx-2.min.js"]


def warn_about_hours(request, label: str, expression: str) -> None:
    """After a save: the rules that replace others, said once more."""
    for warning in hours_lib.check(expression).warnings:
        messages.warning(request, f"{label} : {warning}")


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "siren", "is_demo"]
    change_list_template = "admin/services_directory/territory/change_list.html"

    def get_urls(self):
        widget = self.admin_site.admin_view(self.widget_view)
        return [
            path("widget/", widget, name="services_directory_widget_snippet"),
            *super().get_urls(),
        ]

    def widget_view(self, request):
        """The <iframe> code a commune or a partner pastes into its own website."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = WidgetSnippetForm(request.GET or None)
        snippet = preview = ""
        if form.is_valid():
            data = form.cleaned_data
            query = {
                name: data[name].slug for name in ("commune", "besoin", "secteur") if data[name]
            }
            language = data["langue"] or settings.LANGUAGE_CODE
            with translation.override(language):  # its address (/en/widget/…) and title
                preview = reverse("services_directory:widget") + (
                    "?" + urlencode(query) if query else ""
                )
                what = data["besoin"] or data["secteur"]
                title = " — ".join(
                    str(part)
                    for part in (
                        gettext("Services"),
                        translations.shown(what, "name", language) if what else "",
                        data["commune"],
                        gettext("Passerelles"),
                    )
                    if part
                )
            snippet = (
                f'<iframe src="{escape(settings.SITE_ROOT + preview)}" title="{escape(title)}" '
                f'width="100%" height="{data["hauteur"]}" style="border:0" loading="lazy" '
                'referrerpolicy="no-referrer"></iframe>'
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Widget pour les sites des communes et des partenaires"),
            "form": form,
            "snippet": snippet,
            "preview": preview,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/services_directory/widget.html", context)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "postcode", "territory"]
    search_fields = ["name", "insee_code", "postcode"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_child_stage"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


def thematique_choices():
    categories = {item.value: item.label for item in v1.Categorie}
    return [("", "---------")] + [
        (item.value, f"{categories.get(item.value.split('--')[0], '')} — {item.label}")
        for item in sorted(v1.Thematique, key=lambda t: t.value)
    ]


class ThematiqueMappingForm(forms.ModelForm):
    thematique = forms.ChoiceField(label=_("thématique data·inclusion"), choices=())

    class Meta:
        model = ThematiqueMapping
        fields = ["thematique", "direction", "need", "sector"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematique"].choices = thematique_choices()


class ThematiqueMappingInline(admin.TabularInline):
    model = ThematiqueMapping
    form = ThematiqueMappingForm
    fields = ["thematique", "direction", "sector"]
    extra = 0
    verbose_name_plural = _("correspondances data·inclusion de ce besoin")


@admin.register(ThematiqueMapping)
class ThematiqueMappingAdmin(admin.ModelAdmin):
    """One table for both directions: our finer needs map onto data·inclusion's
    thématiques on export; each thématique gives one need (or a sector) on import."""

    form = ThematiqueMappingForm
    list_display = ["thematique_label", "direction", "need", "sector"]
    list_filter = ["direction", "need__sector"]
    search_fields = ["thematique", "need__name"]
    list_select_related = ["need", "sector"]

    @admin.display(description=_("thématique data·inclusion"), ordering="thematique")
    def thematique_label(self, row):
        labels = dict(thematique_choices())
        return f"{labels.get(row.thematique, row.thematique)} ({row.thematique})"


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "signals_danger"]
    inlines = [ThematiqueMappingInline]
    list_filter = ["sector", "signals_danger"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


class AddSynonymForm(forms.Form):
    need = forms.ModelChoiceField(
        Need.objects.select_related("sector"),
        label=_("Besoin"),
        empty_label=_("Choisir…"),
        error_messages={"required": _("Choisissez le besoin auquel ajouter ces mots.")},
    )


@admin.register(UnansweredSearch)
class UnansweredSearchAdmin(admin.ModelAdmin):
    """What families searched without finding anything: the chargée de mission adds the
    missing words to a need's synonyms, and the next search finds its services."""

    list_display = ["words", "count", "commune", "day"]
    list_filter = ["commune"]
    date_hierarchy = "day"
    search_fields = ["words"]
    ordering = ["-day", "-count", "words"]
    actions = ["add_as_synonyms"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Ajouter ces mots aux synonymes d'un besoin…"))
    def add_as_synonyms(self, request, queryset):
        form = AddSynonymForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            need = form.cleaned_data["need"]
            lines = need.synonym_list
            known = {line.lower() for line in lines}
            added = list(dict.fromkeys(queryset.values_list("words", flat=True)))
            added = [words for words in added if words.lower() not in known]
            need.synonyms = "\n".join([*lines, *added])
            need.save()
            self.message_user(
                request,
                ngettext(
                    "%(count)d expression ajoutée aux synonymes de « %(need)s ».",
                    "%(count)d expressions ajoutées aux synonymes de « %(need)s ».",
                    len(added),
                )
                % {"count": len(added), "need": need.name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ajouter aux synonymes d'un besoin"),
            "form": form,
            "searches": queryset,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/services_directory/add_synonyms.html", context)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


class ReferentInline(admin.StackedInline):
    model = Referent
    extra = 0
    filter_horizontal = ["communes"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ReferentInline]
    formfield_overrides = HTTPS_URL_FIELDS
    readonly_fields = ["source", "source_id"]


class PlaceNoticeInline(admin.StackedInline):
    """Notices for every service of the place (the building closed for works…)."""

    model = Notice
    fk_name = "place"
    extra = 0
    fields = ["kind", ("start", "end"), "reason", "text", "opening_hours"]
    verbose_name_plural = _("avis datés pour tous les services de ce lieu")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(service__isnull=True)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "opening_hours":
            kwargs["widget"] = OpeningHoursWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "commune", "step_free"]
    list_filter = ["commune", "step_free"]
    search_fields = ["name", "address", "commune__name"]
    readonly_fields = ["source", "source_id"]

    inlines = [PlaceNoticeInline]
    Media = HoursMedia


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ["role", "theme", "partner", "visibility", "is_relay_person", "is_active"]
    list_filter = ["theme", "visibility", "is_relay_person", "is_active"]
    search_fields = ["role", "name", "partner__name"]
    filter_horizontal = ["communes"]


class HoursWidgetMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in HOURS_WIDGETS:
            kwargs["widget"] = HOURS_WIDGETS[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ServicePlaceInline(HoursWidgetMixin, admin.StackedInline):
    model = ServicePlace
    extra = 0
    autocomplete_fields = ["place"]
    fields = ["place", "opening_hours", "hours_notes"]


class ItinerantStopInline(HoursWidgetMixin, admin.StackedInline):
    model = ItinerantStop
    extra = 0
    autocomplete_fields = ["place"]
    fields = [
        "place",
        ("date", "start_time", "end_time"),
        "schedule",
        "schedule_label",
        "notes",
    ]


class NoticeInline(HoursWidgetMixin, admin.StackedInline):
    model = Notice
    fk_name = "service"
    extra = 0
    autocomplete_fields = ["place"]
    fields = ["kind", ("start", "end"), "reason", "text", "opening_hours", "place"]
    verbose_name_plural = _("avis datés : fermetures, horaires modifiés, informations")


class GroupSessionInline(admin.StackedInline):
    model = GroupSession
    extra = 0
    autocomplete_fields = ["place"]
    fields = [
        "topic",
        ("date", "start_time", "end_time"),
        "place",
        "audience",
        ("registration_required", "registration_details"),
        "places_left",
    ]
    verbose_name_plural = _("séances collectives datées")

    def get_queryset(self, request):
        # Past sessions stay for the record but leave the form short.
        today = timezone.localdate()
        return super().get_queryset(request).filter(date__gte=today - dt.timedelta(days=7))


class ToVerifyFilter(admin.SimpleListFilter):
    title = _("vérification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("a_verifier", _("À vérifier (échéance passée)"))]

    def queryset(self, request, queryset):
        if self.value() == "a_verifier":
            return queryset.to_verify()
        return queryset


NO_CONTACT = _(
    "Ce service n'a ni téléphone, ni courriel, ni lien. Le public lira : « venez sur place, "
    "sans rendez-vous », avec la prochaine ouverture. Vérifiez ses horaires."
)


@admin.register(Service)
class ServiceAdmin(TranslationSummaryMixin, admin.ModelAdmin):
    # What « à vérifier » needs first: who was asked, when, the answer; then the rest.
    list_display = ["name", "last_request", "next_check", "verified_on", "partner", "status"]
    list_filter = [ToVerifyFilter, "status", "sectors", "partner__kind", "itinerant", "collective"]
    search_fields = ["name", "summary", "partner__name"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["sectors", "needs", "languages", "communes_served"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "open_saturday",
        "open_evening",
        "open_lunchtime",
        "updated_at",
        "source",
        "source_id",
        "translation_summary",
    ]
    inlines = [ServicePlaceInline, NoticeInline, ItinerantStopInline, GroupSessionInline]
    formfield_overrides = HTTPS_URL_FIELDS
    actions = ["publish", "archive", "mark_verified_today", "ask_for_check"]
    save_on_top = True
    Media = HoursMedia
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "partner",
                    "status",
                    ("verified_on", "check_every_months"),
                    "translation_summary",
                ]
            },
        ),
        (
            _("Rôle en mots simples"),
            {"fields": ["summary", "what_we_do", "what_we_dont_do", "sectors", "needs"]},
        ),
        (
            _("Pour qui, à quelles conditions"),
            {
                "fields": [
                    "audience",
                    "age_of",
                    ("age_min", "age_max"),
                    "access_conditions",
                    ("cost", "cost_details"),
                    "documents",
                    ("languages", "interpreting"),
                    "serves_whole_territory",
                    "communes_served",
                ]
            },
        ),
        (
            _("Nous joindre"),
            {
                "fields": [
                    ("phone", "email"),
                    ("website", "appointment_url"),
                    "walk_in",
                    "contact_details",
                ]
            },
        ),
        (
            _("Modalités d'accueil"),
            {
                "fields": [
                    ("on_site", "itinerant", "collective", "remote"),
                    "collective_details",
                    ("open_saturday", "open_evening", "open_lunchtime"),
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        return [*super().get_fieldsets(request, obj), PROVENANCE]

    def translated_objects(self, obj) -> list:
        return [obj, *obj.notices.all(), *obj.sessions.all()]

    def get_queryset(self, request):
        latest = FreshnessRequest.objects.filter(service=OuterRef("pk")).order_by("-sent_at")
        return (
            super()
            .get_queryset(request)
            .select_related("partner")
            .annotate(
                last_asked_on=Subquery(latest.values("sent_at")[:1]),
                last_asked_to=Subquery(latest.values("sent_to")[:1]),
                last_answer=Subquery(latest.values("answer")[:1]),
                last_answered_on=Subquery(latest.values("answered_at")[:1]),
            )
        )

    @admin.display(description=_("prochaine vérification"))
    def next_check(self, service):
        return service.next_check_on or _("maintenant")

    @admin.display(description=_("dernière demande au partenaire"), ordering="last_asked_on")
    def last_request(self, service):
        """Who was asked, when, and the answer."""
        if not service.last_asked_on:
            return "—"
        asked = timezone.localtime(service.last_asked_on).date()
        if service.last_answer:
            label = FreshnessRequest.Answer(service.last_answer).label
            day = timezone.localtime(service.last_answered_on).date()
            answer = f"{label} ({day:%d/%m/%Y})"
        else:
            answer = _("pas encore de réponse")
        return _("le %(date)s à %(to)s : %(answer)s") % {
            "date": f"{asked:%d/%m/%Y}",
            "to": service.last_asked_to,
            "answer": answer,
        }

    @admin.action(description=_("Demander une vérification au partenaire maintenant"))
    def ask_for_check(self, request, queryset):
        counts = freshness.send_requests(services=queryset, force=True)
        self.message_user(
            request,
            _(
                "%(messages)s courriel(s) écrit(s) pour %(services)s service(s) ; "
                "%(without)s sans adresse de contact (partenaire ni service)."
            )
            % {
                "messages": counts["messages"],
                "services": counts["services"],
                "without": counts["without_address"],
            },
            messages.SUCCESS if counts["messages"] else messages.WARNING,
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.hours_preview)
        return [
            path("horaires/apercu/", preview, name="services_directory_hours_preview"),
            *super().get_urls(),
        ]

    def hours_preview(self, request):
        """The preview of an hours field as it is typed (htmx GET: the field's own value)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        value = next(
            (v for k, v in request.GET.items() if k.endswith(("opening_hours", "schedule"))), ""
        )
        context = hours_preview_context(value[:255])
        return render(request, "admin/services_directory/hours_preview.html", context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Sectors, needs and places are saved now: rebuild search text and hours flags.
        service = form.instance
        service.refresh_derived()
        for service_place in service.service_places.select_related("place"):
            warn_about_hours(request, service_place.place.name, service_place.opening_hours)
        if service.is_public and service.walk_in_only:
            messages.warning(request, NO_CONTACT)

    @admin.action(description=_("Publier les services sélectionnés"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Service.Status.PUBLISHED)

    @admin.action(description=_("Archiver les services sélectionnés"))
    def archive(self, request, queryset):
        self._set_status(request, queryset, Service.Status.ARCHIVED)

    def _set_status(self, request, queryset, status):
        # Saved one by one so that pathways using them are flagged (post_save).
        count = 0
        for service in queryset:
            if status == Service.Status.PUBLISHED and not (service.has_contact or service.walk_in):
                messages.error(
                    request,
                    _("« %(name)s » n'est pas publié : %(reason)s")
                    % {"name": service.name, "reason": Service.UNREACHABLE},
                )
                continue
            if status == Service.Status.PUBLISHED and service.walk_in_only:
                messages.warning(request, f"{service.name} : {NO_CONTACT}")
            service.status = status
            service.save(update_fields=["status", "updated_at", "search_text"])
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d service mis à jour.", "%(count)d services mis à jour.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Marquer comme vérifiés aujourd'hui"))
    def mark_verified_today(self, request, queryset):
        count = queryset.update(verified_on=timezone.localdate(), updated_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d service vérifié.", "%(count)d services vérifiés.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# --- staff accounts -------------------------------------------------------------------

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ["role", "partner"]
    autocomplete_fields = ["partner"]
    verbose_name_plural = _("rôle dans Passerelles")


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["staff_profile__role", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["staff_profile"]

    @admin.display(description=_("rôle"))
    def role(self, user):
        profile = getattr(user, "staff_profile", None)
        return profile.get_role_display() if profile else "—"

    def get_queryset(self, request):
        # Nobody but an admin may open an admin's account (and reset its password).
        users = super().get_queryset(request)
        if access.can_grant_admin_rights(request.user):
            return users
        return users.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        # The coordinator manages accounts but cannot hand out admin rights, hers included.
        readonly = list(super().get_readonly_fields(request, obj))
        if not access.can_grant_admin_rights(request.user):
            readonly += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return readonly


# --- the outbox ---------------------------------------------------------------------------


def _masked(address: str) -> str:
    """A family's address is personal: only the domain shows to the coordination."""
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    """What left, what waits and why: read-only, with a way to try a given-up one again."""

    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts"]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"
    search_fields = ["subject"]
    actions = ["try_again"]

    @admin.display(description=_("destinataire"))
    def recipient(self, message):
        if access.can_grant_admin_rights(self.request_user):
            return message.to
        return _masked(message.to)

    def get_queryset(self, request):
        self.request_user = request.user
        return super().get_queryset(request)

    def get_fields(self, request, obj=None):
        fields = ["created_at", "kind", "recipient", "subject", "status", "attempts"]
        fields += ["next_attempt_at", "last_error", "sent_at"]
        # Bodies carry follow-up links: for admins only.
        return [*fields, "body"] if access.can_grant_admin_rights(request.user) else fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Réessayer maintenant"))
    def try_again(self, request, queryset):
        count = queryset.exclude(status=OutgoingMessage.Status.SENT).update(
            status=OutgoingMessage.Status.WAITING, next_attempt_at=timezone.now()
        )
        self.message_user(request, _("%(count)s message(s) remis en attente.") % {"count": count})


# --- partners' sheets: the moderation queue and the freshness requests --------------------


@admin.register(ServiceChange)
class ServiceChangeAdmin(admin.ModelAdmin):
    """What partners changed on their sheets; the changes of what a service does or who it
    is for wait here for the coordination (« à valider »)."""

    list_display = ["created_at", "service", "partner", "kind", "status", "author_label"]
    list_display_links = ["created_at", "service"]
    list_filter = ["status", "kind"]
    list_select_related = ["service__partner", "author", "link"]
    search_fields = ["service__name", "service__partner__name"]
    date_hierarchy = "created_at"
    change_form_template = "admin/services_directory/servicechange/change_form.html"

    @admin.display(description=_("partenaire"), ordering="service__partner__name")
    def partner(self, change):
        return change.service.partner

    @admin.display(description=_("par"))
    def author_label(self, change):
        return change.author_label

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["author_label"]

    def get_fields(self, request, obj=None):
        return ["service", "kind", "status", "created_at", "author_label"]

    def changelist_view(self, request, extra_context=None):
        # The queue first: what waits for a decision.
        if not request.GET:
            return HttpResponseRedirect(request.path + "?status__exact=pending")
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(ServiceChange.objects.select_related("service"), pk=object_id)
        if request.method == "POST" and ("_accept" in request.POST or "_reject" in request.POST):
            if not access.can_moderate_sheets(request.user):
                raise PermissionDenied
            try:
                if "_accept" in request.POST:
                    change.accept(request.user)
                    self.message_user(
                        request,
                        _("Modification validée : « %(name)s » est publié ainsi.")
                        % {"name": change.service.name},
                        messages.SUCCESS,
                    )
                else:
                    change.reject(request.user, request.POST.get("decision_note", ""))
                    self.message_user(request, _("Modification refusée."), messages.SUCCESS)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(
                reverse("admin:services_directory_servicechange_changelist")
            )
        pending = change.status == ServiceChange.Status.PENDING
        extra_context = {
            **(extra_context or {}),
            "title": _("Demande à valider") if pending else _("Changement d'une fiche"),
            "change": change,
            "rows": change.rows(),
            "can_decide": change.status == ServiceChange.Status.PENDING
            and access.can_moderate_sheets(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(FreshnessRequest)
class FreshnessRequestAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "service", "sent_to", "answer", "answered_at"]
    list_filter = ["answer"]
    list_select_related = ["service"]
    search_fields = ["service__name", "sent_to"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- imports of data·inclusion files ---------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".json,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files if item]
        if not cleaned:
            raise ValidationError(_("Choisissez au moins un fichier."), code="required")
        return cleaned


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Fichiers data·inclusion (JSON ou CSV)"),
        help_text=_(
            "Les structures et les services, ensemble : par exemple structures.json et "
            "services.json du jeu de données national, ou des pages de l'API enregistrées."
        ),
    )
    communes = forms.ModelMultipleChoiceField(
        Commune.objects.all(),
        label=_("Seulement ces communes"),
        required=False,
        help_text=_("Laissez vide pour tout le territoire."),
        widget=forms.CheckboxSelectMultiple,
    )
    dry_run = forms.BooleanField(
        label=_("Simulation : voir ce qui changerait, sans rien enregistrer"),
        required=False,
        initial=True,
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = datainclusion.max_bytes()
        for file in files:
            if file.size > limit:
                raise ValidationError(
                    _(
                        "« %(name)s » pèse %(size)s Mo : la limite est de %(limit)s Mo. "
                        "Téléchargez un fichier limité à votre département, ou découpez-le."
                    )
                    % {
                        "name": file.name,
                        "size": round(file.size / 1024 / 1024),
                        "limit": settings.DATAINCLUSION_MAX_FILE_MB,
                    }
                )
        return files


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Imports started here run in the background; their page shows the progress, then
    the report. A dry run can then be imported for good in one click."""

    list_display = ["__str__", "status", "progress", "created_by"]
    list_filter = ["status", "dry_run"]
    change_form_template = "admin/services_directory/importrun/change_form.html"

    @admin.display(description=_("avancement"))
    def progress(self, run):
        return run.stage if run.is_finished else f"{run.stage} {run.percent} %"

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            run = datainclusion.new_run(
                [(upload.name, upload.read()) for upload in form.cleaned_data["files"]],
                dry_run=form.cleaned_data["dry_run"],
                communes=[commune.insee_code for commune in form.cleaned_data["communes"]],
                by=request.user,
            )
            datainclusion.start(run)
            return HttpResponseRedirect(
                reverse("admin:services_directory_importrun_change", args=[run.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importer des données data·inclusion"),
            "form": form,
            "opts": self.model._meta,
            "max_mb": settings.DATAINCLUSION_MAX_FILE_MB,
        }
        return TemplateResponse(request, "admin/services_directory/importrun/add.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = get_object_or_404(ImportRun, pk=object_id)
        if not self.has_view_permission(request, run):
            raise PermissionDenied
        if request.method == "POST" and "_for_good" in request.POST:
            if not self.has_add_permission(request):
                raise PermissionDenied
            again = datainclusion.new_run(
                [(file.name, bytes(file.content)) for file in run.files.all()],
                dry_run=False,
                communes=run.communes,
                by=request.user,
            )
            datainclusion.start(again)
            return HttpResponseRedirect(
                reverse("admin:services_directory_importrun_change", args=[again.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": str(run),
            "run": run,
            "stale": run.is_stale(),
            "files": run.files.only("name", "size"),
            "report": run.report,
            "opts": self.model._meta,
            "can_import_for_good": run.dry_run
            and run.status == ImportRun.Status.DONE
            and run.files.exists()
            and self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/services_directory/importrun/detail.html", context)


# --- « Signaler une erreur »: the chargée de mission's queue -------------------------------


class ErrorReportForm(forms.ModelForm):
    mark_verified = forms.BooleanField(
        label=_("Marquer le service comme vérifié aujourd'hui"),
        required=False,
        help_text=_("Quand vous avez vérifié (et corrigé) toute sa page."),
    )

    class Meta:
        model = ErrorReport
        fields = ["status", "resolution"]


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    form = ErrorReportForm
    list_display = ["created_at", "service", "topic", "status", "excerpt"]
    list_filter = ["status", "topic"]
    search_fields = ["service__name", "comment"]
    date_hierarchy = "created_at"
    readonly_fields = ["service_link", "topic", "comment", "created_at", "closed_at", "closed_by"]
    fields = [
        "service_link",
        "topic",
        "comment",
        "created_at",
        "status",
        "resolution",
        "mark_verified",
        "closed_at",
        "closed_by",
    ]
    actions = ["close", "close_and_mark_verified"]
    list_select_related = ["service"]

    @admin.display(description=_("précisions"))
    def excerpt(self, report):
        return report.comment[:80]

    @admin.display(description=_("service"))
    def service_link(self, report):
        url = reverse("admin:services_directory_service_change", args=[report.service_id])
        public = report.service.get_absolute_url()
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            url,
            report.service.name,
            public,
            _("page publique"),
        )

    def has_add_permission(self, request):
        return False  # reports come from visitors only

    def save_model(self, request, obj, form, change):
        closing = obj.status == ErrorReport.Status.CLOSED and "status" in form.changed_data
        if closing or form.cleaned_data.get("mark_verified"):
            obj.close(
                by=request.user,
                mark_verified=form.cleaned_data.get("mark_verified", False),
                resolution=obj.resolution,
            )
        else:
            super().save_model(request, obj, form, change)

    def _close(self, request, queryset, mark_verified: bool):
        count = 0
        for report in queryset.pending().select_related("service"):
            report.close(by=request.user, mark_verified=mark_verified)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d signalement traité.", "%(n)d signalements traités.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Marquer comme traités"))
    def close(self, request, queryset):
        self._close(request, queryset, mark_verified=False)

    @admin.action(
        description=_("Marquer comme traités et les services comme vérifiés aujourd'hui")
    )
    def close_and_mark_verified(self, request, queryset):
        self._close(request, queryset, mark_verified=True)
