package rotation

import "math/rand/v2"

// The baselines seat the played rounds as played and the others with the planner's table sizes,
// so that the comparison is about who meets whom, not about how full tables are. Both return an
// empty Plan for a problem Solve would refuse.

// Random seats the travellers of each round at random, hosts at their tables.
func Random(p Problem) Plan {
	in, err := newInstance(p)
	if err != nil {
		return Plan{}
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x72616e646f6d)) // "random"
	sizes := in.schedule()
	plan := Plan{Rounds: make([][]int, in.rounds)}
	copy(plan.Rounds, in.history)
	for r := in.played; r < in.rounds; r++ {
		seats, room := in.seatHosts(sizes[r])
		travellers := rng.Perm(in.n)
		t := 0
		for _, i := range travellers {
			if in.host[i] >= 0 {
				continue
			}
			for room[t] == 0 {
				t++
			}
			seats[i] = t
			room[t]--
		}
		plan.Rounds[r] = seats
	}
	return plan
}

// seatHosts starts a round: hosts at their tables, the others unseated, and the room left for
// travellers at each table.
func (in *instance) seatHosts(target []int) (seats, room []int) {
	seats = make([]int, in.n)
	room = make([]int, in.tables)
	for t := range room {
		room[t] = target[t] - in.hosts[t]
	}
	for i := range seats {
		seats[i] = in.host[i]
	}
	return seats, room
}

// HandMethod is what a careful facilitator does on paper: number the travellers, deal them round
// the open tables for their start, give each a step, and in round r send them to table
// start + r·step (mod the number of open tables). The care is in the steps: the travellers starting
// at one table get different steps, so they part after the first round, and only steps that do not
// bring anyone back to a table within the event (k·step ≢ 0 for k < rounds). Steps are dealt
// smallest first: two travellers meet twice only if the difference of their steps, times a
// difference of rounds, is a multiple of the number of tables, so with fewer travellers per table
// than tables/(rounds − 1) nobody meets anyone twice. When a table then has more than its size,
// the last travellers to arrive move to a table with room they have visited least, as the
// facilitator would by walking the room.
func HandMethod(p Problem) Plan {
	in, err := newInstance(p)
	if err != nil {
		return Plan{}
	}
	return in.hand()
}

func (in *instance) hand() Plan {
	var open []int
	for t := range in.tables {
		if in.open[t] {
			open = append(open, t)
		}
	}
	T := len(open)
	var steps []int
	for step := 1; step < T; step++ {
		if order(step, T) >= min(in.rounds, T) {
			steps = append(steps, step)
		}
	}
	if len(steps) == 0 {
		steps = []int{0} // one open table: nowhere else to go
	}
	sizes := in.schedule()
	plan := Plan{Rounds: make([][]int, in.rounds)}
	copy(plan.Rounds, in.history)
	if in.played == in.rounds {
		return plan
	}
	// Deal the travellers round the tables with room in the first round, one at a time.
	_, room := in.seatHosts(sizes[in.played])
	start := make([]int, in.n)
	step := make([]int, in.n)
	dealt := make([]int, T) // travellers dealt to each open table so far
	k := 0
	for i := range in.n {
		if in.host[i] >= 0 || T == 0 {
			continue
		}
		for tries := 0; tries < T && room[open[k%T]] <= 0; tries++ {
			k++
		}
		s := k % T
		room[open[s]]--
		start[i], step[i] = s, steps[dealt[s]%len(steps)]
		dealt[s]++
		k++
	}

	visits := make([]int, in.n*in.tables)
	for r := range in.rounds {
		if r >= in.played {
			seats, room := in.seatHosts(sizes[r])
			var over []int
			for i := range in.n {
				if in.host[i] >= 0 || T == 0 {
					continue
				}
				t := open[(start[i]+r*step[i])%T]
				seats[i] = t
				if room[t]--; room[t] < 0 {
					over = append(over, i)
				}
			}
			for _, i := range over {
				from := seats[i]
				to := -1
				for t := range room {
					if room[t] > 0 && (to < 0 || visits[i*in.tables+t] < visits[i*in.tables+to]) {
						to = t
					}
				}
				seats[i] = to
				room[from]++
				room[to]--
			}
			plan.Rounds[r] = seats
		}
		for i, t := range plan.Rounds[r] {
			if t >= 0 {
				visits[i*in.tables+t]++
			}
		}
	}
	return plan
}

// order is the number of steps of size step it takes to come back to the start, going round n.
func order(step, n int) int {
	a, b := step, n
	for b != 0 {
		a, b = b, a%b
	}
	return n / a
}

// handWithChurn is what a facilitator who planned rest's event by hand does when its roster
// changes after round after. cards is the hand method's plan made beforehand, for rest's people:
// the late arrivals have none (-1 in every round).
//
// Everyone who stayed keeps their card (start table and step), as printed: cards are handed out
// before the first round and nobody reprints two hundred of them between rounds, so the hand
// method does nothing about people leaving and the tables they left stay emptier. Each late
// arrival has no card; round after round, in order of arrival, the facilitator walks them to the
// table with the most empty chairs among those they have not sat at yet (any table with an empty
// chair once they have sat at all), which is what one does by looking round the room, and what
// Seat does in Nappe. That fills the gaps the leavers made, as far as the newcomers' own tour
// allows (a table they have sat at is not offered while others have room), and no late arrival
// comes back to a table while others remain; what a facilitator cannot see from the floor is whom
// a newcomer has already sat with. Walking them to the emptiest table regardless of
// where they have been is the other obvious rule, and a worse one: it sends some back to a table
// they know. Giving a newcomer the card of someone who left would keep the cards' arithmetic, and
// with as many arriving as leaving the hand method would then make no repeated pair at 200 and
// 2,000 people either; but it needs the leavers to say so and hand back their card, which is not
// what happens in a room, so it is not modelled here.
func handWithChurn(rest Problem, cards Plan, after int) Plan {
	in, err := newInstance(rest)
	if err != nil || len(cards.Rounds) != in.rounds {
		return Plan{}
	}
	plan := Plan{Rounds: make([][]int, in.rounds)}
	visited := make([]bool, in.n*in.tables)
	occupancy := make([]int, in.tables)
	for r := range in.rounds {
		seats := append([]int(nil), cards.Rounds[r]...)
		if r >= after {
			clear(occupancy)
			var late []int
			for i, t := range seats {
				if t >= 0 {
					occupancy[t]++
				} else {
					late = append(late, i)
				}
			}
			for _, i := range late {
				best, fresh := -1, false
				for t := range in.tables {
					free := in.capacity[t] - occupancy[t]
					if free <= 0 {
						continue
					}
					unseen := !visited[i*in.tables+t]
					if best < 0 || unseen && !fresh || unseen == fresh && free > in.capacity[best]-occupancy[best] {
						best, fresh = t, unseen
					}
				}
				// newInstance made sure there are seats for everyone, so best ≥ 0.
				seats[i] = best
				occupancy[best]++
			}
		}
		for i, t := range seats {
			if t >= 0 {
				visited[i*in.tables+t] = true
			}
		}
		plan.Rounds[r] = seats
	}
	return plan
}
