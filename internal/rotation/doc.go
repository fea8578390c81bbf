// Package rotation plans who sits where in each round of a World Café: between rounds everyone but
// the table hosts moves, to meet new people and a new question.
//
// Solve asks for, in this order: no table over its capacity and table sizes as even as capacities
// and hosts allow; nobody back at a table while tables they have not visited remain; as few pairs
// of people as possible sitting together twice; optionally, colleagues from one organisation spread
// out. It seats each round greedily, removes the revisits that round-by-round seating could not
// avoid, then improves the whole plan by simulated annealing, for a fixed amount of work: the same
// Problem gives the same Plan. Two such searches run side by side, one of them starting from the
// hand method's plan, and the better plan wins.
//
// Random and HandMethod are the baselines a facilitator would otherwise use, Measure scores any
// plan, LowerBoundRepeatedPairs says how far from the best possible a plan can be, and Report
// prints the comparison, on fixed rosters and with churn (WithChurn: people leaving after the
// first round, others arriving late), where the planner re-plans (Replan) and each baseline does
// what a facilitator does. Seat places one late arrival. Nothing here does I/O but Report's
// writes.
package rotation
