"""The search evaluation set: wordings of families and advisers, and the demo services that
are right for each (any one of them in the first three results is a hit).

Written as people type in a search box or say at a counter, with their mistakes, SMS
spellings and missing accents, not to fit the engine. The right services are those of the
demo territory (`portal/demo/directory.toml`) a counter adviser would send the person to.
Nonsense must find nothing.
"""

GARDE = {
    "relais-petite-enfance",
    "multi-accueil-les-petits-mousses",
    "multi-accueil-les-lucioles",
    "micro-creche-les-coquelicots",
    "halte-garderie-itinerante",
}
PERISCOLAIRE = {
    "periscolaire-pont-sur-yonne",
    "periscolaire-villeneuve-la-guyard",
    "periscolaire-sergines",
}
LOISIRS = {"alsh-les-castors-mercredis", "alsh-la-ruche-vacances", "alsh-sergines-mercredis"}
PMI = {
    "pmi-consultations-nourrisson",
    "pmi-consultations-villeneuve",
    "pmi-puericultrice-domicile",
}
GROSSESSE = {"pmi-sage-femme", "pmi-puericultrice-domicile"}
EVEIL = {
    "laep-la-cabane",
    "bebes-lecteurs",
    "ateliers-parents-enfants-champigny",
    "halte-garderie-itinerante",
    "relais-petite-enfance",
}
DEVOIRS = {"accompagnement-scolarite-clas"}
SPORT_CULTURE = {
    "ecole-multisports",
    "mediatheque-intercommunale",
    "alsh-les-castors-mercredis",
    "alsh-la-ruche-vacances",
    "espace-jeunes-villeneuve",
    "bebes-lecteurs",
}
PIJ = {"point-information-jeunesse", "animation-jeunesse-itinerante"}
ESPACE_JEUNES = {
    "espace-jeunes-villeneuve",
    "espace-jeunes-le-spot",
    "animation-jeunesse-itinerante",
}
ECOUTE_JEUNES = {"paej-ecoute-jeunes", "cmp-enfants-adolescents", "examen-prevention-sante-jeunes"}
PARENTS = {
    "ateliers-parents",
    "cafe-des-parents",
    "ecoute-parents",
    "laep-la-cabane",
    "ateliers-parents-enfants-champigny",
}
SEPARATION = {"mediation-familiale", "espace-rencontre", "caf-travailleur-social", "point-justice"}
VIOLENCES = {"accompagnement-violences", "service-social-departemental"}
CAF = {
    "caf-rendez-vous-conseiller",
    "caf-travailleur-social",
    "france-services-pont-sur-yonne",
    "france-services-villeneuve",
    "bus-france-services",
}
FRANCE_SERVICES = {
    "france-services-pont-sur-yonne",
    "france-services-villeneuve",
    "bus-france-services",
}
HANDICAP_ENFANT = {"mdph-permanence", "pole-ressources-handicap", "cmp-enfants-adolescents"}
AIDANTS = {"repit-aidants"}
EMPLOI = {
    "france-travail-rendez-vous",
    "ateliers-emploi",
    "mission-locale-pont-sur-yonne",
    "mission-locale-villeneuve",
    "contrat-engagement-jeune",
    "chantier-insertion-jardins",
}
JEUNES_EMPLOI = {
    "mission-locale-pont-sur-yonne",
    "mission-locale-villeneuve",
    "contrat-engagement-jeune",
    "point-information-jeunesse",
    "argent-de-poche",
}
MISSION_LOCALE = {
    "mission-locale-pont-sur-yonne",
    "mission-locale-villeneuve",
    "contrat-engagement-jeune",
}
FORMATION = MISSION_LOCALE | {"france-travail-rendez-vous", "chantier-insertion-jardins"}
FRANCAIS = {"ateliers-francais"}
SOINS = {
    "cpam-permanence",
    "cpam-accompagnement-sante",
    "maison-de-sante",
    "france-services-pont-sur-yonne",
    "examen-prevention-sante-jeunes",
}
PSY = {"paej-ecoute-jeunes", "cmp-enfants-adolescents", "repit-aidants"}
ARGENT = {
    "ccas-pont-sur-yonne",
    "ccas-villeneuve-la-guyard",
    "service-social-departemental",
    "epicerie-solidaire",
    "point-info-logement",
}
ALIMENTAIRE = {
    "epicerie-solidaire",
    "distribution-alimentaire-evry",
    "ccas-pont-sur-yonne",
    "ccas-villeneuve-la-guyard",
}
NUMERIQUE = FRANCE_SERVICES | {"conseiller-numerique", "mediatheque-intercommunale"}
LOGEMENT = {
    "point-info-logement",
    "service-social-departemental",
    "point-information-jeunesse",
    "mission-locale-pont-sur-yonne",
    "caf-travailleur-social",
    "point-justice",
}
MOBILITE = {
    "plateforme-mobilite",
    "auto-ecole-sociale",
    "transport-a-la-demande",
    "mission-locale-pont-sur-yonne",
    "point-information-jeunesse",
}
ASSISTANTE_SOCIALE = {"service-social-departemental", "caf-travailleur-social"}

# (kind, wording, right services)
WORDINGS = [
    # --- plain words, as on the home page --------------------------------------------------
    ("mots simples", "creche", GARDE),
    ("mots simples", "garde", GARDE),
    ("mots simples", "périscolaire", PERISCOLAIRE),
    ("mots simples", "centre de loisirs", LOISIRS),
    ("mots simples", "aide aux devoirs", DEVOIRS),
    ("mots simples", "emploi", EMPLOI),
    ("mots simples", "premier emploi", JEUNES_EMPLOI | EMPLOI),
    ("mots simples", "logement", LOGEMENT),
    ("mots simples", "permis de conduire", MOBILITE),
    ("mots simples", "handicap", HANDICAP_ENFANT),
    ("mots simples", "mediation familiale", {"mediation-familiale"}),
    ("mots simples", "sage femme", {"pmi-sage-femme"}),
    ("mots simples", "psychologue", PSY),
    ("mots simples", "medecin", SOINS | PMI),
    ("mots simples", "epicerie solidaire", {"epicerie-solidaire"}),
    ("mots simples", "cours de francais", FRANCAIS),
    ("mots simples", "vacances", LOISIRS),
    ("mots simples", "sport", SPORT_CULTURE),
    ("mots simples", "ordinateur", NUMERIQUE),
    ("mots simples", "impots", FRANCE_SERVICES),
    ("mots simples", "retraite", FRANCE_SERVICES),
    ("mots simples", "carte vitale", {"cpam-permanence", "cpam-accompagnement-sante"}),
    ("mots simples", "avocat", {"point-justice"}),
    ("mots simples", "scooter", {"plateforme-mobilite"}),
    ("mots simples", "bibliotheque", {"mediatheque-intercommunale", "bebes-lecteurs"}),
    ("mots simples", "espace jeunes", ESPACE_JEUNES),
    ("mots simples", "job d'été", PIJ | {"argent-de-poche"}),
    ("mots simples", "allocations", CAF),
    # --- typing mistakes --------------------------------------------------------------------
    ("fautes de frappe", "creshe", GARDE),
    ("fautes de frappe", "puéricultrisse", PMI),
    ("fautes de frappe", "assitante sociale", ASSISTANTE_SOCIALE),
    ("fautes de frappe", "assistante maternel", GARDE),
    ("fautes de frappe", "halte garderi", GARDE),
    ("fautes de frappe", "médiatèque", {"mediatheque-intercommunale", "bebes-lecteurs"}),
    ("fautes de frappe", "mision locale", MISSION_LOCALE),
    ("fautes de frappe", "alocation familliale", CAF),
    ("fautes de frappe", "psycologue", PSY),
    ("fautes de frappe", "logment", LOGEMENT),
    ("fautes de frappe", "pole emploie", EMPLOI),
    ("fautes de frappe", "ortofoniste", HANDICAP_ENFANT),
    ("fautes de frappe", "vacanse scolaire", LOISIRS),
    ("fautes de frappe", "cantinne", PERISCOLAIRE),
    ("fautes de frappe", "permi de conduir", MOBILITE),
    ("fautes de frappe", "epiceri solidere", {"epicerie-solidaire"}),
    ("fautes de frappe", "franse service", FRANCE_SERVICES),
    ("fautes de frappe", "dépréssion", PSY),
    ("fautes de frappe", "carte vital", {"cpam-permanence", "cpam-accompagnement-sante"}),
    ("fautes de frappe", "nouno", GARDE),
    ("fautes de frappe", "vacsin bebe", PMI),
    # --- words typed without the space --------------------------------------------------------
    ("mots collés", "haltegarderie", GARDE),
    ("mots collés", "assistantesociale", ASSISTANTE_SOCIALE),
    ("mots collés", "aideauxdevoirs", DEVOIRS),
    ("mots collés", "missionlocale", MISSION_LOCALE),
    ("mots collés", "centredeloisirs", LOISIRS),
    ("mots collés", "franceservices", FRANCE_SERVICES),
    ("mots collés", "cartevitale", {"cpam-permanence", "cpam-accompagnement-sante"}),
    ("mots collés", "francetravail", {"france-travail-rendez-vous", "ateliers-emploi"}),
    ("mots collés", "espacejeunes", ESPACE_JEUNES),
    ("mots collés", "sagefemme", {"pmi-sage-femme"}),
    ("mots collés", "microcreche", GARDE),
    ("mots collés", "multiaccueil", GARDE),
    ("mots collés", "assistantematernelle", GARDE),
    # --- word forms ---------------------------------------------------------------------------
    ("formes des mots", "divorcé", SEPARATION),
    ("formes des mots", "séparée", SEPARATION),
    ("formes des mots", "parents séparés", SEPARATION),
    ("formes des mots", "enfants handicapés", HANDICAP_ENFANT),
    ("formes des mots", "jeunes sans emplois", JEUNES_EMPLOI),
    ("formes des mots", "crèches", GARDE),
    ("formes des mots", "assistantes maternelles", GARDE),
    ("formes des mots", "allocations familiales", CAF),
    ("formes des mots", "activités sportives", SPORT_CULTURE),
    ("formes des mots", "logements sociaux", LOGEMENT),
    ("formes des mots", "enceinte", GROSSESSE),
    ("formes des mots", "accouchement", GROSSESSE),
    ("formes des mots", "déscolarisée", MISSION_LOCALE),
    ("formes des mots", "vaccins", PMI),
    ("formes des mots", "soigner", SOINS),
    ("formes des mots", "handicapée", {"mdph-permanence"}),
    ("formes des mots", "devoirs", DEVOIRS),
    # --- sentences ----------------------------------------------------------------------------
    ("phrases", "je cherche une nounou pour ma fille", GARDE),
    ("phrases", "on n'a plus de quoi payer la cantine", ARGENT | PERISCOLAIRE),
    ("phrases", "mon fils de 17 ans a arrêté l'école", MISSION_LOCALE | PIJ),
    ("phrases", "ma fille ne va plus au lycée", MISSION_LOCALE | PIJ | ECOUTE_JEUNES),
    ("phrases", "comment faire garder mon bébé", GARDE),
    ("phrases", "je voudrais inscrire mon fils au centre aéré cet été", LOISIRS),
    ("phrases", "mon ado ne va pas bien il reste enfermé dans sa chambre", ECOUTE_JEUNES),
    ("phrases", "je n'arrive plus à payer mon loyer", LOGEMENT | ARGENT),
    ("phrases", "j'ai besoin d'aide pour remplir mon dossier caf", CAF),
    ("phrases", "je ne sais pas me servir d'internet", NUMERIQUE),
    ("phrases", "on se sépare et on ne s'entend pas pour les enfants", SEPARATION),
    ("phrases", "mon ex ne paie pas la pension", SEPARATION),
    ("phrases", "je suis enceinte et je suis seule", GROSSESSE),
    ("phrases", "mon enfant est autiste qui peut m'aider pour l'école", HANDICAP_ENFANT),
    ("phrases", "je m'occupe de ma mère malade je suis épuisée", AIDANTS),
    ("phrases", "on a rien à manger ce mois ci", ALIMENTAIRE),
    ("phrases", "je cherche du travail", EMPLOI),
    ("phrases", "mon fils veut passer son permis mais on a pas les moyens", MOBILITE),
    ("phrases", "où faire vacciner mon bébé", PMI),
    ("phrases", "je veux apprendre à lire et écrire", FRANCAIS),
    ("phrases", "besoin d'un médecin traitant", SOINS),
    ("phrases", "mon enfant a des difficultés à l'école", DEVOIRS | HANDICAP_ENFANT),
    ("phrases", "que faire le mercredi avec mes enfants", LOISIRS | SPORT_CULTURE),
    ("phrases", "comment avoir la complémentaire santé", SOINS),
    ("phrases", "mon fils de 15 ans cherche un stage", PIJ | MISSION_LOCALE),
    ("phrases", "je n'ai pas de voiture pour aller travailler", MOBILITE),
    ("phrases", "je suis perdue dans mes papiers", FRANCE_SERVICES),
    ("phrases", "j'ai reçu un courrier des impots que je comprends pas", FRANCE_SERVICES),
    ("phrases", "je veux reprendre une formation", FORMATION),
    ("phrases", "je suis au chomage depuis 2 ans", EMPLOI),
    ("phrases", "ma fille de 2 ans rentre à l'école en septembre", PERISCOLAIRE),
    ("phrases", "je suis a la rue avec mes enfants", LOGEMENT | ARGENT),
    ("phrases", "ou trouver des colis alimentaires", ALIMENTAIRE),
    # --- everyday words for a need --------------------------------------------------------------
    ("mots de tous les jours", "nounou", GARDE),
    ("mots de tous les jours", "baby sitting", GARDE | PIJ),
    ("mots de tous les jours", "nourrice", GARDE),
    ("mots de tous les jours", "garderie", PERISCOLAIRE | GARDE),
    ("mots de tous les jours", "centre aéré", LOISIRS),
    ("mots de tous les jours", "colo", LOISIRS | PIJ),
    ("mots de tous les jours", "boulot", EMPLOI),
    ("mots de tous les jours", "chômage", EMPLOI),
    ("mots de tous les jours", "resto du coeur", ALIMENTAIRE),
    ("mots de tous les jours", "bons alimentaires", ALIMENTAIRE),
    ("mots de tous les jours", "juge aux affaires familiales", SEPARATION),
    ("mots de tous les jours", "pension alimentaire", SEPARATION),
    ("mots de tous les jours", "garde alternée", SEPARATION),
    ("mots de tous les jours", "soutien scolaire", DEVOIRS),
    ("mots de tous les jours", "psy", PSY),
    ("mots de tous les jours", "mal être", PSY | ECOUTE_JEUNES),
    ("mots de tous les jours", "secu", SOINS),
    ("mots de tous les jours", "mutuelle", SOINS),
    ("mots de tous les jours", "assistante sociale", ASSISTANTE_SOCIALE),
    ("mots de tous les jours", "allocs", CAF),
    ("mots de tous les jours", "appart", LOGEMENT),
    ("mots de tous les jours", "foot pour mon fils", SPORT_CULTURE),
    ("mots de tous les jours", "assmat", GARDE),
    ("mots de tous les jours", "décrochage scolaire", MISSION_LOCALE),
    ("mots de tous les jours", "prime d'activité", CAF),
    # --- acronyms -------------------------------------------------------------------------------
    ("sigles", "CAF", {"caf-rendez-vous-conseiller", "caf-travailleur-social"}),
    ("sigles", "rsa", CAF),
    ("sigles", "APL", CAF | LOGEMENT),
    ("sigles", "PMI", PMI | GROSSESSE),
    ("sigles", "RPE", {"relais-petite-enfance"}),
    ("sigles", "ram", {"relais-petite-enfance"}),
    ("sigles", "MDPH", {"mdph-permanence"}),
    ("sigles", "aah", {"mdph-permanence"}),
    ("sigles", "AEEH", {"mdph-permanence"}),
    ("sigles", "rqth", {"mdph-permanence"}),
    ("sigles", "CEJ", {"contrat-engagement-jeune"}),
    ("sigles", "PIJ", PIJ),
    ("sigles", "ALSH", LOISIRS),
    ("sigles", "CLAS", DEVOIRS),
    ("sigles", "LAEP", {"laep-la-cabane"}),
    ("sigles", "CCAS", {"ccas-pont-sur-yonne", "ccas-villeneuve-la-guyard"}),
    ("sigles", "cpam", {"cpam-permanence", "cpam-accompagnement-sante"}),
    ("sigles", "C2S", {"cpam-permanence", "cpam-accompagnement-sante"}),
    ("sigles", "bafa", PIJ),
    ("sigles", "HLM", LOGEMENT),
    ("sigles", "FSL", {"point-info-logement"}),
    ("sigles", "JAF", SEPARATION),
    ("sigles", "CMP", {"cmp-enfants-adolescents"}),
    ("sigles", "AESH", HANDICAP_ENFANT),
    # --- danger and distress ---------------------------------------------------------------
    ("détresse", "mon conjoint me menace", VIOLENCES),
    ("détresse", "mon mari me frappe", VIOLENCES),
    ("détresse", "violence conjugale", VIOLENCES),
    ("détresse", "j'ai peur de rentrer chez moi", VIOLENCES),
    ("détresse", "mon copain me bat", VIOLENCES),
    ("détresse", "mon pere tape ma mere", VIOLENCES),
    ("détresse", "enfant maltraité", VIOLENCES),
    ("détresse", "ma fille est harcelée au collège", ECOUTE_JEUNES),
    ("détresse", "je veux mourir", PSY | ECOUTE_JEUNES),
    ("détresse", "idées suicidaires", PSY | ECOUTE_JEUNES),
    ("détresse", "mon ex me harcele", VIOLENCES),
    ("détresse", "il m'insulte et me rabaisse tous les jours", VIOLENCES),
    ("détresse", "je suis battue", VIOLENCES),
    ("détresse", "mon fils se scarifie", ECOUTE_JEUNES),
]

NONSENSE = ["xqzw", "blablabla", "azertyuiop", "qsdfgh jklm"]

# Hit@3 floors the suite asserts: overall (the target) and for each kind.
OVERALL_FLOOR = 0.90
KIND_FLOOR = 0.75
