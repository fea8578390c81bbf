package rotation_test

import (
	"fmt"

	"nappe/internal/rotation"
)

func ExampleSolve() {
	p := rotation.Problem{
		People: []rotation.Person{
			{ID: "ana", Host: "water"}, {ID: "bo", Host: "food"}, {ID: "cy", Host: "energy"},
			{ID: "di"}, {ID: "ed"}, {ID: "flo"}, {ID: "gus"}, {ID: "hu"}, {ID: "ines"},
		},
		Tables: []rotation.Table{{ID: "water", Capacity: 4}, {ID: "food", Capacity: 4}, {ID: "energy", Capacity: 4}},
		Rounds: 3,
		Seed:   1,
	}
	plan, err := rotation.Solve(p)
	if err != nil {
		panic(err)
	}
	for r, seats := range plan.Rounds {
		fmt.Printf("round %d:", r+1)
		for _, table := range p.Tables {
			fmt.Printf("  %s", table.ID)
			for i, t := range seats {
				if p.Tables[t].ID == table.ID {
					fmt.Printf(" %s", p.People[i].ID)
				}
			}
		}
		fmt.Println()
	}
	q := rotation.Measure(p, plan)
	fmt.Println("repeated pairs:", q.RepeatedPairs, "revisits:", q.Revisits)
	// Output:
	// round 1:  water ana di gus  food bo ed hu  energy cy flo ines
	// round 2:  water ana ed ines  food bo flo gus  energy cy di hu
	// round 3:  water ana flo hu  food bo di ines  energy cy ed gus
	// repeated pairs: 0 revisits: 0
}
