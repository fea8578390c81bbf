package workshop

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Length limits, in Unicode code points, after trimming.
const (
	MaxTitle        = 200
	MaxSubtitle     = 300
	MaxVenue        = 300
	MaxName         = 80
	MaxOrganisation = 120
	MaxEmail        = 254
	MaxTableName    = 120
	MaxQuestion     = 500
	MaxNoteText     = 500
	MaxCapacity     = 1000
	MaxTables       = 500
)

// cleanText trims and checks one user-supplied text. Newlines are allowed only where multiline
// makes sense; other control characters never (they break layouts and terminals downstream).
func cleanText(field, s string, max int, required, multiline bool) (string, *Error) {
	if !utf8.ValidString(s) {
		return "", errorf(CodeInvalid, "%s is not valid UTF-8", field)
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if required && s == "" {
		return "", errorf(CodeInvalid, "%s is required", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", errorf(CodeTooLong, "%s is %d characters long; the limit is %d", field, n, max)
	}
	for _, r := range s {
		if r == '\n' && multiline {
			continue
		}
		if r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			return "", errorf(CodeInvalid, "%s holds a control character", field)
		}
	}
	return s, nil
}

// validID accepts the canonical lower-case UUID form only, so that ids compare as strings.
func validID(s string) bool {
	if len(s) != 36 {
		return false
	}
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

func requireID(field, s string) *Error {
	if !validID(s) {
		return errorf(CodeInvalid, "%s must be a lower-case UUID", field)
	}
	return nil
}

func validEmail(s string) bool {
	if s == "" {
		return true
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " <>\",;")
}

func validLanguage(s string) bool { return s == "fr" || s == "en" }
