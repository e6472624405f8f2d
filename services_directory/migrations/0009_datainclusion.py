"""data·inclusion interop: where imported records came from, the thématiques mapping table,
partners' sheet changes and freshness requests, import runs.

The mapping table replaces `Need.datainclusion_thematique` (removed by 0009): each need's
thématique becomes an export row, and each thématique gets one import row, chosen here as
product data (the broadest of our needs for it, or only a sector), so that a DORA crèche
lands in "Faire garder mon enfant" rather than in "Accueil avant et après l'école".
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# thématique -> need slug (or "sector:<slug>") that an imported service with it answers.
IMPORT_TARGETS = {
    "famille--garde-denfants": "faire-garder-mon-enfant",
    "famille--soutien-a-la-parentalite-et-a-leducation": "soutien-parentalite",
    "famille--surmonter-conflits-separation-violence": "conflit-familial-separation",
    "famille--soutien-aidants": "aidant-proche",
    "famille--prise-en-charge-personne-dependante": "aidant-proche",
    "sante--acces-aux-soins": "se-soigner",
    "sante--sante-mentale": "ecoute-sante-mentale",
    "sante--addictions": "ecoute-sante-mentale",
    "sante--sante-sexuelle": "se-soigner",
    "sante--constituer-un-dossier-mdph-invalidite": "handicap-adulte",
    "remobilisation--activites-sportives-et-culturelles": "activites-sport-culture",
    # In a families-and-youth directory, "lien social" is first the youth spaces.
    "remobilisation--lien-social": "espace-jeunes",
    "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite": "emploi",
    "choisir-un-metier--confirmer-son-choix-de-metier": "emploi",
    "choisir-un-metier--connaitre-les-opportunites-demploi": "emploi",
    "choisir-un-metier--identifier-ses-points-forts-et-ses-competences": "emploi",
    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise": "sector:insertion-emploi",
    "creer-une-entreprise--developper-son-entreprise": "sector:insertion-emploi",
    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise": "sector:insertion-emploi",
    "trouver-un-emploi--repondre-a-des-offres-demploi": "emploi",
    "trouver-un-emploi--convaincre-un-recruteur-en-entretien": "emploi",
    "trouver-un-emploi--faire-des-candidatures-spontanees": "emploi",
    "trouver-un-emploi--maintien-dans-lemploi": "emploi",
    "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs": "emploi",
    "preparer-sa-candidature--developper-son-reseau": "emploi",
    "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi": "emploi",
    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation": "emploi",
    "preparer-sa-candidature--valoriser-ses-competences": "emploi",
    "se-former--trouver-sa-formation": "formation",
    "se-former--monter-son-dossier-de-formation": "formation",
    "lecture-ecriture-calcul--maitriser-le-francais": "apprendre-le-francais",
    "lecture-ecriture-calcul--maitriser-le-calcul": "formation",
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits": "acces-aux-droits",
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives": "demarches-administratives",
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete": "acces-aux-droits",
    "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte": "acces-aux-droits",
    "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination": "acces-aux-droits",
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire": "acces-aux-droits",
    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere": "aide-financiere",
    "difficultes-financieres--acquerir-une-autonomie-budgetaire": "aide-financiere",
    "difficultes-financieres--ameliorer-sa-gestion-budgetaire": "aide-financiere",
    "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere": "aide-financiere",
    "difficultes-financieres--situation-dendettement-surendettement": "aide-financiere",
    "equipement-et-alimentation--alimentation": "aide-alimentaire",
    "equipement-et-alimentation--aide-menagere": "sector:acces-aux-droits",
    "equipement-et-alimentation--electromenager": "sector:acces-aux-droits",
    "equipement-et-alimentation--habillement": "sector:acces-aux-droits",
    "numerique--maitriser-les-fondamentaux-du-numerique": "aide-numerique",
    "numerique--acceder-a-des-services-en-ligne": "aide-numerique",
    "numerique--acceder-a-une-connexion-internet": "aide-numerique",
    "numerique--acquerir-un-equipement": "aide-numerique",
    "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement": "logement",
    "logement-hebergement--acheter-un-logement": "logement",
    "logement-hebergement--changer-de-logement": "logement",
    "logement-hebergement--louer-un-logement": "logement",
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire": "logement",
    "logement-hebergement--reduire-les-impayes-de-loyer": "logement",
    "logement-hebergement--se-maintenir-dans-le-logement": "logement",
    "mobilite--etre-accompagne-dans-son-parcours-mobilite": "mobilite-permis",
    "mobilite--acceder-a-un-vehicule": "mobilite-permis",
    "mobilite--entretenir-reparer-son-vehicule": "mobilite-permis",
    "mobilite--financer-ma-mobilite": "mobilite-permis",
    "mobilite--preparer-un-permis": "mobilite-permis",
    "mobilite--mobilite-douce-partagee-collective": "mobilite-permis",
}


def forward(apps, schema_editor):
    Need = apps.get_model("services_directory", "Need")
    Sector = apps.get_model("services_directory", "Sector")
    Mapping = apps.get_model("services_directory", "ThematiqueMapping")
    needs = {need.slug: need for need in Need.objects.all()}
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    rows = {}  # (thematique, need pk or None) -> row
    # Each need's thématique becomes an export row (as the field said).
    for need in Need.objects.exclude(datainclusion_thematique="").order_by("pk"):
        rows[(need.datainclusion_thematique, need.pk)] = Mapping(
            thematique=need.datainclusion_thematique, need=need, direction="export"
        )
    # One import row per thématique: the export row of the same need becomes "both".
    for thematique, target in IMPORT_TARGETS.items():
        if target.startswith("sector:"):
            sector = sectors.get(target.removeprefix("sector:"))
            if sector is not None:
                rows[(thematique, None)] = Mapping(
                    thematique=thematique, sector=sector, direction="import"
                )
            continue
        need = needs.get(target)
        if need is None:  # renamed or deleted by hand: the admin maps it
            continue
        row = rows.get((thematique, need.pk))
        if row is not None:
            row.direction = "both"
        else:
            rows[(thematique, need.pk)] = Mapping(
                thematique=thematique, need=need, direction="import"
            )
    Mapping.objects.bulk_create(rows.values())



class Migration(migrations.Migration):

    dependencies = [
        ('services_directory', '0008_staffprofile_notify'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FreshnessRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='demandée le')),
                ('sent_to', models.EmailField(max_length=254, verbose_name='à')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='réponse le')),
                ('answer', models.CharField(blank=True, choices=[('confirmed', "rien n'a changé"), ('edited', 'fiche modifiée')], max_length=10, verbose_name='réponse')),
            ],
            options={
                'verbose_name': 'demande de vérification',
                'verbose_name_plural': 'demandes de vérification',
                'ordering': ['-sent_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ImportFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='nom')),
                ('content', models.BinaryField()),
                ('size', models.PositiveIntegerField(verbose_name='taille (octets)')),
            ],
            options={
                'verbose_name': 'fichier importé',
                'verbose_name_plural': 'fichiers importés',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='ImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='lancé le')),
                ('dry_run', models.BooleanField(default=True, verbose_name='simulation')),
                ('communes', models.JSONField(blank=True, default=list, verbose_name='communes retenues (codes INSEE)')),
                ('status', models.CharField(choices=[('waiting', 'en attente'), ('running', 'en cours'), ('done', 'terminé'), ('failed', "échec, rien n'a été enregistré")], default='waiting', max_length=10, verbose_name='état')),
                ('stage', models.CharField(blank=True, max_length=120, verbose_name='étape')),
                ('done', models.PositiveIntegerField(default=0)),
                ('total', models.PositiveIntegerField(default=0)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='terminé le')),
                ('report', models.JSONField(blank=True, default=dict, verbose_name='compte rendu')),
                ('error', models.TextField(blank=True, verbose_name='erreur')),
            ],
            options={
                'verbose_name': 'import data·inclusion',
                'verbose_name_plural': 'imports data·inclusion',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ServiceChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('confirmed', "« Rien n'a changé »"), ('practical', 'informations pratiques'), ('content', 'ce que fait le service, pour qui')], max_length=10, verbose_name='nature')),
                ('status', models.CharField(choices=[('applied', 'appliquée'), ('pending', 'à valider'), ('accepted', 'validée'), ('rejected', 'refusée'), ('superseded', 'remplacée par une proposition plus récente')], max_length=10, verbose_name='état')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='modifications')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='le')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='décidée le')),
                ('decision_note', models.CharField(blank=True, max_length=500, verbose_name='message au partenaire')),
            ],
            options={
                'verbose_name': "modification d'une fiche par son partenaire",
                'verbose_name_plural': 'modifications des fiches par les partenaires',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ThematiqueMapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('thematique', models.CharField(db_index=True, max_length=120, verbose_name='thématique data·inclusion')),
                ('direction', models.CharField(choices=[('both', "à l'import et à l'export"), ('export', "à l'export seulement"), ('import', "à l'import seulement")], default='both', max_length=10, verbose_name='sens')),
            ],
            options={
                'verbose_name': 'correspondance data·inclusion',
                'verbose_name_plural': 'correspondances data·inclusion',
                'ordering': ['thematique', 'direction', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='partner',
            name='imported_values',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='partner',
            name='source',
            field=models.CharField(blank=True, default='', help_text="Le producteur d'origine (data·inclusion : dora, soliguide…), si importé.", max_length=100, verbose_name='source des données'),
        ),
        migrations.AddField(
            model_name='partner',
            name='source_id',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='identifiant à la source'),
        ),
        migrations.AddField(
            model_name='place',
            name='imported_values',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='place',
            name='source',
            field=models.CharField(blank=True, default='', help_text="Le producteur d'origine (data·inclusion : dora, soliguide…), si importé.", max_length=100, verbose_name='source des données'),
        ),
        migrations.AddField(
            model_name='place',
            name='source_id',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='identifiant à la source'),
        ),
        migrations.AddField(
            model_name='service',
            name='check_every_months',
            field=models.PositiveSmallIntegerField(choices=[(3, 'tous les 3 mois'), (6, 'tous les 6 mois'), (12, 'tous les 12 mois')], default=6, help_text='Quand ce délai est passé depuis « vérifiées le », le partenaire reçoit un courriel pour confirmer ou corriger sa fiche.', verbose_name='à faire vérifier'),
        ),
        migrations.AddField(
            model_name='service',
            name='imported_values',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='service',
            name='source',
            field=models.CharField(blank=True, default='', help_text="Le producteur d'origine (data·inclusion : dora, soliguide…), si importé.", max_length=100, verbose_name='source des données'),
        ),
        migrations.AddField(
            model_name='service',
            name='source_id',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='identifiant à la source'),
        ),
        migrations.AlterField(
            model_name='need',
            name='datainclusion_thematique',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AlterField(
            model_name='service',
            name='cost',
            field=models.CharField(choices=[('free', 'Gratuit'), ('income', 'Selon les revenus'), ('paid', 'Payant'), ('unknown', 'Coût à demander au service')], default='free', max_length=10, verbose_name='coût'),
        ),
        migrations.AddConstraint(
            model_name='partner',
            constraint=models.UniqueConstraint(condition=models.Q(('source', ''), _negated=True), fields=('source', 'source_id'), name='partner_unique_source_id'),
        ),
        migrations.AddConstraint(
            model_name='place',
            constraint=models.UniqueConstraint(condition=models.Q(('source', ''), _negated=True), fields=('source', 'source_id'), name='place_unique_source_id'),
        ),
        migrations.AddConstraint(
            model_name='service',
            constraint=models.UniqueConstraint(condition=models.Q(('source', ''), _negated=True), fields=('source', 'source_id'), name='service_unique_source_id'),
        ),
        migrations.AddField(
            model_name='freshnessrequest',
            name='message',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='services_directory.outgoingmessage', verbose_name='courriel'),
        ),
        migrations.AddField(
            model_name='freshnessrequest',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='freshness_requests', to='services_directory.service', verbose_name='service'),
        ),
        migrations.AddField(
            model_name='importrun',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AddField(
            model_name='importfile',
            name='run',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='services_directory.importrun'),
        ),
        migrations.AddField(
            model_name='servicechange',
            name='author',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AddField(
            model_name='servicechange',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='décision de'),
        ),
        migrations.AddField(
            model_name='servicechange',
            name='link',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='changes', to='services_directory.freshnessrequest', verbose_name='par le lien envoyé le'),
        ),
        migrations.AddField(
            model_name='servicechange',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='services_directory.service', verbose_name='service'),
        ),
        migrations.AddField(
            model_name='thematiquemapping',
            name='need',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='thematique_mappings', to='services_directory.need', verbose_name='besoin'),
        ),
        migrations.AddField(
            model_name='thematiquemapping',
            name='sector',
            field=models.ForeignKey(blank=True, help_text='Laissez vide pour prendre le secteur du besoin.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services_directory.sector', verbose_name='secteur'),
        ),
        migrations.AddIndex(
            model_name='servicechange',
            index=models.Index(fields=['status', 'created_at'], name='services_di_status_086d53_idx'),
        ),
        migrations.AddConstraint(
            model_name='thematiquemapping',
            constraint=models.UniqueConstraint(condition=models.Q(('direction__in', ['both', 'import'])), fields=('thematique',), name='one_import_row_per_thematique'),
        ),
        migrations.AddConstraint(
            model_name='thematiquemapping',
            constraint=models.UniqueConstraint(fields=('thematique', 'need'), name='unique_thematique_need'),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
