from dataclasses import dataclass, field

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from services_directory.forms import looks_like_slug
from services_directory.models import Commune, Need
from services_directory.text import query_words
from services_directory.translations import attach

from . import remembered
from .models import PathwayFeedback

QUERY_MAX_LENGTH = 120


class PathwaySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher un parcours"),
        help_text=_("Par exemple : crèche, séparation, premier emploi, CAF…"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Votre recherche est trop longue (%(limit_value)d caractères au plus)."
            )
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class FeedbackForm(forms.ModelForm):
    answer = forms.ChoiceField(
        label=_("Cette page vous a-t-elle aidé ?"),
        choices=PathwayFeedback.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une réponse : oui, en partie ou non."),
            "invalid_choice": _("Choisissez une réponse : oui, en partie ou non."),
        },
    )
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        # Lazy as a whole: `%` on a lazy string would write it in French once, at import.
        help_text=lazy(
            lambda: (
                gettext(
                    "N'écrivez ni votre nom, ni votre adresse, ni rien sur votre santé ou votre "
                    "situation personnelle : ce message est anonyme. %(max)s caractères au plus."
                )
                % {"max": PathwayFeedback.COMMENT_MAX_LENGTH}
            ),
            str,
        )(),
        required=False,
        max_length=PathwayFeedback.COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Votre commentaire est trop long : %(limit_value)d caractères au plus "
                "(il en a %(show_value)d)."
            )
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = PathwayFeedback
        fields = ["answer", "comment"]


# --- the guided orientation ----------------------------------------------------------

PROFILES = {
    "parent": _("Je suis parent"),
    "futur-parent": _("J'attends un enfant"),
    "jeune": _("Je suis un ou une jeune (11-25 ans)"),
    "pro": _("Je suis un ou une professionnelle"),
}
# The age asked for and its accepted range, by profile. Every profile answers the four
# questions: a future parent gives their own age (a pregnant 16-year-old is oriented
# towards the young people's services too). Young people up to 30: the contrat
# d'engagement jeune still takes 26-29 year-olds with a disability; parents are asked
# about a child still at home.
AGE_QUESTIONS = {
    "parent": (_("Quel âge a votre enfant ?"), 0, 25),
    "futur-parent": (_("Quel âge avez-vous ?"), 11, 60),
    "jeune": (_("Quel âge avez-vous ?"), 11, 30),
    "pro": (_("Quel âge a la personne que vous accompagnez ?"), 0, 99),
}
# Profiles asked about a child, who may be a baby: their age can be given in months.
AGE_IN_MONTHS = {"parent", "pro"}
MAX_MONTHS = 35
QUESTIONS = ["profil", "age", "besoin", "commune"]
# Sector slugs (migration 0003 of the directory) by the ages they serve, to offer first
# the needs of the person's age: a parent of a baby is not offered adult employment first.
CHILD_SECTORS = {"petite-enfance": (0, 5), "enfance": (3, 11), "jeunesse": (11, 25)}
FIRST_SECTORS = {
    "futur-parent": ["petite-enfance", "parentalite", "france-services", "acces-aux-droits"],
    "jeune": ["jeunesse", "insertion-emploi", "sante", "logement-mobilite"],
}
PARENT_SECTORS = ["parentalite", "handicap", "sante"]


def needs_offered(sectors, *, profile: str, age: int | None) -> tuple[list, list]:
    """(first, others): the sectors whose needs fit who is asking and the age, then the
    rest. `sectors` are Sector objects with their needs prefetched."""
    sectors = [sector for sector in sectors if sector.needs.all()]
    # Their names in the page's language: one query per model, not one per choice.
    attach([*sectors, *(need for sector in sectors for need in sector.needs.all())])
    if profile in FIRST_SECTORS:
        wanted = FIRST_SECTORS[profile]
    elif profile == "parent" and age is not None:
        wanted = [
            slug for slug, (low, high) in CHILD_SECTORS.items() if low <= age <= high
        ] + PARENT_SECTORS
    else:
        return sectors, []
    by_slug = {sector.slug: sector for sector in sectors}
    first = [by_slug[slug] for slug in wanted if slug in by_slug]
    return first, [sector for sector in sectors if sector not in first]


@dataclass
class Guide:
    """The four questions of /orienter/, read from GET parameters.

    Answers are checked in order; the first missing or wrong one is the question to
    ask (again). Later answers are dropped then: a linear path is easier to follow.
    """

    data: dict
    profile: str = ""
    age: int | None = None
    months: int | None = None  # a baby's age, when given in months
    need: Need | None = None
    query: str = ""
    commune: Commune | None = None
    current: str | None = None
    error: str = ""
    answered: list = field(default_factory=list)

    def __post_init__(self):
        for question in QUESTIONS:
            state = getattr(self, f"_read_{question}")()
            if state is True:
                self.answered.append(question)
                continue
            self.current = question
            if state is None and self._value("etape") == question:
                self.error = str(_("Répondez à la question pour continuer."))
            elif state is None and self._has_later_answers(question):
                self.error = str(_("Il manque une réponse : répondez d'abord à cette question."))
            elif state not in (None, False):
                self.error = str(state)
            break

    def _value(self, name: str) -> str:
        value = self.data.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def _has_later_answers(self, question: str) -> bool:
        later = QUESTIONS[QUESTIONS.index(question) + 1 :]
        names = {"besoin": ["besoin", "q"]}
        return any(self._value(n) for q in later for n in names.get(q, [q]))

    # Each reader returns True (valid), None (not answered) or a French error message.

    def _read_profil(self):
        value = self._value("profil")
        if not value:
            return None
        if value not in PROFILES:
            return _("Nous n'avons pas compris qui vous êtes : choisissez une réponse.")
        self.profile = value
        return True

    def _read_age(self):
        value = self._value("age")
        if not value:
            return None
        _label, low, high = AGE_QUESTIONS[self.profile]
        try:
            age = int(value)
        except ValueError:
            return _("L'âge doit être un nombre, par exemple 4.")
        if self.in_months:
            if not 0 <= age <= MAX_MONTHS:
                return _(
                    "Indiquez un âge entre 0 et %(max)s mois, ou en années à partir de 3 ans."
                ) % {"max": MAX_MONTHS}
            self.months, self.age = age, age // 12
            return True
        if not low <= age <= high:
            return _("Indiquez un âge entre %(low)s et %(high)s ans.") % {"low": low, "high": high}
        self.age = age
        return True

    @property
    def in_months(self) -> bool:
        return self.profile in AGE_IN_MONTHS and self._value("unite") == "mois"

    def _read_besoin(self):
        slug, query = self._value("besoin"), self._value("q")
        if slug:
            if looks_like_slug(slug):
                self.need = remembered.need(slug)
            if self.need is None:
                return _("Ce besoin n'existe pas dans la liste : choisissez-en un ou écrivez-le.")
            return True
        if not query:
            return None
        if len(query) > QUERY_MAX_LENGTH:
            return _("Écrivez votre besoin en %(n)s caractères au plus.") % {"n": QUERY_MAX_LENGTH}
        if "\x00" in query or not query_words(query):
            return _(
                "Écrivez votre besoin en quelques mots, par exemple « crèche » ou « emploi »."
            )
        self.query = query
        return True

    def _read_commune(self):
        slug = self._value("commune")
        if not slug:
            return None
        if looks_like_slug(slug):
            self.commune = remembered.commune(slug)
        if self.commune is None:
            return _("Cette commune n'est pas sur la liste : choisissez la vôtre.")
        return True

    # --- what the templates need ------------------------------------------------------

    @property
    def is_done(self) -> bool:
        return self.current is None

    def params(self, upto: str | None = None) -> dict[str, str]:
        """The valid answers given before question `upto` (all of them when None)."""
        params = {}
        for question in QUESTIONS:
            if question == upto:
                break
            if question not in self.answered:
                continue
            if question == "profil":
                params["profil"] = self.profile
            elif question == "age":
                if self.months is not None:
                    params.update({"age": str(self.months), "unite": "mois"})
                else:
                    params["age"] = str(self.age)
            elif question == "besoin":
                params.update({"besoin": self.need.slug} if self.need else {"q": self.query})
            elif question == "commune":
                params["commune"] = self.commune.slug
        return params

    @property
    def hidden_params(self) -> dict[str, str]:
        return self.params(upto=self.current)

    def questions_asked(self) -> list[str]:
        """The questions everyone is asked, in order: "Question 2 sur 4" throughout."""
        return list(QUESTIONS)

    @property
    def step_number(self) -> int:
        return self.questions_asked().index(self.current) + 1

    @property
    def step_count(self) -> int:
        return len(self.questions_asked())

    @property
    def previous_question(self) -> str | None:
        asked = self.questions_asked()
        position = asked.index(self.current) if self.current else len(asked)
        return asked[position - 1] if position else None

    @property
    def profile_label(self) -> str:
        return str(PROFILES.get(self.profile, ""))

    @property
    def age_label(self) -> str:
        if self.months is not None:
            return ngettext("%(n)s mois", "%(n)s mois", self.months) % {"n": self.months}
        if self.age is None:
            return ""
        return ngettext("%(n)s an", "%(n)s ans", self.age) % {"n": self.age}
