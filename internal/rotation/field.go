package rotation

// field is the finite field GF(q), q = p^k a prime power, with its elements numbered 0 to q − 1:
// element e stands for the polynomial whose coefficients are e's digits in base p, and products
// are reduced modulo a monic irreducible polynomial of degree k. Addition is digit by digit
// modulo p (for p = 2, exclusive or), which is why GF(4), GF(8), GF(9), GF(16)… are not the
// integers modulo q. The tables cost 2q² ints: fields are only made up to maxField.
type field struct {
	q        int
	add, mul []int // a·q + b → a + b, a·b
	neg      []int // a → −a
}

// maxField is the largest order newField builds: tables above 500 (the most Nappe plans for) need
// no larger field.
const maxField = 512

// primePower tells whether q = p^k for a prime p and k ≥ 1, and returns p and k.
func primePower(q int) (p, k int, ok bool) {
	if q < 2 {
		return 0, 0, false
	}
	for p = 2; p*p <= q; p++ {
		if q%p == 0 {
			break
		}
	}
	if p*p > q {
		p = q // q is prime
	}
	for k = 0; q%p == 0; k++ {
		q /= p
	}
	return p, k, q == 1
}

// newField builds GF(q), or returns nil if q is not a prime power or is above maxField.
func newField(q int) *field {
	p, k, ok := primePower(q)
	if !ok || q > maxField {
		return nil
	}
	f := &field{q: q, add: make([]int, q*q), mul: make([]int, q*q), neg: make([]int, q)}
	digits := func(e int) []int {
		d := make([]int, k)
		for i := range d {
			d[i] = e % p
			e /= p
		}
		return d
	}
	number := func(d []int) int {
		e := 0
		for i := len(d) - 1; i >= 0; i-- {
			e = e*p + d[i]
		}
		return e
	}
	for a := range q {
		da := digits(a)
		for b := range q {
			db := digits(b)
			s := make([]int, k)
			for i := range s {
				s[i] = (da[i] + db[i]) % p
			}
			f.add[a*q+b] = number(s)
			if f.add[a*q+b] == 0 {
				f.neg[a] = b
			}
		}
	}
	// The lower coefficients of a monic polynomial of degree k, tried in order until the products
	// they give make a field (every non-zero element has an inverse).
	for low := range q {
		if f.multiply(p, k, digits(low), digits, number) {
			return f
		}
	}
	return nil // not reached: an irreducible polynomial of every degree exists
}

// multiply fills the product table modulo x^k + low (low's digits are its lower coefficients) and
// tells whether that polynomial is irreducible, that is whether the products make a field.
func (f *field) multiply(p, k int, low []int, digits func(int) []int, number func([]int) int) bool {
	q := f.q
	for a := range q {
		da := digits(a)
		for b := range q {
			db := digits(b)
			prod := make([]int, 2*k)
			for i, x := range da {
				for j, y := range db {
					prod[i+j] = (prod[i+j] + x*y) % p
				}
			}
			// x^k = −low: fold the high coefficients down, highest first.
			for d := 2*k - 1; d >= k; d-- {
				c := prod[d]
				if c == 0 {
					continue
				}
				prod[d] = 0
				for i, l := range low {
					prod[d-k+i] = ((prod[d-k+i]-c*l)%p + p) % p
				}
			}
			f.mul[a*q+b] = number(prod[:k])
		}
	}
	for a := 1; a < q; a++ {
		inverse := false
		for b := 1; b < q && !inverse; b++ {
			inverse = f.mul[a*q+b] == 1
		}
		if !inverse {
			return false
		}
	}
	return true
}

func (f *field) plus(a, b int) int  { return f.add[a*f.q+b] }
func (f *field) times(a, b int) int { return f.mul[a*f.q+b] }
func (f *field) minus(a, b int) int { return f.add[a*f.q+f.neg[b]] }
