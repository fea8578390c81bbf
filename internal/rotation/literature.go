package rotation

import "fmt"

// LiteratureCase is an instance from the combinatorics literature with the best number of repeated
// pairs known for it, and where that figure comes from.
type LiteratureCase struct {
	Case
	// Best is the fewest repeated pairs known for a plan of this size with Nappe's rules; -1 when
	// the literature gives no figure.
	Best   int
	Source string
}

// NewDesignCase is people at tables for rounds, as in the Social Golfer Problem: tables of
// exactly people/tables seats (capacity), and, with hosts, the first tables people host one table
// each.
func NewDesignCase(people, tables, rounds int, hosts bool) Case {
	p := Problem{Rounds: rounds, Seed: 1}
	capacity := (people + tables - 1) / tables
	for t := range tables {
		p.Tables = append(p.Tables, Table{ID: fmt.Sprintf("t%d", t+1), Capacity: capacity})
	}
	for i := range people {
		person := Person{ID: fmt.Sprintf("p%d", i+1)}
		if hosts && i < tables {
			person.Host = p.Tables[i].ID
		}
		p.People = append(p.People, person)
	}
	name := fmt.Sprintf("%d people, %d tables, %d rounds", people, tables, rounds)
	if hosts {
		name += ", a host per table"
	} else {
		name += ", no hosts"
	}
	return Case{Name: name, Problem: p}
}

// Sources of the best known figures.
const (
	// Harvey's table of Social Golfer Problem results: 8-4-10 (32 golfers, 8 groups of 4, 10
	// weeks) is solved (Aguado, 2004), 10-4-13 (40 golfers) by the resolvable 2-(40,4,1) design.
	sourceHarvey = "W. Harvey, Social Golfer Problem results table (www.cs.st-andrews.ac.uk/~wh/golf/)"
	// An affine plane AG(2, q) exists for every prime power q; its q + 1 parallel classes are q + 1
	// rounds without a repeated pair (Dembowski, Finite Geometries; Colbourn & Dinitz, Handbook of
	// Combinatorial Designs, II.2 / VII.2).
	sourceAffine = "affine plane AG(2, q), Handbook of Combinatorial Designs (Colbourn & Dinitz, 2007)"
)

// LiteratureCases are the instances of issue 15, with the best figures of the literature. The
// table identity and no-revisit rules are Nappe's; the figures hold with them (the affine
// construction keeps them; the golfer solutions are relabelled table by table in each round).
func LiteratureCases() []LiteratureCase {
	return []LiteratureCase{
		{NewDesignCase(32, 8, 8, false), 0, sourceHarvey},
		{NewDesignCase(32, 8, 10, false), 0, sourceHarvey},
		{NewDesignCase(40, 10, 10, false), 0, sourceHarvey},
		{NewDesignCase(64, 8, 8, true), 0, sourceAffine},
		{NewDesignCase(100, 10, 10, false), -1, "no zero-repeat design: the lower bound is the figure"},
		{NewDesignCase(49, 7, 7, true), 0, sourceAffine},
		{NewDesignCase(81, 9, 9, true), 0, sourceAffine},
		{NewDesignCase(256, 16, 16, true), 0, sourceAffine},
	}
}
