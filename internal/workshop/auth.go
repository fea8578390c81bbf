package workshop

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// TokenLength is the length of every secret: 32 random bytes in unpadded base64url.
const TokenLength = 43

// ValidToken reports whether s has the shape of a secret. Checking the shape first keeps junk out
// of the hash maps and gives a clear error for a truncated link.
func ValidToken(s string) bool {
	if len(s) != TokenLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// HashToken is what the log stores instead of a secret. The secrets are 256-bit random values, so
// a plain SHA-256 cannot be reversed; no slow password hash is needed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate tells who holds token in this workshop.
func (s *State) Authenticate(token string) (Actor, bool) {
	if !s.Created() || !ValidToken(token) {
		return Actor{}, false
	}
	h := HashToken(token)
	if subtle.ConstantTimeCompare([]byte(h), []byte(s.FacilitatorKeyHash)) == 1 {
		return Actor{Role: RoleFacilitator}, true
	}
	if subtle.ConstantTimeCompare([]byte(h), []byte(s.BoardKeyHash)) == 1 {
		return Actor{Role: RoleBoard}, true
	}
	if id, ok := s.byToken[h]; ok {
		return Actor{Role: RoleParticipant, Participant: id}, true
	}
	return Actor{}, false
}

// DeriveBoardKey makes the projector's key from the facilitator's. A facilitator can then get the
// projector link back on any device (the server recomputes it from the key they present) while
// nothing more is stored, and the projector's key reveals nothing of the facilitator's.
func DeriveBoardKey(facilitatorKey string) string {
	mac := hmac.New(sha256.New, []byte(facilitatorKey))
	mac.Write([]byte("nappe board key v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// DeriveParticipantToken makes the secret of a participant the facilitator registered in advance
// (an imported list): their personal link carries it. Like the projector's key it is derived
// from the facilitator's, so the facilitator can print badges again on any device while the
// server stores only its hash, and one person's token reveals nothing of another's.
func DeriveParticipantToken(facilitatorKey, participant string) string {
	mac := hmac.New(sha256.New, []byte(facilitatorKey))
	mac.Write([]byte("nappe participant token v1\x00" + participant))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
