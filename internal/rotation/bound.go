package rotation

import "math"

// LowerBoundRepeatedPairs is a number of repeated pairs that no plan of p with balanced tables and
// no avoidable revisit can go below (0 for an invalid problem). It is the largest of three bounds.
//
// Counting meetings: over the event there are M pair-meetings in all (Σ over rounds and tables of
// C(size, 2), exact for played rounds, and the balanced sizes make it as small as it can be), among
// C(n, 2) pairs; a pair that meets c times counts at least c − 1, so repeats ≥ M − C(n, 2).
//
// Per person: someone who meets m_p people-times cannot meet more than n − 1 different people,
// so m_p − (n − 1) of their meetings are repeats, and each repeat counts for two people.
//
// Round after round, which is the bound that matters when tables are few: the travellers of a
// table in one round must go to other tables the next (no return while unvisited tables remain),
// so a table's g travellers spread over at most T − 1 tables, and those who land together have met
// twice. At best they spread evenly, which forces a number of repeated pairs per table, plus the
// co-hosts of a table, who always meet. A pair that meets c times adds at most c − 1 to this count
// over consecutive rounds, so adding up consecutive planned rounds, and the step from the last
// played round to the first planned one (leaving), plus the repeats already made in the played
// rounds, stays below the true count. The first bound holds for any plan, the second
// for any with balanced tables.
func LowerBoundRepeatedPairs(p Problem) int {
	in, err := newInstance(p)
	if err != nil {
		return 0
	}
	return in.lowerBound()
}

func (in *instance) lowerBound() int {
	lv := in.levels()
	pairs := func(k int) int { return k * (k - 1) / 2 }

	// Meetings of the played rounds, exactly.
	meetings, playedRepeats := 0, 0
	seen := make([]int, in.n) // person → people-times met
	if in.played > 0 {
		var together map[[2]int]int
		if in.played > 1 {
			together = map[[2]int]int{}
		}
		for _, seats := range in.history {
			at := make([][]int, in.tables)
			for p, t := range seats {
				if t >= 0 {
					at[t] = append(at[t], p)
				}
			}
			for _, people := range at {
				meetings += pairs(len(people))
				for a, p := range people {
					seen[p] += len(people) - 1
					if together == nil {
						continue
					}
					for _, q := range people[a+1:] {
						if together[[2]int{p, q}]++; together[[2]int{p, q}] > 1 {
							playedRepeats++
						}
					}
				}
			}
		}
	}

	// The planned rounds, with the balanced sizes (the extra seats do not change the totals).
	planned := in.rounds - in.played
	perRound := 0
	for _, size := range lv.size {
		perRound += pairs(size)
	}
	if lv.extra > 0 {
		// The flexible tables all have the same size, so wherever the extra seats go, each adds
		// as many pairs as that size.
		perRound += lv.extra * lv.size[lv.flexible[0]]
	}
	meetings += planned * perRound
	overall := meetings - pairs(in.n)

	smallest := in.n // the smallest table a traveller can sit at
	for t, size := range lv.size {
		if in.open[t] {
			smallest = min(smallest, max(size, in.hosts[t]+1))
		}
	}
	excess := 0
	for p := range in.n {
		least := smallest
		if in.host[p] >= 0 {
			least = lv.size[in.host[p]]
		}
		excess += max(0, seen[p]+planned*(least-1)-(in.n-1))
	}
	personal := (excess + 1) / 2

	spread := playedRepeats + in.leaving()
	for k := in.played + 1; k < in.rounds; k++ {
		bins := in.opens
		if k < in.opens {
			bins-- // an unvisited table remains, so nobody stays
		}
		spread += in.spreadRepeats(lv, bins)
	}
	return max(overall, personal, spread, 0)
}

// leaving is the same spreading out for the step from the last played round to the first planned
// one, with the tables people actually sat at: the travellers who sat together at a table in the
// last played round (late arrivals and people who left do not count, hosts away from their
// table neither) must go to other tables in the next, while an unvisited table remains, and the
// co-hosts who sat at their table meet again. After a change of roster (people leaving, some
// arriving late) this is where most forced repeats are.
func (in *instance) leaving() int {
	if in.played == 0 || in.played >= in.rounds {
		return 0
	}
	last := in.history[in.played-1]
	travellers := make([]int, in.tables) // table → travellers there in the last played round
	hosts := make([]int, in.tables)      // table → its hosts who sat there
	for p, t := range last {
		switch {
		case t < 0:
		case in.host[p] < 0:
			travellers[t]++
		case in.host[p] == t:
			hosts[t]++
		}
	}
	cost := 0
	for t, g := range travellers {
		cost += hosts[t] * (hosts[t] - 1) / 2
		bins := in.opens
		if in.open[t] && in.played < in.opens {
			bins-- // each has sat at most at played tables: an unvisited one remains, t is not it
		}
		if bins > 0 {
			q, rem := g/bins, g%bins
			cost += rem*(q+1)*q/2 + (bins-rem)*q*(q-1)/2
		}
	}
	return cost
}

// spreadRepeats is the least number of pairs of travellers who sit together in two consecutive
// rounds when each table's travellers can go to bins tables, plus the co-hosts.
func (in *instance) spreadRepeats(lv levels, bins int) int {
	cost := 0
	for _, h := range in.hosts {
		cost += h * (h - 1) / 2
	}
	if bins <= 0 {
		return cost
	}
	// g people in bins bins, as evenly as possible: (g mod bins) bins hold one more.
	even := func(g int) int {
		q, rem := g/bins, g%bins
		return rem*(q+1)*q/2 + (bins-rem)*q*(q-1)/2
	}
	for t, size := range lv.size {
		cost += even(size - in.hosts[t])
	}
	// The extra seats go where the next traveller adds least: a table of g travellers adds g/bins.
	var marginal []int
	for _, t := range lv.flexible {
		marginal = append(marginal, (lv.size[t]-in.hosts[t])/bins)
	}
	for range lv.extra {
		k := 0
		for j := range marginal {
			if marginal[j] < marginal[k] {
				k = j
			}
		}
		cost += marginal[k]
		marginal[k] = math.MaxInt
	}
	return cost
}

// orgBound is a number of pairs of colleagues at one table that no plan of p goes below: in each
// planned round, the people of one organisation spread at best evenly over all tables; played
// rounds count as they were.
func (in *instance) orgBound() int {
	if in.n == 0 || in.tables == 0 {
		return 0
	}
	played := 0
	for _, seats := range in.history {
		at := map[[2]int]int{} // table, organisation → people
		for p, t := range seats {
			if t >= 0 && in.org[p] >= 0 {
				played += at[[2]int{t, in.org[p]}]
				at[[2]int{t, in.org[p]}]++
			}
		}
	}
	return played + in.orgPerRound()*(in.rounds-in.played)
}

// orgPerRound is the least number of pairs of colleagues at one table in one planned round.
func (in *instance) orgPerRound() int {
	if in.tables == 0 {
		return 0
	}
	members := map[int]int{}
	for _, o := range in.org {
		if o >= 0 {
			members[o]++
		}
	}
	perRound := 0
	for _, g := range members {
		q, rem := g/in.tables, g%in.tables
		perRound += rem*(q+1)*q/2 + (in.tables-rem)*q*(q-1)/2
	}
	return perRound
}
