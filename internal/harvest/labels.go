package harvest

import "fmt"

// label is every word an export prints, in one language.
type label struct {
	months        [12]string
	firstOfMonth  string // "1er" in French
	anonymous     string
	facilitator   string
	mostVoted     string
	notes         string
	round         string // printf pattern with the round number
	noNotes       string
	participants  string
	noParticipant string
	name          string
	organisation  string
	email         string
	csvHeader     []string
	colours       map[string]string
	// csvComma is the separator spreadsheets of this language expect when they open a .csv
	// file: French Excel (and LibreOffice in a French locale) reads "," as the decimal mark, so
	// its list separator — and the one it splits a double-clicked CSV on — is ";".
	csvComma rune
}

func (l *label) votes(n int) string {
	if n == 1 {
		return "1 vote"
	}
	return fmt.Sprintf("%d votes", n)
}

var labels = map[string]*label{
	"fr": {
		months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
			"septembre", "octobre", "novembre", "décembre"},
		firstOfMonth:  "1er",
		anonymous:     "anonyme",
		facilitator:   "animation",
		mostVoted:     "Post-it les plus soutenus",
		notes:         "Post-it",
		round:         "Tour %d",
		noNotes:       "Aucun post-it.",
		participants:  "Participants",
		noParticipant: "Aucun participant.",
		name:          "Nom",
		organisation:  "Organisation",
		email:         "Mél",
		csvHeader: []string{"Table", "Nom de la table", "Tour", "Auteur", "Organisation", "Texte",
			"Couleur", "Votes", "Créé le (UTC)", "Modifié le (UTC)"},
		colours: map[string]string{"yellow": "jaune", "orange": "orange", "red": "rouge", "pink": "rose",
			"purple": "violet", "blue": "bleu", "teal": "bleu canard", "green": "vert"},
		csvComma: ';',
	},
	"en": {
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December"},
		anonymous:     "anonymous",
		facilitator:   "facilitator",
		mostVoted:     "Most-voted notes",
		notes:         "Notes",
		round:         "Round %d",
		noNotes:       "No notes.",
		participants:  "Participants",
		noParticipant: "No participants.",
		name:          "Name",
		organisation:  "Organisation",
		email:         "E-mail",
		csvHeader: []string{"Table", "Table name", "Round", "Author", "Organisation", "Text",
			"Colour", "Votes", "Created at (UTC)", "Edited at (UTC)"},
		csvComma: ',',
	},
}

// colour names a palette colour in the export's language.
func (l *label) colour(c string) string {
	if t, ok := l.colours[c]; ok {
		return t
	}
	return c
}
