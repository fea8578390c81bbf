package rotation

// Quality scores a plan; lower is better everywhere.
type Quality struct {
	// RepeatedPairs sums, over pairs of people, max(0, rounds together − 1).
	RepeatedPairs int
	// Revisits counts rounds where someone sits at a table they have visited more often than some
	// open table (see revisits); hosts at their own table never count.
	Revisits int
	// Imbalance is the largest difference between two tables' sizes in one round, hosts included.
	Imbalance int
	// SameOrgPairs sums, over rounds and tables, the pairs of people of one organisation.
	SameOrgPairs int
	// CapacityViolations counts people above a table's capacity, summed over rounds and tables.
	CapacityViolations int
	// HostsAway counts rounds, played ones excluded, where a host is not at their table.
	HostsAway int
}

// Measure scores plan against p. It scores what it can of a plan or problem Solve would refuse:
// seats outside the tables count as absent.
func Measure(p Problem, plan Plan) Quality {
	in, _ := index(p)
	var q Quality
	meet := newPairCount(in.n)
	seats := make([][]int, len(plan.Rounds))
	for r, round := range plan.Rounds {
		seats[r] = make([]int, in.n)
		at := make([][]int, in.tables)
		for i := range seats[r] {
			seats[r][i] = -1
			if i < len(round) && round[i] >= 0 && round[i] < in.tables {
				seats[r][i] = round[i]
				at[round[i]] = append(at[round[i]], i)
			}
			if r >= in.played && in.host[i] >= 0 && seats[r][i] != in.host[i] {
				q.HostsAway++
			}
		}
		smallest, largest := in.n, 0
		for t, people := range at {
			smallest, largest = min(smallest, len(people)), max(largest, len(people))
			if c := p.Tables[t].Capacity; c > 0 && len(people) > c {
				q.CapacityViolations += len(people) - c
			}
			for a, i := range people {
				for _, j := range people[a+1:] {
					if meet.again(i, j) {
						q.RepeatedPairs++
					}
					if in.org[i] >= 0 && in.org[i] == in.org[j] {
						q.SameOrgPairs++
					}
				}
			}
		}
		if len(at) > 0 {
			q.Imbalance = max(q.Imbalance, largest-smallest)
		}
	}
	rev := newRevisits(in)
	seq := make([]int, len(seats))
	for i := range in.n {
		for r := range seats {
			seq[r] = seats[r][i]
		}
		q.Revisits += rev.of(seq, in.host[i])
	}
	return q
}

// pairCount remembers which pairs of people have met: in a byte per pair up to denseMeets (16 MB
// at most), in a map of the pairs that met beyond.
type pairCount struct {
	n     int
	flat  []bool
	other map[[2]int]bool
}

func newPairCount(n int) *pairCount {
	if n <= denseMeets {
		return &pairCount{n: n, flat: make([]bool, n*n)}
	}
	return &pairCount{n: n, other: map[[2]int]bool{}}
}

// again notes a meeting of i and j and tells whether they had met before.
func (c *pairCount) again(i, j int) bool {
	if c.flat == nil {
		met := c.other[[2]int{i, j}]
		c.other[[2]int{i, j}] = true
		return met
	}
	met := c.flat[i*c.n+j]
	c.flat[i*c.n+j] = true
	return met
}
