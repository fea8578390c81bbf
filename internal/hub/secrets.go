package hub

import (
	"crypto/rand"
	"encoding/base64"
)

// newSecret returns 32 random bytes as unpadded base64url: the shape workshop.ValidToken expects.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24 panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// codeAlphabet leaves out letters and digits people confuse when reading a projector (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newCode returns a 6-character join code. Codes are public (they are on the projector); they
// only need to be unique, which ClaimCode enforces.
func newCode() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}
