package rotation

import "testing"

// TestField: for every prime power up to 128, the tables make a field: addition and
// multiplication associative, commutative and distributive, 0 and 1 neutral, every element an
// opposite and every non-zero one an inverse. Non prime powers give no field.
func TestField(t *testing.T) {
	for q := 2; q <= 128; q++ {
		f := newField(q)
		if _, _, ok := primePower(q); !ok {
			if f != nil {
				t.Errorf("GF(%d) built", q)
			}
			continue
		}
		if f == nil {
			t.Fatalf("GF(%d) not built", q)
		}
		step := 1
		if q > 32 {
			step = 7 // a sample of the triples, to stay fast
		}
		for a := 0; a < q; a++ {
			if f.plus(a, 0) != a || f.times(a, 1) != a || f.times(a, 0) != 0 || f.plus(a, f.neg[a]) != 0 {
				t.Fatalf("GF(%d): neutral elements or opposite of %d", q, a)
			}
			inverse := a == 0
			for b := 0; b < q; b++ {
				inverse = inverse || f.times(a, b) == 1
				if f.plus(a, b) != f.plus(b, a) || f.times(a, b) != f.times(b, a) {
					t.Fatalf("GF(%d): %d, %d do not commute", q, a, b)
				}
				if f.minus(f.plus(a, b), b) != a {
					t.Fatalf("GF(%d): (%d + %d) − %d", q, a, b, b)
				}
				for c := 0; c < q; c += step {
					if f.times(f.times(a, b), c) != f.times(a, f.times(b, c)) ||
						f.plus(f.plus(a, b), c) != f.plus(a, f.plus(b, c)) ||
						f.times(a, f.plus(b, c)) != f.plus(f.times(a, b), f.times(a, c)) {
						t.Fatalf("GF(%d): %d, %d, %d", q, a, b, c)
					}
				}
			}
			if !inverse {
				t.Fatalf("GF(%d): %d has no inverse", q, a)
			}
		}
	}
	if f := newField(4); f.plus(1, 1) != 0 || f.times(2, 2) == 4%4 {
		t.Errorf("GF(4) is not the integers modulo 4: 1 + 1 = %d, 2·2 = %d", f.plus(1, 1), f.times(2, 2))
	}
}
