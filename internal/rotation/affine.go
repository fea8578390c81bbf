package rotation

// affine seats the first rounds by the lines of the affine plane over GF(q), when there are q
// tables, q a prime power. Everyone is a point (x, y) of GF(q)²; in the round of slope m, the
// point sits at table b = y − m·x, the line y = m·x + b. Two points with different x share a
// line of exactly one slope, so they meet once over the q rounds; two with the same x never do.
// A point with x ≠ 0 sits at a different table for each slope: nobody comes back to a table. A
// point with x = 0 stays at table y: that is where the hosts go, host of table b at (0, b).
//
// Travellers fill the columns x = 1, 2, …, q − 1 (then x = 0 when there are no hosts), q to a
// column, the last one from y = 0 up; each line meets each column once, so tables differ by at
// most one person. Up to q(q − 1) travellers, the rounds it seats have no repeated pair and no
// revisit: the most there can be, as q(q − 1) is the largest set of permutations of q tables of
// which any two agree in at most one round. It seats min(rounds, q) rounds and says no (nil)
// when the tables are not a prime power in number, hosts are not none or one per table, some
// rounds are played, there are more than q² people, or a table would be over its capacity.
func (in *instance) affine() [][]int {
	q := in.tables
	if in.played > 0 || in.n > q*q || in.n == 0 {
		return nil
	}
	if _, _, ok := primePower(q); !ok || q > maxField {
		return nil
	}
	hosts := 0
	for t := range q {
		if !in.open[t] || in.hosts[t] > 1 || in.hosts[t] != in.hosts[0] {
			return nil
		}
		hosts += in.hosts[t]
	}
	f := newField(q)
	x, y := make([]int, in.n), make([]int, in.n)
	column, row := 1%q, 0
	for p := range in.n {
		if h := in.host[p]; h >= 0 {
			x[p], y[p] = 0, h
			continue
		}
		if column == 0 && hosts > 0 {
			return nil // column 0 is the hosts'
		}
		x[p], y[p] = column, row
		if row++; row == q {
			column, row = (column+1)%q, 0
		}
	}
	rounds := make([][]int, min(in.rounds, q))
	for m := range rounds {
		seats := make([]int, in.n)
		size := make([]int, q)
		for p := range seats {
			b := f.minus(y[p], f.times(m, x[p]))
			seats[p] = b
			if size[b]++; size[b] > in.capacity[b] {
				return nil
			}
		}
		rounds[m] = seats
	}
	return rounds
}
