package harvest

import (
	"fmt"
	"strconv"
)

// label is every word an export prints, in one language. Its fields are exported for the HTML
// templates, which read them as {{.L.MostVoted}}.
type label struct {
	Lang         string // the HTML lang attribute
	Months       [12]string
	Weekdays     [7]string // Sunday first, as time.Weekday counts
	FirstOfMonth string    // "1er" in French
	Anonymous    string
	Facilitator  string
	Via          string // printf: the host's name, for a note they wrote for someone
	MostVoted    string
	Notes        string
	Round        string // printf pattern with the round number
	BeforeFirst  string // the notes of round 0
	NoNotes      string
	Participants string
	NoParticipant,
	Name, Organisation, Email string
	Table     string // printf: "Table %d"
	Host      string // "Hôte", before a colon and the host's name
	Synthesis string
	Plenary   string
	Contents  string
	Figures   string
	// Summary line of the cover: tables, participants, notes, rounds.
	TablesN, ParticipantsN, NotesN, RoundsN [2]string // singular and plural printf patterns
	// Charts.
	ContribTitle, ContribDesc       string
	ActivityTitle, ActivityAxis     string // axis: printf with the bucket minutes and the zone
	ActivityDesc                    string
	EncountersTitle, EncountersAxis string
	EncountersPeople                string // y axis: number of participants
	EncountersDesc                  string
	EncountersAverage               string // printf: average
	RepeatPairs                     string // printf: pairs who met again, pairs who met, percent
	MixedOrgs                       string // printf: mixed table-rounds, table-rounds, percent
	NoSeating                       string
	NoActivity                      string
	Total                           string
	Time                            string // column heading of the activity table
	BeforeShort                     string // legend of round 0
	// Printouts.
	Badges, TableCards string
	YourTables         string
	PersonalLink       string
	JoinWithCode       string // printf: code
	JoinTable          string
	JoinTableHint      string // printf: code
	HostBadge          string // printf: table number
	NoBadge            string
	CSVHeader          []string
	Colours            map[string]string
	ReportTitle        string // the document title's suffix
	GeneratedBy        string
	csvComma           rune
	voteWord           [2]string
}

func (l *label) votes(n int) string { return l.plural(n, l.voteWord) }

// plural picks the singular or plural pattern: French counts 0 and 1 as singular.
func (l *label) plural(n int, forms [2]string) string {
	one := n == 1 || (l.Lang == "fr" && n == 0)
	if one {
		return fmt.Sprintf(forms[0], n)
	}
	return fmt.Sprintf(forms[1], n)
}

// Colon is the colon after a word as the language writes it: "Hôte : " (with a no-break space)
// in French, "Host: " in English.
func (l *label) Colon() string {
	if l.Lang == "fr" {
		return "\u00a0: "
	}
	return ": "
}

// percent writes a share the way each language does: "33 %" in French (with a narrow no-break
// space), "33%" in English.
func (l *label) percent(part, whole int) string {
	p := 0
	if whole > 0 {
		p = (200*part + whole) / (2 * whole) // rounded half up, in integers
	}
	if l.Lang == "fr" {
		return strconv.Itoa(p) + "\u202f%"
	}
	return strconv.Itoa(p) + "%"
}

// decimal writes x with one decimal in the language's notation.
func (l *label) decimal(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if l.Lang == "fr" {
		for i := range s {
			if s[i] == '.' {
				return s[:i] + "," + s[i+1:]
			}
		}
	}
	return s
}

var labels = map[string]*label{
	"fr": {
		Lang: "fr",
		Months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
			"septembre", "octobre", "novembre", "décembre"},
		Weekdays:      [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		FirstOfMonth:  "1er",
		Anonymous:     "anonyme",
		Facilitator:   "animation",
		Via:           "noté par %s",
		MostVoted:     "Post-it les plus soutenus",
		Notes:         "Post-it",
		Round:         "Tour %d",
		BeforeFirst:   "Avant le premier tour",
		NoNotes:       "Aucun post-it.",
		Participants:  "Participants",
		NoParticipant: "Aucun participant.",
		Name:          "Nom",
		Organisation:  "Organisation",
		Email:         "Mél",
		Table:         "Table %d",
		Host:          "Hôte",
		Synthesis:     "Synthèse",
		Plenary:       "Mise en commun et perspectives",
		Contents:      "Sommaire",
		Figures:       "En chiffres",
		TablesN:       [2]string{"%d table", "%d tables"},
		ParticipantsN: [2]string{"%d participant", "%d participants"},
		NotesN:        [2]string{"%d post-it", "%d post-it"},
		RoundsN:       [2]string{"%d tour", "%d tours"},

		ContribTitle:      "Contributions par table et par tour",
		ContribDesc:       "Nombre de post-it visibles écrits à chaque table, tour par tour.",
		ActivityTitle:     "Activité au fil de l'événement",
		ActivityAxis:      "post-it par tranche de %d minutes (heure %s)",
		ActivityDesc:      "Nombre de post-it écrits par tranche de %d minutes, de %s à %s (%s) ; pic : %d à %s.",
		EncountersTitle:   "Qui a rencontré qui",
		EncountersAxis:    "nombre de personnes différentes rencontrées",
		EncountersPeople:  "participants",
		EncountersDesc:    "Répartition des participants selon le nombre de personnes différentes rencontrées aux tables, sur %s.",
		EncountersAverage: "En moyenne, chacun a rencontré %s personnes.",
		RepeatPairs:       "Paires qui se sont retrouvées à la même table plus d'une fois : %d sur %d (%s).",
		MixedOrgs:         "Tables-tours réunissant au moins deux organisations : %d sur %d (%s).",
		NoSeating:         "Aucun tour n'a encore eu lieu.",
		NoActivity:        "Aucun post-it.",
		Total:             "Total",
		Time:              "Heure",
		BeforeShort:       "Avant",

		Badges:        "Badges",
		TableCards:    "Chevalets des tables",
		YourTables:    "Vos tables",
		PersonalLink:  "Votre lien personnel",
		JoinWithCode:  "Rejoindre : code %s",
		JoinTable:     "Scannez pour rejoindre cette table",
		JoinTableHint: "ou code %s",
		HostBadge:     "Hôte de la table %d",
		NoBadge:       "Aucun participant inscrit.",
		ReportTitle:   "compte rendu",
		GeneratedBy:   "Compte rendu réalisé avec Nappe",

		CSVHeader: []string{"Table", "Nom de la table", "Tour", "Auteur", "Organisation", "Texte",
			"Couleur", "Votes", "Créé le (UTC)", "Modifié le (UTC)"},
		Colours: map[string]string{"yellow": "jaune", "orange": "orange", "red": "rouge", "pink": "rose",
			"purple": "violet", "blue": "bleu", "teal": "bleu canard", "green": "vert"},
		csvComma: ';',
		voteWord: [2]string{"%d vote", "%d votes"},
	},
	"en": {
		Lang: "en",
		Months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December"},
		Weekdays:      [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		Anonymous:     "anonymous",
		Facilitator:   "facilitator",
		Via:           "written by %s",
		MostVoted:     "Most-voted notes",
		Notes:         "Notes",
		Round:         "Round %d",
		BeforeFirst:   "Before the first round",
		NoNotes:       "No notes.",
		Participants:  "Participants",
		NoParticipant: "No participants.",
		Name:          "Name",
		Organisation:  "Organisation",
		Email:         "E-mail",
		Table:         "Table %d",
		Host:          "Host",
		Synthesis:     "Synthesis",
		Plenary:       "Plenary and perspectives",
		Contents:      "Contents",
		Figures:       "In figures",
		TablesN:       [2]string{"%d table", "%d tables"},
		ParticipantsN: [2]string{"%d participant", "%d participants"},
		NotesN:        [2]string{"%d note", "%d notes"},
		RoundsN:       [2]string{"%d round", "%d rounds"},

		ContribTitle:      "Contributions by table and round",
		ContribDesc:       "Visible notes written at each table, round by round.",
		ActivityTitle:     "Activity over the event",
		ActivityAxis:      "notes per %d minutes (%s time)",
		ActivityDesc:      "Notes written per %d minutes, from %s to %s (%s); peak: %d at %s.",
		EncountersTitle:   "Who met whom",
		EncountersAxis:    "number of different people met",
		EncountersPeople:  "participants",
		EncountersDesc:    "Participants by the number of different people they met at the tables, over %s.",
		EncountersAverage: "On average, each person met %s people.",
		RepeatPairs:       "Pairs who sat at the same table more than once: %d of %d (%s).",
		MixedOrgs:         "Table-rounds bringing together at least two organisations: %d of %d (%s).",
		NoSeating:         "No round has been played yet.",
		NoActivity:        "No notes.",
		Total:             "Total",
		Time:              "Time",
		BeforeShort:       "Before",

		Badges:        "Badges",
		TableCards:    "Table cards",
		YourTables:    "Your tables",
		PersonalLink:  "Your personal link",
		JoinWithCode:  "Join: code %s",
		JoinTable:     "Scan to join this table",
		JoinTableHint: "or code %s",
		HostBadge:     "Host of table %d",
		NoBadge:       "No participants yet.",
		ReportTitle:   "report",
		GeneratedBy:   "Report made with Nappe",

		CSVHeader: []string{"Table", "Table name", "Round", "Author", "Organisation", "Text",
			"Colour", "Votes", "Created at (UTC)", "Edited at (UTC)"},
		csvComma: ',',
		voteWord: [2]string{"%d vote", "%d votes"},
	},
}

// colour names a palette colour in the export's language.
func (l *label) colour(c string) string {
	if t, ok := l.Colours[c]; ok {
		return t
	}
	return c
}
