"""The safety net: when words or a need point to violence, danger or distress.

One detection function for every page that answers a person (directory, guided
orientation, pathways, counter); the page then shows `includes/emergency.html` first:
17, 112, 114 (SMS), 3919, 119, 3114, and a button to leave the site at once.

Deliberately generous: showing the emergency numbers to someone who did not need them
costs a few lines; not showing them to someone in danger can cost much more.
"""

import re

from .text import fold, stem

# Stems (see text.stem) of words that alone point to danger: violence, blows, threats,
# fear, abuse, harassment, suicide, self-harm, a child in danger, a runaway.
_DANGER_WORDS = """
    violence violent violente violenter frapper frappe tabasser battre battu battue cogner
    menace menacer menacant peur terrorise maltraitance maltraiter maltraite harcelement
    harceler harcele suicide suicidaire suicider scarifier scarification automutilation
    viol violer violee agression agresser agresse abus abuser inceste attouchement emprise
    etrangler strangulation sequestrer sequestre fugue fuguer prostitution detresse
    desespoir desespere insulter humilier rabaisser danger dangereux dangereuse
"""
DANGER_STEMS = frozenset(stem(word) for word in _DANGER_WORDS.split())
# Phrases whose words are too common alone ("tuer", "mourir", "coups"), on folded text.
DANGER_PHRASES = re.compile(
    r"\b("
    r"(me|te|se|nous|vous|la|le|les|l) tuer|tuer (moi|ma|mon|mes|les|nos)"
    r"|envie de mourir|veux mourir|voudrais mourir|vais mourir|plus envie de vivre"
    r"|en finir|mettre fin a (mes|ses|tes) jours|me faire du mal|se faire du mal"
    r"|(des|de|les|aux) coups|(me|te|la|le|les|nous|il|elle|on) tape"
    r"|tape (ma|mon|sa|son|ta|ton|mes|ses|nos|les)"
    r"|me bat|la bat|le bat|les bat|nous bat|me force|a la rue|mis dehors|mise dehors"
    r")\b"
)


def points_to_danger(text: str = "", needs=()) -> bool:
    """True when the words typed or one of the needs chosen point to danger or distress."""
    if any(getattr(need, "signals_danger", False) for need in needs if need is not None):
        return True
    folded = fold(text)
    if not folded:
        return False
    if any(stem(word) in DANGER_STEMS for word in folded.split()):
        return True
    return bool(DANGER_PHRASES.search(folded))
