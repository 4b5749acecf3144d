"""The instructions printed on the first sheet of the entry template (French message ids)."""

from __future__ import annotations

from dashboard.i18n import N_

# Each line is translated when the template is written; "" leaves an empty row.
INSTRUCTIONS = (
    N_("Modèle de saisie du plan de développement des CTI {first}-{last}"),
    "",
    N_("Feuille « Saisie » : avancement des indicateurs"),
    N_(
        "• Une ligne par indicateur et par trimestre du plan déjà commencé. Les colonnes grisées "
        "(CTI, code, indicateur, unité, période, valeur validée, statut) sont verrouillées."
    ),
    N_(
        "• Saisissez ou modifiez la colonne « Valeur » (un nombre, sans texte ni formule) et, si "
        "utile, « Commentaire »."
    ),
    N_(
        "• Pourcentages entre 0 et 100 ; nombres d'entreprises, de projets, de personnes... "
        "entiers et positifs ; une valeur plus de 3 fois supérieure à la précédente est signalée."
    ),
    N_(
        "• Une valeur déjà validée est verrouillée : pour la corriger, changez la valeur ET "
        "indiquez le « Motif de correction ». La correction sera soumise à validation."
    ),
    N_(
        "• Pour une période annuelle ou une ligne absente, utilisez les lignes vides en bas de la "
        "feuille : choisissez le CTI, le code et la période dans les listes."
    ),
    N_(
        "• Effacer une valeur ne la supprime pas : l'import refuse une ligne dont la valeur a été "
        "effacée."
    ),
    "",
    N_("Feuille « Budget » : engagements et décaissements (analystes)"),
    N_(
        "• Les mouvements enregistrés sont listés et verrouillés. Ajoutez les nouveaux dans les "
        "lignes vides : CTI, axe (1 à 5), type (Engagement ou Décaissement), date (une vraie date "
        "JJ/MM/AAAA, pas du texte), montant en MDH, référence unique (obligatoire), commentaire."
    ),
    N_(
        "• Un décaissement ne peut dépasser les engagements ; les engagements ne peuvent dépasser "
        "l'enveloppe de l'axe."
    ),
    "",
    N_("Importer le fichier"),
    N_(
        "• Page « Import » du tableau de bord, ou : python -m dashboard import FICHIER --user NOM "
        "[--dry-run]."
    ),
    N_(
        "• L'import affiche d'abord un aperçu : lignes ajoutées ou modifiées, et chaque erreur "
        "avec sa feuille, sa ligne, sa colonne et la raison. Il s'applique en entier ou pas du "
        "tout."
    ),
    N_("• Importer deux fois le même fichier ne change rien la seconde fois."),
    N_(
        "• Refusés : fichier autre que .xlsx ou protégé par mot de passe, colonnes absentes ou "
        "renommées, texte dans une colonne de nombres, formules, cellules fusionnées, dates "
        "saisies comme du texte, fichier de plus de 10 Mo ou de 50 000 lignes, classeur vide."
    ),
    "",
    N_(
        "Les valeurs saisies ou importées sont des brouillons (ou des valeurs soumises) : seules "
        "les valeurs validées par un analyste entrent dans les chiffres officiels."
    ),
)
