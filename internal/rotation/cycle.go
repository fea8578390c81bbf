package rotation

// tryCycle is the move for when swaps are stuck. Take two rounds r and r2 and draw, for each
// traveller, an arrow from their table in r to their table in r2. Around a cycle of arrows,
// everyone can exchange their two tables: each table of the cycle loses one person and gains one
// in both rounds, so sizes hold, and each person keeps the tables they visit, so nobody gets a
// revisit in a first tour. When everyone visits every table (as many rounds as tables), a swap
// always makes two revisits, and this is the only way to change who meets whom.
//
// The cycle goes through p's arrow, from their table a in r to b in r2, and back from b to a by
// the shortest path of arrows.
func (x *search) tryCycle(r, p int, temp float64) {
	planned := x.in.rounds - x.first
	if planned < 2 {
		x.trySwap(r, p, temp)
		return
	}
	r2 := x.first + x.rng.IntN(planned-1)
	if r2 >= r {
		r2++
	}
	a, b := x.seat[r][p], x.seat[r2][p]
	if a == b {
		return
	}
	for t := range x.from {
		x.from[t] = -2 // not reached
	}
	x.from[b] = -1
	x.queue = append(x.queue[:0], b)
	for len(x.queue) > 0 && x.from[a] == -2 {
		u := x.queue[0]
		x.queue = x.queue[1:]
		people := x.at[r][u]
		start := x.rng.IntN(len(people) + 1) // any of the people, not always the same
		for k := range people {
			q := int(people[(start+k)%len(people)])
			v := x.seat[r2][q]
			if q == p || x.in.host[q] >= 0 || x.from[v] != -2 {
				continue
			}
			x.from[v], x.via[v] = u, q
			if v == a {
				break
			}
			x.queue = append(x.queue, v)
		}
	}
	if x.from[a] == -2 {
		return
	}
	members := []int{p}
	for t := a; t != b; t = x.from[t] {
		members = append(members, x.via[t])
	}

	dRep, dCol, dRev := 0, 0, 0
	flip := func() {
		for _, m := range members {
			u, v := x.seat[r][m], x.seat[r2][m]
			rep, col := x.shift(r, m, v)
			dRep, dCol = dRep+rep, dCol+col
			rep, col = x.shift(r2, m, u)
			dRep, dCol = dRep+rep, dCol+col
		}
	}
	flip()
	for _, m := range members {
		dRev += x.revisitsOf(m, -1, 0) - x.revisits[m]
	}
	if !x.worth(dRev, dRep, dCol, temp) {
		flip() // back
		return
	}
	if x.leavesBest(dRev, dRep, dCol) {
		flip() // back, to keep the best plan, and again
		x.best, x.atBest = x.plan().Rounds, false
		flip()
	}
	for _, m := range members {
		x.revisits[m] = x.revisitsOf(m, -1, 0)
	}
	x.moved(dRev, dRep, dCol)
	for _, m := range members {
		x.note(r, m)
		x.note(r2, m)
	}
}

// shift moves p to table t in round r and tells how repeated pairs and colleagues change.
func (x *search) shift(r, p, t int) (dRep, dCol int) {
	_, again, was := x.met(r, x.seat[r][p], p, -1)
	before, _, now := x.met(r, t, p, -1)
	x.unseat(r, p)
	x.place(r, p, t)
	return before - again, now - was
}
