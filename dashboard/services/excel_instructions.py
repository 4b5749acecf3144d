"""The French instructions printed on the first sheet of the entry template."""

from __future__ import annotations

INSTRUCTIONS = (
    "Modèle de saisie du plan de développement des CTI {first}-{last}",
    "",
    "Feuille « Saisie » : avancement des indicateurs",
    "• Une ligne par indicateur et par trimestre du plan déjà commencé. Les colonnes grisées "
    "(CTI, code, indicateur, unité, période, valeur validée, statut) sont verrouillées.",
    "• Saisissez ou modifiez la colonne « Valeur » (un nombre, sans texte ni formule) et, si "
    "utile, « Commentaire ».",
    "• Pourcentages entre 0 et 100 ; nombres d'entreprises, de projets, de personnes... entiers "
    "et positifs ; une valeur plus de 3 fois supérieure à la précédente est signalée.",
    "• Une valeur déjà validée est verrouillée : pour la corriger, changez la valeur ET "
    "indiquez le « Motif de correction ». La correction sera soumise à validation.",
    "• Pour une période annuelle ou une ligne absente, utilisez les lignes vides en bas de la "
    "feuille : choisissez le CTI, le code et la période dans les listes.",
    "• Effacer une valeur ne la supprime pas : l'import refuse une ligne dont la valeur a été "
    "effacée.",
    "",
    "Feuille « Budget » : engagements et décaissements (analystes)",
    "• Les mouvements enregistrés sont listés et verrouillés. Ajoutez les nouveaux dans les "
    "lignes vides : CTI, axe (1 à 5), type (Engagement ou Décaissement), date (une vraie date "
    "JJ/MM/AAAA, pas du texte), montant en MDH, référence unique (obligatoire), commentaire.",
    "• Un décaissement ne peut dépasser les engagements ; les engagements ne peuvent dépasser "
    "l'enveloppe de l'axe.",
    "",
    "Importer le fichier",
    "• Page « Import » du tableau de bord, ou : python -m dashboard import FICHIER --user NOM "
    "[--dry-run].",
    "• L'import affiche d'abord un aperçu : lignes ajoutées ou modifiées, et chaque erreur avec "
    "sa feuille, sa ligne, sa colonne et la raison. Il s'applique en entier ou pas du tout.",
    "• Importer deux fois le même fichier ne change rien la seconde fois.",
    "• Refusés : fichier autre que .xlsx ou protégé par mot de passe, colonnes absentes ou "
    "renommées, texte dans une colonne de nombres, formules, cellules fusionnées, dates "
    "saisies comme du texte, fichier de plus de 10 Mo ou de 50 000 lignes, classeur vide.",
    "",
    "Les valeurs saisies ou importées sont des brouillons (ou des valeurs soumises) : seules les "
    "valeurs validées par un analyste entrent dans les chiffres officiels.",
)
