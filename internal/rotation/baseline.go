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
