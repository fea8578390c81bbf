package rotation

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Solve plans every round of p: the played rounds as they were, the others seated greedily round
// by round (or by the hand method), cleared of the revisits seating round by round leaves, and
// improved by local search. The error, for a problem no plan can satisfy or a malformed one,
// wraps ErrInvalid, ErrUnknownTable or ErrNoRoom.
func Solve(p Problem) (Plan, error) {
	return solve(p, 1)
}

// chains is the number of independent searches (each its own start and random choices) whose
// best plan Solve returns, the first one on a tie. They run in parallel; being a constant, not the
// number of processors, keeps the plan the same on every machine.
const chains = 2

// solve is Solve with effort times the usual amount of work, which tests lower to go faster.
func solve(p Problem, effort float64) (Plan, error) {
	in, err := newInstance(p)
	if err != nil {
		return Plan{}, err
	}
	budget := p.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	deadline := time.Now().Add(budget)
	bounds := [2]int{in.lowerBound(), in.orgBound()}
	designed := in.affine()
	var (
		plans [chains]Plan
		keys  [chains][2]float64
		stop  [chains]atomic.Bool
		wg    sync.WaitGroup
	)
	// A start that nothing can beat is the plan: the affine design when it seats every round, or
	// the hand method's. Checking them first spares building the greedy start (a second at
	// 10,000 people) and is still the same plan for the same problem.
	var starts [chains]*search
	if len(designed) == in.rounds-in.played && in.played == 0 {
		if x := newChain(in, p.Seed, 0, bounds, designed, &stop[0]); x.done() {
			return x.plan(), nil
		}
	}
	starts[chains-1] = newChain(in, p.Seed, chains-1, bounds, designed, &stop[chains-1])
	if starts[chains-1].done() {
		return starts[chains-1].plan(), nil
	}
	for k := range chains {
		wg.Go(func() {
			x := starts[k]
			if x == nil {
				x = newChain(in, p.Seed, k, bounds, designed, &stop[k])
			}
			plans[k], keys[k] = x.run(int(effort*float64(in.work(len(x.travellers)))), deadline)
			if x.done() {
				// Nothing can beat this plan and ties go to the first chain: the later ones can stop.
				for j := k + 1; j < chains; j++ {
					stop[j].Store(true)
				}
			}
		})
	}
	wg.Wait()
	best := 0
	for k := range chains {
		if less(keys[k], keys[best]) {
			best = k
		}
	}
	return plans[best], nil
}

// newChain makes the plan chain k starts from, ready to be improved: built greedily, or, for the
// last chain, the hand method's. A regular structure is hard to reach by small moves and the hand
// method's is sometimes the best there is (30 people at 5 tables for 5 rounds: 20 repeated pairs,
// where the search alone from a greedy start stops at 23 to 29); starting from it, the planner is
// never worse than the hand method.
func newChain(in *instance, seed uint64, k int, bounds [2]int, designed [][]int, stop *atomic.Bool) *search {
	rng := rand.New(rand.NewPCG(seed, 0x6e61707065+uint64(k))) // "nappe": any constant, fixed forever
	s := newState(in)
	b := newBuilder(s)
	if k == chains-1 {
		for r, seats := range in.hand().Rounds[in.played:] {
			for p, t := range seats {
				s.place(in.played+r, p, t)
			}
		}
	} else {
		sizes := in.schedule()
		r := in.played
		if k == 0 {
			// The first chain starts from the affine plane's rounds where there is one.
			for ; r < len(designed); r++ {
				for p, t := range designed[r] {
					s.place(r, p, t)
				}
				b.count(r)
			}
		}
		for ; r < in.rounds; r++ {
			b.build(r, sizes[r], rng)
		}
	}
	b.repair()
	return newSearch(s, rng, bounds, stop)
}

// work is the number of swaps a chain tries: enough, measured on the default cases, for the
// annealing to settle; it grows with the size of the plan.
func (in *instance) work(travellers int) int {
	return max(200_000, 50*travellers*(in.rounds-in.played))
}

// Replan keeps the first from rounds of plan as played and plans the others again, for the same
// people and tables: after a change of capacity, or to take the seats actually taken into account.
// To add a late arrival, add them to p.People and build p.Played with "" for the rounds they missed.
func Replan(p Problem, plan Plan, from int) (Plan, error) {
	p, err := played(p, plan, from)
	if err != nil {
		return Plan{}, err
	}
	return Solve(p)
}

// played is p with the first from rounds of plan as played.
func played(p Problem, plan Plan, from int) (Problem, error) {
	if from < 0 || from > len(plan.Rounds) || from > p.Rounds {
		return p, fmt.Errorf("%w: replan from round %d of a plan of %d", ErrInvalid, from, len(plan.Rounds))
	}
	p.Played = make([][]string, from)
	for r, seats := range plan.Rounds[:from] {
		if len(seats) != len(p.People) {
			return p, fmt.Errorf("%w: round %d has %d seats for %d people", ErrInvalid, r, len(seats), len(p.People))
		}
		p.Played[r] = make([]string, len(seats))
		for i, t := range seats {
			switch {
			case t >= len(p.Tables):
				return p, fmt.Errorf("%w: table number %d in round %d", ErrUnknownTable, t, r)
			case t >= 0:
				p.Played[r][i] = p.Tables[t].ID
			}
		}
	}
	return p, nil
}
