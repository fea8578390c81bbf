package workshop

// Template is a ready-made workshop a facilitator can start from.
type Template struct {
	Title, Subtitle, Date, Venue, Language string
	Tables                                 []Table // without ids
}

// Templates are the ready-made workshops, by name. "seed" is the café whose report lives in
// shared/seed: the 2018 café on digital social innovation, with its four ateliers.
var Templates = map[string]Template{
	"seed": {
		Title:    "Le café des innovations sociales numériques",
		Subtitle: "De l'impact social à la transformation sociale. Quel rôle pour les innovations sociales numériques ?",
		Date:     "2018-10-04",
		Venue:    "Télécom ParisTech",
		Language: "fr",
		Tables: []Table{
			{Number: 1, Name: "Atelier 1", Question: "Que signifie être socialement innovant ?", Colour: "teal", Capacity: 6},
			{Number: 2, Name: "Atelier 2", Question: "Comment peut-on utiliser le numérique pour être socialement innovant ?", Colour: "orange", Capacity: 6},
			{Number: 3, Name: "Atelier 3", Question: "Quels modèles économiques pour les innovations sociales numériques ?", Colour: "purple", Capacity: 6},
			{Number: 4, Name: "Atelier 4", Question: "Comment évaluer les impacts des innovations sociales numériques ?", Colour: "green", Capacity: 6},
		},
	},
}
