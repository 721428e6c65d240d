"""The demo data, as read from the two sample documents in `documents/`.

Each record says which passages support it (`Cite`): the quotes are copied verbatim
from the documents, typographic apostrophes (’) and translation errors included, and
the loader fails if one of them is not found. Nothing here is more precise than the
texts: no date, amount or name is added that the texts do not give, except the
well-known official names and acronyms of the organisations they mention, a year the
text makes certain without writing it (Rubio's "22 janvier", three weeks before
11 February 2025), and no day that they do not give: the French page's actions are under way when it
was last modified, in 2016 (a partial date: period "2016"), and the partner request's
date received is unknown.

Keys (`key`, `organization`, `person`...) are the demo's stable identifiers: the loader
stores them as `external_id = "demo:<key>"` where the model has that field, and uses
natural keys elsewhere, so that loading twice changes nothing.
"""

# The quotes are verbatim: typographic apostrophes and dashes are meant.
# ruff: noqa: RUF001, RUF002

from __future__ import annotations

import datetime

from liaison.activities.choices import (
    ActivityStatus,
    ActivityType,
    ParticipationRole,
    RequestStatus,
    Urgency,
)
from liaison.core.choices import Release
from liaison.core.models import Source
from liaison.demo.specs import (
    DIFFUSION_LIMITEE,
    DIFFUSION_RESTREINTE,
    ActivitySpec,
    AgreementSpec,
    Cite,
    ContextEventSpec,
    CourseSpec,
    Dates,
    DocumentSpec,
    EventSpec,
    ObjectiveSpec,
    OrganizationSpec,
    ParticipantSpec,
    ParticipationSpec,
    PersonSpec,
    PlaceSpec,
    PositionSpec,
    RequestSpec,
    SchoolSpec,
    WorkspaceSpec,
)
from liaison.events.models import ContextEvent, DateFlag, Event, Participant
from liaison.partners.choices import Gender
from liaison.partners.choices import OrganizationKind as Kind

# --- Workspaces ---------------------------------------------------------------------

MCD = "mcd-mali"
OSC = "osc-mali"

WORKSPACES = (
    WorkspaceSpec(
        slug=MCD,
        name="Mission de coopération de défense — Mali",
        description=(
            "La mission de coopération de défense française au Mali (DCSD) : "
            "ses actions, conventions et conseillers. Espace de démonstration."
        ),
        # France, by its OECD DAC code; government.
        iati_ref="XM-DAC-4",
        iati_type="10",
    ),
    WorkspaceSpec(
        slug=OSC,
        name="Bureau de coopération de sécurité des États-Unis — Mali",
        description=(
            "US Office of Security Cooperation — Mali: the US side's training events "
            "and contacts. Demo workspace."
        ),
        # The US Department of Defense in the US government's list; government.
        iati_ref="US-GOV-7",
        iati_type="10",
    ),
)

# --- Documents ----------------------------------------------------------------------

FR = "fr-2016"
US = "us-2025"

DOCUMENTS = (
    DocumentSpec(
        key=FR,
        owner=MCD,
        file_name="fr-cooperation-militaire-mali-2016.txt",
        title="Présentation de la Coopération militaire française au Mali",
        kind=Source.Kind.WEB_PAGE,
        language="fr",
        publisher="Ambassade de France au Mali / France Diplomatie",
        modified_on=datetime.date(2016, 5, 16),
        notes=(
            "Page « Coopération de défense » de l'ambassade de France au Mali, "
            "dernière modification le 16/05/2016."
        ),
        cites=(
            Cite(FR, "Présentation de la Coopération militaire française au Mali", "title"),
            Cite(FR, "Dernière modification : 16/05/2016", "modified_on"),
        ),
    ),
    DocumentSpec(
        key=US,
        owner=OSC,
        file_name="us-mali-cooperation-diils-2025.txt",
        title="La coopération de défense américaine-Mali entre dans un nouveau chapitre",
        kind=Source.Kind.PRESS_ARTICLE,
        language="fr",
        publisher="Service Com'",
        author="Pearl Matibe",
        notes=(
            "Article de presse (2025) traduit automatiquement de l'anglais, avec le "
            "texte de la page web laissé tel quel (« Ad image », « Source link »...). "
            "« Service Com' » est la signature de la page ; l'éditeur de l'article "
            "original n'est pas nommé. Pas de date de publication dans le texte."
        ),
        cites=(
            Cite(
                US,
                "La coopération de défense américaine-Mali entre dans un nouveau chapitre",
                "title",
            ),
            Cite(US, "Service Com'", "publisher"),
            Cite(US, "Pearl Matibe est un analyste géopolitique", "author"),
        ),
    ),
)

# --- Organisations (parents before children) ----------------------------------------

FR_MISSION_DE_DEFENSE = (
    "Relevant du Ministère de la Défense, la Mission de défense est en charge de la "
    "relation militaire bilatérale entre les forces armées malienne et française."
)
FR_MCD = (
    "Relevant du Ministère des Affaires étrangères et du Développement international "
    "(Direction de la Coopération de Sécurité et de Défense), la Mission de coopération de "
    "défense est en charge des actions à moyen et long terme conduites par la France au "
    "profit des forces armées maliennes."
)
US_DIILS_EVENT = (
    "les forces armées maliennes organisant un événement de formation en droit militaire "
    "de haut niveau du 19 au 11 février 2025 en partenariat avec le US Defence Institute "
    "of International Legal Studies (DIILS) et Africa Command (AFRICOM)"
)
US_DIILS_PROGRAMME = (
    "Diils, le programme mondial de l’éducation juridique du ministère américain de la "
    "Défense, joue un rôle essentiel dans la formation des pays partenaires sur le droit "
    "militaire, les droits de l’homme et la surveillance civile des forces armées."
)
US_ATTENDANCE = (
    "L’événement a été suivi par des principaux dirigeants militaires et diplomatiques "
    "des deux pays"
)
US_HAIDARA = (
    "le chef de cabinet du Mali du ministère de la Défense et des anciens combattants, "
    "le colonel-major Harouna Haïdara"
)
US_MAIGA = "Directeur de la justice militaire, le colonel Boubacar Maïga"
US_BAIN = "l’ambassade américaine Chargé d’Affaires Wallace Bain"
US_HEGSETH = (
    "le secrétaire américain à la défense, Pete Hegseth, a réaffirmé l’engagement de "
    "l’Amérique lors de sa visite au siège de l’AFRICOM à Stuttgart, en Allemagne, "
    "le 11 février 2025"
)
US_VENUE = "tenu à la Direction de la justice militaire du Mali"
# The coup as an incident (accountability): the article dates it by its year alone.
US_COUP = "le coup d’État militaire de 2020"
US_THREATS = (
    "le Mali continue de lutter contre les principales menaces terroristes de Jama’at "
    "Nusrat al-Islam Wal-Muslimin (JNIM), le deuxième plus grand affilié d’al-Qaïda après "
    "Al-Shabaab Somalie, et l’État islamique dans le Grand Sahara (Isis-Sahel, également "
    "connu sous le nom de IS-GS)"
)
US_ATTACKS = (
    "Ces groupes ont intensifié les attaques contre les cibles militaires et civiles, "
    "approfondissant l’instabilité."
)

ORGANIZATIONS = (
    # France
    OrganizationSpec(
        key="fr-ministere-defense",
        owner=MCD,
        kind=Kind.MINISTRY,
        name_fr="Ministère de la Défense",
        name_en="Ministry of Defence",
        aliases=("Ministère des Armées", "Ministry of the Armed Forces"),
        country="FR",
        description="Ministère français de la Défense (son nom en 2016).",
        cites=(Cite(FR, "Relevant du Ministère de la Défense", "name_fr"),),
    ),
    OrganizationSpec(
        key="fr-forces-armees",
        owner=MCD,
        kind=Kind.ARMED_FORCE,
        name_fr="Forces armées françaises",
        name_en="French Armed Forces",
        country="FR",
        parent="fr-ministere-defense",
        cites=(
            Cite(FR, "les forces armées malienne et française"),
            Cite(US, "le retrait des forces françaises en 2022"),
        ),
    ),
    OrganizationSpec(
        key="fr-mission-defense",
        owner=MCD,
        kind=Kind.EMBASSY,
        name_fr="Mission de défense",
        name_en="Defence Mission",
        country="FR",
        parent="fr-ministere-defense",
        description=(
            "Relève du Ministère de la Défense ; en charge de la relation militaire "
            "bilatérale entre les forces armées malienne et française."
        ),
        cites=(Cite(FR, FR_MISSION_DE_DEFENSE),),
    ),
    OrganizationSpec(
        key="fr-maedi",
        owner=MCD,
        kind=Kind.MINISTRY,
        name_fr="Ministère des Affaires étrangères et du Développement international",
        name_en="Ministry of Foreign Affairs and International Development",
        acronym_fr="MAEDI",
        aliases=("France Diplomatie", "Ministère de l'Europe et des Affaires étrangères"),
        country="FR",
        cites=(
            Cite(
                FR,
                "Ministère des Affaires étrangères et du Développement international",
                "name_fr",
            ),
        ),
    ),
    OrganizationSpec(
        key="fr-dcsd",
        owner=MCD,
        kind=Kind.DIRECTORATE,
        name_fr="Direction de la Coopération de Sécurité et de Défense",
        name_en="Directorate for Security and Defence Cooperation",
        acronym_fr="DCSD",
        acronym_en="DCSD",
        country="FR",
        parent="fr-maedi",
        cites=(Cite(FR, "(Direction de la Coopération de Sécurité et de Défense)", "name_fr"),),
    ),
    OrganizationSpec(
        key="fr-mcd",
        owner=MCD,
        kind=Kind.EMBASSY,
        name_fr="Mission de coopération de défense",
        name_en="Defence Cooperation Mission",
        acronym_fr="MCD",
        country="FR",
        parent="fr-dcsd",
        description=(
            "En charge des actions à moyen et long terme conduites par la France au profit "
            "des forces armées maliennes."
        ),
        cites=(
            Cite(FR, FR_MCD),
            Cite(
                FR,
                "la contribution de la mission de coopération de défense se veut à la fois "
                "diversifiée et cohérente",
            ),
        ),
    ),
    # Mali
    OrganizationSpec(
        key="ml-gouvernement",
        owner=OSC,
        kind=Kind.GOVERNMENT,
        name_fr="Gouvernement du Mali",
        name_en="Government of Mali",
        country="ML",
        cites=(
            Cite(
                US,
                "La montée en puissance du gouvernement dirigé par les militaires sous le "
                "président Assimi Goïta",
            ),
        ),
    ),
    OrganizationSpec(
        key="ml-ministere-defense",
        owner=OSC,
        kind=Kind.MINISTRY,
        name_fr="Ministère de la Défense et des Anciens combattants",
        name_en="Ministry of Defence and Veterans Affairs",
        acronym_fr="MDAC",
        country="ML",
        parent="ml-gouvernement",
        cites=(Cite(US, "ministère de la Défense et des anciens combattants", "name_fr"),),
    ),
    OrganizationSpec(
        key="ml-fama",
        owner=MCD,
        kind=Kind.ARMED_FORCE,
        name_fr="Forces armées maliennes",
        name_en="Malian Armed Forces",
        acronym_fr="FAMa",
        acronym_en="FAMa",
        aliases=("forces maliennes",),
        country="ML",
        parent="ml-ministere-defense",
        cites=(
            Cite(FR, "au profit des forces armées maliennes"),
            Cite(US, "les forces armées maliennes organisant un événement de formation"),
        ),
    ),
    OrganizationSpec(
        key="ml-garde-nationale",
        owner=MCD,
        kind=Kind.ARMED_FORCE,
        name_fr="Garde nationale du Mali",
        name_en="National Guard of Mali",
        aliases=("garde nationale",),
        country="ML",
        parent="ml-fama",
        cites=(Cite(FR, "l’équipement des unités de la garde nationale"),),
    ),
    OrganizationSpec(
        key="ml-justice-militaire",
        owner=OSC,
        kind=Kind.DIRECTORATE,
        name_fr="Direction de la justice militaire",
        name_en="Directorate of Military Justice",
        aliases=("Direction de la justice militaire du Mali",),
        country="ML",
        parent="ml-ministere-defense",
        cites=(Cite(US, "la Direction de la justice militaire du Mali", "name_fr"),),
    ),
    OrganizationSpec(
        key="ml-envr",
        owner=MCD,
        kind=Kind.SCHOOL,
        name_fr="École nationale à vocation régionale du Mali",
        name_en="Regional-vocation national school of Mali",
        acronym_fr="ENVR",
        acronym_en="ENVR",
        country="ML",
        parent="ml-fama",
        description=(
            "L'une des seize écoles nationales à vocation régionale que la France soutient "
            "dans le monde : formation des cadres, en particulier des officiers et "
            "sous-officiers d'administration des forces armées. Le texte ne la nomme pas "
            "autrement."
        ),
        cites=(
            Cite(
                FR,
                "l’une des seize écoles nationales à vocation régionale (ENVR) que la France "
                "soutient dans le monde",
            ),
            Cite(
                FR,
                "Cette école a pour mission essentielle la formation des cadres et plus "
                "spécialement celle des officiers et sous-officiers d’administration des "
                "forces armées.",
                "description",
            ),
        ),
    ),
    OrganizationSpec(
        key="ml-emp",
        owner=MCD,
        kind=Kind.SCHOOL,
        name_fr="École de maintien de la paix de Bamako",
        name_en="Bamako Peacekeeping School",
        acronym_fr="EMP",
        acronym_en="EMP",
        aliases=("EMP Bamako", "École de maintien de la paix Alioune Blondin Bèye"),
        country="ML",
        cites=(Cite(FR, "l’école de maintien de la paix de Bamako (EMP)"),),
    ),
    # Regional and international
    OrganizationSpec(
        key="faa",
        owner=MCD,
        kind=Kind.REGIONAL,
        name_fr="Force africaine en attente",
        name_en="African Standby Force",
        acronym_fr="FAA",
        acronym_en="ASF",
        cites=(Cite(FR, "la force africaine en attente (FAA)"),),
    ),
    OrganizationSpec(
        key="cedeao-brigade",
        owner=MCD,
        kind=Kind.REGIONAL,
        name_fr="Brigade en attente de la CEDEAO",
        name_en="ECOWAS Standby Force",
        aliases=("ECOWAS", "CEDEAO", "ECOWAS Standby Force", "brigade de la CEDEAO"),
        parent="faa",
        description="La brigade de la CEDEAO dédiée à la force africaine en attente.",
        cites=(Cite(FR, "la brigade dédiée de la CEDEAO"),),
    ),
    OrganizationSpec(
        key="onu",
        owner=OSC,
        kind=Kind.INTERNATIONAL,
        name_fr="Organisation des Nations unies",
        name_en="United Nations",
        acronym_fr="ONU",
        acronym_en="UN",
        cites=(Cite(US, "Nations Unies"),),
    ),
    OrganizationSpec(
        key="minusma",
        owner=OSC,
        kind=Kind.INTERNATIONAL,
        name_fr=(
            "Mission multidimensionnelle intégrée des Nations unies pour la stabilisation au Mali"
        ),
        name_en="United Nations Multidimensional Integrated Stabilization Mission in Mali",
        acronym_fr="MINUSMA",
        acronym_en="MINUSMA",
        aliases=("Minusma",),
        country="ML",
        parent="onu",
        cites=(Cite(US, "la Mission de maintien de la paix des Nations Unies Minusma"),),
    ),
    # United States
    OrganizationSpec(
        key="us-gouvernement",
        owner=OSC,
        kind=Kind.GOVERNMENT,
        name_fr="Gouvernement des États-Unis",
        name_en="United States Government",
        aliases=("administration Trump",),
        country="US",
        cites=(Cite(US, "l’administration de Donald Trump"),),
    ),
    OrganizationSpec(
        key="us-dod",
        owner=OSC,
        kind=Kind.MINISTRY,
        name_fr="Département de la Défense des États-Unis",
        name_en="United States Department of Defense",
        acronym_en="DoD",
        aliases=("Pentagone", "Pentagon", "ministère américain de la Défense"),
        country="US",
        parent="us-gouvernement",
        cites=(
            Cite(US, "ministère américain de la Défense"),
            Cite(US, "le Pentagone", "aliases"),
        ),
    ),
    OrganizationSpec(
        key="us-dos",
        owner=OSC,
        kind=Kind.MINISTRY,
        name_fr="Département d'État des États-Unis",
        name_en="United States Department of State",
        aliases=("Département d'État", "State Department"),
        country="US",
        parent="us-gouvernement",
        cites=(Cite(US, "le Département d’État"),),
    ),
    OrganizationSpec(
        key="us-ambassade-bamako",
        owner=OSC,
        kind=Kind.EMBASSY,
        name_fr="Ambassade des États-Unis à Bamako",
        name_en="United States Embassy in Bamako",
        aliases=("ambassade américaine",),
        country="US",
        parent="us-dos",
        cites=(Cite(US, "l’ambassade américaine"),),
    ),
    OrganizationSpec(
        key="us-diils",
        owner=OSC,
        kind=Kind.SCHOOL,
        name_en="Defense Institute of International Legal Studies",
        acronym_en="DIILS",
        acronym_fr="DIILS",
        aliases=("US Defence Institute of International Legal Studies", "Diils"),
        country="US",
        parent="us-dod",
        description=(
            "Le programme mondial d'éducation juridique du ministère américain de la "
            "Défense : droit militaire, droits de l'homme et contrôle civil des forces "
            "armées, pour les pays partenaires."
        ),
        cites=(
            Cite(US, "US Defence Institute of International Legal Studies (DIILS)", "name_en"),
            Cite(US, US_DIILS_PROGRAMME, "description"),
        ),
    ),
    OrganizationSpec(
        key="us-africom",
        owner=OSC,
        kind=Kind.ARMED_FORCE,
        name_fr="Commandement des États-Unis pour l'Afrique",
        name_en="United States Africa Command",
        acronym_fr="AFRICOM",
        acronym_en="AFRICOM",
        aliases=("Africa Command", "USAFRICOM"),
        country="US",
        parent="us-dod",
        cites=(
            Cite(US, "Africa Command (AFRICOM)"),
            Cite(US, "siège de l’AFRICOM à Stuttgart"),
        ),
    ),
    # Armed groups (context)
    OrganizationSpec(
        key="jnim",
        owner=OSC,
        kind=Kind.ARMED_GROUP,
        name_fr="Groupe de soutien à l'islam et aux musulmans",
        name_en="Jama'at Nusrat al-Islam wal-Muslimin",
        acronym_fr="GSIM",
        acronym_en="JNIM",
        aliases=("JNIM", "Jnim", "Jama’at Nusrat al-Islam Wal-Muslimin"),
        country="ML",
        description="Affilié d'al-Qaïda.",
        cites=(
            Cite(US, "Jama’at Nusrat al-Islam Wal-Muslimin (JNIM)", "name_en"),
            Cite(US, "le deuxième plus grand affilié d’al-Qaïda", "description"),
        ),
    ),
    OrganizationSpec(
        key="eigs",
        owner=OSC,
        kind=Kind.ARMED_GROUP,
        name_fr="État islamique dans le Grand Sahara",
        name_en="Islamic State in the Greater Sahara",
        acronym_fr="EIGS",
        acronym_en="ISGS",
        aliases=("IS-Sahel", "ISIS-Sahel", "Isis-Sahel", "IS-GS", "État islamique au Sahel"),
        country="ML",
        cites=(
            Cite(
                US,
                "l’État islamique dans le Grand Sahara (Isis-Sahel, également connu sous le "
                "nom de IS-GS)",
            ),
        ),
    ),
    OrganizationSpec(
        key="al-shabaab",
        owner=OSC,
        kind=Kind.ARMED_GROUP,
        name_fr="Al-Shabaab",
        name_en="Al-Shabaab",
        aliases=("Harakat al-Shabaab al-Mujahidin",),
        country="SO",
        description="Affilié d'al-Qaïda en Somalie.",
        cites=(Cite(US, "al-Qaïda après Al-Shabaab Somalie"),),
    ),
    OrganizationSpec(
        key="ru-groupes-paramilitaires",
        owner=OSC,
        kind=Kind.ARMED_GROUP,
        name_fr="Groupes paramilitaires russes",
        name_en="Russian paramilitary groups",
        country="RU",
        description="Le texte ne les nomme pas.",
        cites=(
            Cite(US, "l’influence croissante de la Russie à travers des groupes paramilitaires"),
        ),
    ),
)

# --- Persons and their positions -----------------------------------------------------

PERSONS = (
    PersonSpec(
        key="harouna-haidara",
        owner=OSC,
        full_name="Harouna Haïdara",
        given_names="Harouna",
        family_name="Haïdara",
        rank="colonel-major",
        gender=Gender.MALE,
        nationality="ML",
        cites=(
            Cite(US, "Harouna Haïdara", "full_name"),
            Cite(US, "le colonel-major Harouna Haïdara", "rank"),
            Cite(US, "Haïdara a remercié les États-Unis pour son soutien"),
        ),
        positions=(
            PositionSpec(
                owner=OSC,
                organization="ml-ministere-defense",
                title_fr="Chef de cabinet",
                title_en="Chief of Staff",
                cites=(Cite(US, US_HAIDARA),),
            ),
        ),
    ),
    PersonSpec(
        key="boubacar-maiga",
        owner=OSC,
        full_name="Boubacar Maïga",
        given_names="Boubacar",
        family_name="Maïga",
        rank="colonel",
        gender=Gender.MALE,
        nationality="ML",
        cites=(
            Cite(US, "Boubacar Maïga", "full_name"),
            Cite(US, "le colonel Boubacar Maïga", "rank"),
            Cite(
                US,
                "Le colonel Maïga aurait souligné que la compréhension de la loi du conflit "
                "armé n’est pas seulement une obligation légale mais une nécessité morale et "
                "stratégique.",
            ),
        ),
        positions=(
            PositionSpec(
                owner=OSC,
                organization="ml-justice-militaire",
                title_fr="Directeur de la justice militaire",
                title_en="Director of Military Justice",
                cites=(Cite(US, US_MAIGA),),
            ),
        ),
    ),
    PersonSpec(
        key="wallace-bain",
        owner=OSC,
        full_name="Wallace Bain",
        given_names="Wallace",
        family_name="Bain",
        nationality="US",
        cites=(Cite(US, "Wallace Bain", "full_name"),),
        positions=(
            PositionSpec(
                owner=OSC,
                organization="us-ambassade-bamako",
                title_fr="Chargé d'affaires",
                title_en="Chargé d'Affaires",
                cites=(Cite(US, US_BAIN),),
            ),
        ),
    ),
    PersonSpec(
        key="pete-hegseth",
        owner=OSC,
        full_name="Pete Hegseth",
        given_names="Pete",
        family_name="Hegseth",
        gender=Gender.MALE,
        nationality="US",
        cites=(Cite(US, "Pete Hegseth", "full_name"),),
        positions=(
            PositionSpec(
                owner=OSC,
                organization="us-dod",
                title_fr="Secrétaire à la Défense",
                title_en="Secretary of Defense",
                cites=(Cite(US, "le secrétaire américain à la défense, Pete Hegseth"),),
            ),
        ),
    ),
    PersonSpec(
        key="marco-rubio",
        owner=OSC,
        full_name="Marco Rubio",
        given_names="Marco",
        family_name="Rubio",
        gender=Gender.MALE,
        nationality="US",
        cites=(Cite(US, "Marco Rubio", "full_name"),),
        positions=(
            PositionSpec(
                owner=OSC,
                organization="us-dos",
                title_fr="Secrétaire d'État",
                title_en="Secretary of State",
                cites=(Cite(US, "le secrétaire d’État Marco Rubio"),),
            ),
        ),
    ),
    PersonSpec(
        key="pearl-matibe",
        owner=OSC,
        full_name="Pearl Matibe",
        given_names="Pearl",
        family_name="Matibe",
        gender=Gender.FEMALE,
        description=(
            "Analyste géopolitique et correspondante basée à Washington, DC ; politique "
            "étrangère et sécurité internationale ; couvre le Département d'État, le "
            "Pentagone et la Maison Blanche. Autrice de l'article source. X : @pearlmatibe."
        ),
        cites=(
            Cite(
                US,
                "Pearl Matibe est un analyste géopolitique basé à Washington, DC, et "
                "correspondant avec une expertise en politique étrangère et en sécurité "
                "internationale, couvrant régulièrement le Département d’État, le Pentagone "
                "et la Maison Blanche.",
                "description",
            ),
            Cite(US, "Suivez-la sur X (Twitter): @pearlmatibe.", "gender"),
        ),
    ),
    PersonSpec(
        key="assimi-goita",
        owner=OSC,
        full_name="Assimi Goïta",
        given_names="Assimi",
        family_name="Goïta",
        gender=Gender.MALE,
        nationality="ML",
        cites=(Cite(US, "Assimi Goïta", "full_name"),),
        positions=(
            PositionSpec(
                owner=OSC,
                organization="ml-gouvernement",
                title_fr="Président de la Transition",
                title_en="Transitional President",
                cites=(
                    Cite(
                        US, "gouvernement dirigé par les militaires sous le président Assimi Goïta"
                    ),
                ),
            ),
        ),
    ),
    PersonSpec(
        key="donald-trump",
        owner=OSC,
        full_name="Donald Trump",
        given_names="Donald",
        family_name="Trump",
        nationality="US",
        cites=(Cite(US, "Donald Trump", "full_name"),),
        positions=(
            PositionSpec(
                owner=OSC,
                organization="us-gouvernement",
                title_fr="Président des États-Unis",
                title_en="President of the United States",
                cites=(
                    Cite(
                        US,
                        "la deuxième concentration renouvelée de l’administration de Donald "
                        "Trump sur la coopération en matière de sécurité en Afrique",
                    ),
                ),
            ),
        ),
    ),
)

# --- Agreements ------------------------------------------------------------------------

AGREEMENTS = (
    AgreementSpec(
        key="fr-conventions-partenariat",
        owner=MCD,
        marking=DIFFUSION_LIMITEE,
        release=Release.PRIVATE,
        title="Conventions de partenariat de coopération de défense France – Mali",
        scope=(
            "Traduisent la relation étroite avec les autorités militaires du Mali ; la "
            "coopération prend les formes les plus diverses en fonction des besoins ressentis "
            "et évalués par les deux parties. Le texte ne donne ni leur nombre, ni leurs dates."
        ),
        parties=("fr-dcsd", "ml-fama"),
        cites=(
            Cite(
                FR,
                "Fondée sur une relation étroite avec les autorités militaires du Mali, "
                "traduite concrètement par des conventions de partenariat",
            ),
            Cite(
                FR,
                "cette coopération prend les formes les plus diverses en fonction des besoins "
                "ressentis et évalués par les deux parties",
                "scope",
            ),
        ),
    ),
)

# --- Activities (parents before children) ---------------------------------------------

Role = ParticipationRole
FR_FINANCE = Cite(FR, "actions à moyen et long terme conduites par la France")
FR_MCD_IMPLEMENTS = Cite(
    FR, "la Mission de coopération de défense est en charge des actions à moyen et long terme"
)
FR_FAMA_BENEFIT = Cite(FR, "au profit des forces armées maliennes")
# The page describes its actions in the present tense: under way in 2016, no day given.
FR_UNDER_WAY = Cite(FR, "Dernière modification : 16/05/2016", "period")
IN_MALI = PlaceSpec("ML", Cite(FR, "Présentation de la Coopération militaire française au Mali"))
IN_BAMAKO = PlaceSpec(
    "ML", Cite(FR, "l’école de maintien de la paix de Bamako"), "ML-BKO", "Bamako"
)
# French activities are released to the US office by name (donor coordination).
SHARED_WITH_OSC = (OSC,)


def _french_action(
    key: str,
    title: str,
    activity_type: str,
    quote: str,
    beneficiaries: tuple[str, ...] = ("ml-fama",),
    *,
    status: str = ActivityStatus.IMPLEMENTATION,
    description: str = "",
    places: tuple[PlaceSpec, ...] = (IN_MALI,),
    objectives: tuple[ObjectiveSpec, ...] = (),
    funding: Cite = FR_FINANCE,
) -> ActivitySpec:
    """One action of the French programme: DCSD funds, the MCD implements."""
    cite = Cite(FR, quote)
    return ActivitySpec(
        key=key,
        title=title,
        activity_type=activity_type,
        status=status,
        description=description,
        parent="fr-programme",
        agreement="fr-conventions-partenariat",
        participations=(
            ParticipationSpec("fr-dcsd", Role.FUNDING, funding),
            ParticipationSpec("fr-mcd", Role.IMPLEMENTING, FR_MCD_IMPLEMENTS),
            *(ParticipationSpec(org, Role.BENEFICIARY, cite) for org in beneficiaries),
        ),
        places=places,
        objectives=objectives,
        period="2016",
        cites=(cite, FR_UNDER_WAY),
        owner=MCD,
        marking=DIFFUSION_LIMITEE,
        release=Release.NAMED,
        released_to=SHARED_WITH_OSC,
    )


ACTIVITIES = (
    ActivitySpec(
        key="fr-programme",
        title="Coopération de défense française au profit des forces armées maliennes",
        activity_type=ActivityType.OTHER,
        status=ActivityStatus.IMPLEMENTATION,
        description=(
            "Programme : actions à moyen et long terme conduites par la France au profit des "
            "forces armées maliennes, sous la responsabilité de la Mission de coopération de "
            "défense (MAEDI, DCSD)."
        ),
        agreement="fr-conventions-partenariat",
        participations=(
            ParticipationSpec("fr-maedi", Role.ACCOUNTABLE, Cite(FR, FR_MCD)),
            ParticipationSpec("fr-dcsd", Role.FUNDING, FR_FINANCE),
            ParticipationSpec("fr-mcd", Role.IMPLEMENTING, FR_MCD_IMPLEMENTS),
            ParticipationSpec("ml-fama", Role.BENEFICIARY, FR_FAMA_BENEFIT),
        ),
        places=(IN_MALI,),
        objectives=(
            ObjectiveSpec(
                "Appui en matière de surveillance du territoire et de sécurité globale",
                Cite(
                    FR,
                    "l’appui qu’elle apporte en matière de surveillance du territoire et de "
                    "sécurité globale",
                ),
            ),
        ),
        period="2016",
        cites=(
            Cite(FR, FR_MCD),
            Cite(
                FR,
                "Dynamique et ouverte, la coopération de défense française se veut réaliste "
                "et réactive",
                "description",
            ),
            FR_UNDER_WAY,
        ),
        owner=MCD,
        marking=DIFFUSION_LIMITEE,
        release=Release.NAMED,
        released_to=SHARED_WITH_OSC,
    ),
    _french_action(
        "fr-equipement-garde-nationale",
        "Équipement des unités de la garde nationale",
        ActivityType.EQUIPMENT,
        "l’équipement des unités de la garde nationale",
        ("ml-garde-nationale",),
    ),
    _french_action(
        "fr-assistance-technique",
        "Assistance dans les domaines techniques",
        ActivityType.TECHNICAL_ASSISTANCE,
        "l’assistance dans les domaines techniques",
    ),
    _french_action(
        "fr-logistique",
        "Assistance à la logistique des forces",
        ActivityType.LOGISTICS,
        "la logistique des forces",
    ),
    _french_action(
        "fr-equipements-terrestres-aeriens",
        "Fourniture d'équipements terrestres et aériens",
        ActivityType.EQUIPMENT,
        "la fourniture d’équipements terrestres et aériens",
    ),
    _french_action(
        "fr-conseil-organisation",
        "Conseil en organisation",
        ActivityType.ADVISORY,
        "le conseil en organisation",
    ),
    ActivitySpec(
        key="fr-conseillers-instructeurs",
        owner=MCD,
        marking=DIFFUSION_RESTREINTE,
        release=Release.PRIVATE,
        title="Conseillers et instructeurs en place dans les forces armées maliennes",
        activity_type=ActivityType.TECHNICAL_ASSISTANCE,
        status=ActivityStatus.IMPLEMENTATION,
        description=(
            "Une dizaine de conseillers et instructeurs placés au sein des différentes "
            "entités, sur terre comme dans les airs. Le texte ne les nomme pas : pas "
            "d'affectation individuelle."
        ),
        parent="fr-programme",
        agreement="fr-conventions-partenariat",
        participations=(
            ParticipationSpec("fr-mcd", Role.IMPLEMENTING, FR_MCD_IMPLEMENTS),
            ParticipationSpec(
                "ml-fama",
                Role.BENEFICIARY,
                Cite(FR, "au sein des différentes entités, sur terre comme dans les airs"),
            ),
        ),
        places=(IN_MALI,),
        period="2016",
        cites=(
            Cite(
                FR,
                "Avec une dizaine de conseillers et instructeurs qu’elle met en place au sein "
                "des différentes entités, sur terre comme dans les airs",
            ),
            FR_UNDER_WAY,
        ),
    ),
    _french_action(
        "fr-appui-envr",
        "Soutien à l'École nationale à vocation régionale (ENVR)",
        ActivityType.TRAINING,
        "l’une des seize écoles nationales à vocation régionale (ENVR) que la France soutient "
        "dans le monde",
        ("ml-envr",),
        objectives=(
            ObjectiveSpec(
                "Former les cadres des forces armées, en particulier les officiers et "
                "sous-officiers d'administration",
                Cite(
                    FR,
                    "la formation des cadres et plus spécialement celle des officiers et "
                    "sous-officiers d’administration des forces armées",
                ),
            ),
        ),
    ),
    _french_action(
        "fr-emp-realisation",
        "Réalisation de l'École de maintien de la paix de Bamako (EMP)",
        ActivityType.INFRASTRUCTURE,
        "Après avoir initié et conduit la réalisation du projet majeur que constitue l’école "
        "de maintien de la paix de Bamako (EMP)",
        ("ml-emp",),
        status=ActivityStatus.CLOSED,
        places=(IN_BAMAKO,),
    ),
    _french_action(
        "fr-emp-fonctionnement",
        "Appui au fonctionnement de l'École de maintien de la paix de Bamako",
        ActivityType.TRAINING,
        "la France œuvre, en étroite collaboration avec ses partenaires européens et "
        "internationaux, pour assurer le fonctionnement de ce centre",
        ("ml-emp",),
        description="Avec les partenaires européens et internationaux de la France.",
        places=(IN_BAMAKO,),
        objectives=(
            ObjectiveSpec(
                "Former les officiers du continent africain en vue des opérations de maintien "
                "de la paix",
                Cite(
                    FR,
                    "la formation des officiers du continent africain en vue des opérations "
                    "de maintien de la paix",
                ),
            ),
        ),
    ),
    _french_action(
        "fr-faa-cedeao",
        "Soutien à la montée en puissance de la FAA et de la brigade de la CEDEAO",
        ActivityType.OTHER,
        "en contribuant à la montée en puissance de la force africaine en attente (FAA) et "
        "spécifiquement à celle de la brigade dédiée de la CEDEAO",
        ("faa", "cedeao-brigade"),
        places=(),
        objectives=(
            ObjectiveSpec(
                "Promouvoir les idéaux de paix et de sécurité",
                Cite(FR, "elle s’attache à promouvoir les idéaux de paix et de sécurité"),
            ),
        ),
    ),
    _french_action(
        "fr-formation-en-france",
        "Formation en France des meilleurs militaires maliens",
        ActivityType.TRAINING,
        "la formation en France des meilleurs parmi les militaires maliens",
        places=(
            PlaceSpec(
                "FR", Cite(FR, "la formation en France des meilleurs parmi les militaires maliens")
            ),
        ),
        funding=Cite(
            FR, "la coopération de défense française assure financièrement et techniquement"
        ),
    ),
    ActivitySpec(
        key="us-diils-droit-conflits-armes",
        owner=OSC,
        marking=DIFFUSION_LIMITEE,
        release=Release.NAMED,
        released_to=(MCD,),
        title="Formation en droit des conflits armés pour la justice militaire malienne (DIILS)",
        activity_type=ActivityType.TRAINING,
        status=ActivityStatus.CLOSED,
        currency="USD",
        description=(
            "Formation juridique professionnelle des forces maliennes : droit militaire et "
            "droit des conflits armés, avec le DIILS et l'AFRICOM."
        ),
        participations=(
            ParticipationSpec(
                "us-dod",
                Role.ACCOUNTABLE,
                Cite(US, "le programme mondial de l’éducation juridique du ministère américain"),
            ),
            ParticipationSpec("us-diils", Role.IMPLEMENTING, Cite(US, US_DIILS_EVENT)),
            ParticipationSpec("us-africom", Role.IMPLEMENTING, Cite(US, US_DIILS_EVENT)),
            ParticipationSpec("ml-fama", Role.IMPLEMENTING, Cite(US, US_DIILS_EVENT)),
            ParticipationSpec("ml-justice-militaire", Role.BENEFICIARY, Cite(US, US_VENUE)),
            ParticipationSpec(
                "ml-fama",
                Role.BENEFICIARY,
                Cite(
                    US,
                    "la formation juridique professionnelle renforce la capacité des forces "
                    "maliennes",
                ),
            ),
        ),
        places=(PlaceSpec("ML", Cite(US, US_VENUE)),),
        objectives=(
            ObjectiveSpec(
                "Renforcer la conformité juridique et la conduite militaire professionnelle",
                Cite(
                    US,
                    "visant à renforcer la conformité juridique et la conduite militaire "
                    "professionnelle",
                ),
            ),
            ObjectiveSpec(
                "Améliorer la discipline opérationnelle tout en garantissant l'adhésion aux "
                "normes juridiques internationales",
                Cite(
                    US,
                    "L’objectif est d’améliorer la discipline opérationnelle tout en garantissant "
                    "l’adhésion aux normes juridiques internationales.",
                ),
            ),
        ),
        period="2025-02",
        cites=(
            Cite(US, US_DIILS_EVENT),
            Cite(US, "axé sur le droit des conflits armés"),
            Cite(US, "L’événement de formation en droit militaire de février", "period"),
        ),
    ),
)

# --- Partner requests -----------------------------------------------------------------

REQUESTS = (
    RequestSpec(
        key="fr-sollicitations-court-preavis",
        owner=MCD,
        marking=DIFFUSION_LIMITEE,
        release=Release.PRIVATE,
        title="Sollicitations du partenaire sur court préavis",
        description=(
            "Répondre sur court préavis aux sollicitations du partenaire en fonction des "
            "situations et des menaces rencontrées. La date de réception n'est pas connue."
        ),
        requester="ml-fama",
        urgency=Urgency.SHORT_NOTICE,
        status=RequestStatus.RECEIVED,
        cites=(
            Cite(
                FR,
                "capable de répondre sur court préavis aux sollicitations du partenaire en "
                "fonction des situations et des menaces rencontrées",
            ),
        ),
    ),
)

# --- Schools and courses -------------------------------------------------------------

SCHOOLS = (
    SchoolSpec(
        owner=MCD,
        organization="ml-envr",
        is_regional=True,
        description=(
            "L'une des seize écoles nationales à vocation régionale que la France soutient "
            "dans le monde."
        ),
        cites=(
            Cite(
                FR,
                "du Mali qui accueille l’une des seize écoles nationales à vocation régionale "
                "(ENVR) que la France soutient dans le monde",
            ),
        ),
        courses=(
            CourseSpec(
                owner=MCD,
                title_fr="Formation des officiers et sous-officiers d'administration",
                title_en="Administration officers and NCOs course",
                topic="administration des forces armées",
                cites=(
                    Cite(
                        FR,
                        "la formation des cadres et plus spécialement celle des officiers et "
                        "sous-officiers d’administration des forces armées",
                    ),
                ),
            ),
        ),
    ),
    SchoolSpec(
        owner=MCD,
        organization="ml-emp",
        is_regional=True,
        subdivision="ML-BKO",
        description="Centre de formation au maintien de la paix à vocation continentale.",
        cites=(
            Cite(FR, "l’école de maintien de la paix de Bamako (EMP)"),
            Cite(FR, "ce centre dont la vocation continentale s’affirme de façon croissante"),
        ),
        courses=(
            CourseSpec(
                owner=MCD,
                title_fr="Formation des officiers aux opérations de maintien de la paix",
                title_en="Peacekeeping operations training for officers",
                topic="maintien de la paix",
                cites=(
                    Cite(
                        FR,
                        "la formation des officiers du continent africain en vue des "
                        "opérations de maintien de la paix",
                    ),
                ),
            ),
        ),
    ),
    SchoolSpec(
        owner=OSC,
        organization="us-diils",
        description=(
            "Programme mondial d'éducation juridique du ministère américain de la Défense."
        ),
        cites=(Cite(US, US_DIILS_PROGRAMME),),
        courses=(
            CourseSpec(
                owner=OSC,
                title_fr="Droit militaire, droits de l'homme et contrôle civil des forces armées",
                title_en="Military law, human rights and civilian oversight of the armed forces",
                topic="droit militaire",
                cites=(
                    Cite(
                        US,
                        "la formation des pays partenaires sur le droit militaire, les droits "
                        "de l’homme et la surveillance civile des forces armées",
                    ),
                ),
            ),
        ),
    ),
)

# --- Events ----------------------------------------------------------------------------

GUEST = Participant.Role.OFFICIAL_GUEST

EVENTS = (
    EventSpec(
        key="us-diils-fevrier-2025",
        owner=OSC,
        title="Formation en droit militaire : droit des conflits armés (justice militaire du Mali)",
        kind=Event.Kind.TRAINING,
        topic="droit des conflits armés / law of armed conflict",
        description=(
            "Événement de formation en droit militaire de haut niveau organisé par les forces "
            "armées maliennes en partenariat avec le DIILS et l'AFRICOM. La source écrit "
            "« du 19 au 11 février 2025 » : la fin y précède le début ; seul le mois "
            "(février 2025) est retenu."
        ),
        dates=Dates(
            period="2025-02",
            date_as_written="du 19 au 11 février 2025",
            date_flags=(DateFlag.END_BEFORE_START,),
        ),
        country="ML",
        venue="ml-justice-militaire",
        organisers=("ml-fama", "us-diils", "us-africom"),
        activity="us-diils-droit-conflits-armes",
        participants=(
            ParticipantSpec(
                GUEST,
                Cite(US, US_HAIDARA),
                person="harouna-haidara",
                capacity="Chef de cabinet du ministère de la Défense et des Anciens combattants",
                attended=True,
            ),
            ParticipantSpec(
                GUEST,
                Cite(US, US_MAIGA),
                person="boubacar-maiga",
                capacity="Directeur de la justice militaire",
                attended=True,
            ),
            ParticipantSpec(
                GUEST,
                Cite(US, US_BAIN),
                person="wallace-bain",
                capacity="Chargé d'affaires de l'ambassade des États-Unis",
                attended=True,
            ),
        ),
        cites=(
            Cite(US, US_DIILS_EVENT),
            Cite(US, "du 19 au 11 février 2025", "date_as_written"),
            Cite(US, "L’événement de formation en droit militaire de février", "period"),
            Cite(US, "axé sur le droit des conflits armés", "topic"),
            Cite(US, US_VENUE, "venue"),
            Cite(US, US_ATTENDANCE),
        ),
    ),
    EventSpec(
        key="us-hegseth-africom-2025",
        owner=OSC,
        title="Visite du secrétaire à la Défense Pete Hegseth au siège de l'AFRICOM à Stuttgart",
        kind=Event.Kind.VISIT,
        description="Réaffirmation de l'engagement américain pour la sécurité en Afrique.",
        dates=Dates(
            start_date=datetime.date(2025, 2, 11),
            end_date=datetime.date(2025, 2, 11),
            date_as_written="le 11 février 2025",
        ),
        country="DE",
        subdivision="DE-BW",
        locality="Stuttgart",
        venue="us-africom",
        participants=(
            ParticipantSpec(
                GUEST,
                Cite(US, "le secrétaire américain à la défense, Pete Hegseth"),
                person="pete-hegseth",
                capacity="Secrétaire à la Défense des États-Unis",
                attended=True,
            ),
        ),
        cites=(
            Cite(US, US_HEGSETH),
            Cite(US, "le 11 février 2025", "date_as_written"),
        ),
    ),
)

# --- Context ---------------------------------------------------------------------------

CONTEXT_EVENTS = (
    ContextEventSpec(
        key="rubio-afrique-2025-01-22",
        owner=OSC,
        title_fr="Le secrétaire d'État Marco Rubio expose l'approche américaine de la sécurité "
        "africaine",
        title_en="Secretary of State Marco Rubio outlines the US approach to African security",
        kind=ContextEvent.Kind.DIPLOMATIC,
        description=(
            "La source (traduction automatique) dit « Marco Rubio Outline, trois semaines plus "
            "tôt le 22 janvier » : l'année, 2025, se lit dans le contexte (trois semaines "
            "avant le 11 février 2025)."
        ),
        dates=Dates(
            start_date=datetime.date(2025, 1, 22),
            end_date=datetime.date(2025, 1, 22),
            date_as_written="trois semaines plus tôt le 22 janvier",
        ),
        actors=("us-dos",),
        cites=(
            Cite(
                US,
                "Ceci après le secrétaire d’État Marco Rubio Outline, trois semaines plus tôt "
                "le 22 janvier, établissant la scène pour une approche de la sécurité africaine",
            ),
            Cite(US, "trois semaines plus tôt le 22 janvier", "date_as_written"),
        ),
    ),
    ContextEventSpec(
        key="ml-coup-2020",
        owner=OSC,
        title_fr="Coup d'État militaire au Mali",
        title_en="Military coup in Mali",
        kind=ContextEvent.Kind.COUP,
        description="Le coup d'État militaire de 2020 a changé les alliances du Mali.",
        dates=Dates(period="2020", date_as_written="2020"),
        country="ML",
        actors=("ml-fama",),
        cites=(Cite(US, "le coup d’État militaire de 2020 qui a changé les alliances"),),
    ),
    ContextEventSpec(
        key="ml-gouvernement-militaire",
        owner=OSC,
        title_fr="Montée en puissance du gouvernement dirigé par les militaires",
        title_en="Rise of the military-led government",
        kind=ContextEvent.Kind.POLITICAL,
        description="Sous le président Assimi Goïta. Le texte ne la date pas.",
        dates=Dates(),
        country="ML",
        actors=("ml-gouvernement",),
        cites=(
            Cite(
                US,
                "La montée en puissance du gouvernement dirigé par les militaires sous le "
                "président Assimi Goïta",
            ),
        ),
    ),
    ContextEventSpec(
        key="fr-retrait-2022",
        owner=OSC,
        title_fr="Retrait des forces françaises du Mali",
        title_en="Withdrawal of French forces from Mali",
        kind=ContextEvent.Kind.WITHDRAWAL,
        dates=Dates(period="2022", date_as_written="en 2022"),
        country="ML",
        actors=("fr-forces-armees",),
        cites=(Cite(US, "le retrait des forces françaises en 2022"),),
    ),
    ContextEventSpec(
        key="minusma-fin-2023",
        owner=OSC,
        title_fr="Fin de la MINUSMA",
        title_en="End of MINUSMA",
        kind=ContextEvent.Kind.MISSION_END,
        dates=Dates(period="2023", date_as_written="en 2023"),
        country="ML",
        actors=("minusma", "onu"),
        cites=(
            Cite(
                US, "la fin de la Mission de maintien de la paix des Nations Unies Minusma en 2023"
            ),
        ),
    ),
    ContextEventSpec(
        key="ru-influence-paramilitaire",
        owner=OSC,
        title_fr="Influence croissante de la Russie à travers des groupes paramilitaires",
        title_en="Growing Russian influence through paramilitary groups",
        kind=ContextEvent.Kind.POLITICAL,
        description="Le texte ne la date pas (« pendant ce temps »).",
        dates=Dates(),
        country="ML",
        actors=("ru-groupes-paramilitaires",),
        cites=(
            Cite(
                US,
                "Pendant ce temps, l’influence croissante de la Russie à travers des groupes "
                "paramilitaires a compliqué l’équilibre régional des pouvoirs.",
            ),
        ),
    ),
    ContextEventSpec(
        key="jnim-attaques",
        owner=OSC,
        title_fr="Attaques du JNIM contre des cibles militaires et civiles",
        title_en="JNIM attacks on military and civilian targets",
        kind=ContextEvent.Kind.ATTACK,
        description="Intensification des attaques ; le texte ne les date pas.",
        dates=Dates(),
        country="ML",
        actors=("jnim",),
        cites=(Cite(US, US_THREATS), Cite(US, US_ATTACKS)),
    ),
    ContextEventSpec(
        key="eigs-attaques",
        owner=OSC,
        title_fr="Attaques de l'État islamique au Sahel (EIGS) contre des cibles militaires et "
        "civiles",
        title_en="IS-Sahel (ISGS) attacks on military and civilian targets",
        kind=ContextEvent.Kind.ATTACK,
        description="Intensification des attaques ; le texte ne les date pas.",
        dates=Dates(),
        country="ML",
        actors=("eigs",),
        cites=(Cite(US, US_THREATS), Cite(US, US_ATTACKS)),
    ),
)
