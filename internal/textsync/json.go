package textsync

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxCount bounds every length in a change set, far above MaxLen, so sums cannot overflow.
const maxCount = 1 << 30

// ParseChangeSet reads CodeMirror's ChangeSet.toJSON() form: an array whose elements are either a
// number n (keep n code units) or an array [n, ...lines] (replace n code units by the lines joined
// by "\n"; [n] alone deletes them). It is strict, and every refusal wraps ErrMalformed: numbers
// must be non-negative integers written without fraction or exponent (as JSON.stringify writes
// them), lines must be strings without "\n" or "\r", and the JSON must be valid UTF-8.
//
// It decodes strings itself rather than with encoding/json, which would turn an escaped lone
// surrogate ("\ud83d", as JSON.stringify writes half an emoji) into U+FFFD and so change the text.
func ParseChangeSet(raw []byte) (ChangeSet, error) {
	p := parser{s: raw}
	c, err := p.changeSet()
	if err != nil {
		return ChangeSet{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return c, nil
}

type parser struct {
	s []byte
	i int
}

func (p *parser) changeSet() (ChangeSet, error) {
	var c ChangeSet
	if !p.eat('[') {
		return c, p.errorf("want an array")
	}
	for k := 0; !p.eat(']'); k++ {
		if k > 0 && !p.eat(',') {
			return c, p.errorf("want ',' or ']'")
		}
		s, err := p.section()
		if err != nil {
			return c, fmt.Errorf("element %d: %w", k, err)
		}
		c.before += s.len
		if s.ins < 0 {
			c.after += s.len
		} else {
			c.after += s.ins
		}
		if c.before > maxCount || c.after > maxCount {
			return c, p.errorf("lengths add up to more than %d", maxCount)
		}
		c.sections = append(c.sections, s)
	}
	if p.ws(); p.i < len(p.s) {
		return c, p.errorf("data after the array")
	}
	return c, nil
}

func (p *parser) section() (section, error) {
	if !p.eat('[') {
		n, err := p.count()
		return section{len: n, ins: -1}, err
	}
	n, err := p.count()
	if err != nil {
		return section{}, err
	}
	s := section{len: n}
	for k := 0; !p.eat(']'); k++ {
		if !p.eat(',') {
			return s, p.errorf("want ',' or ']'")
		}
		if k > 0 {
			s.txt = append(s.txt, '\n')
		}
		if s.txt, err = p.line(s.txt); err != nil {
			return s, fmt.Errorf("line %d: %w", k, err)
		}
		if len(s.txt) > maxCount {
			return s, p.errorf("inserted text longer than %d", maxCount)
		}
	}
	s.ins = len(s.txt)
	if s.ins == 0 {
		s.txt = nil
	}
	return s, nil
}

// count reads a non-negative integer.
func (p *parser) count() (int, error) {
	p.ws()
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	digits := p.s[start:p.i]
	switch {
	case len(digits) == 0 && p.i < len(p.s) && p.s[p.i] == '-':
		return 0, p.errorf("negative number")
	case len(digits) == 0:
		return 0, p.errorf("want a number or an array")
	case p.i < len(p.s) && (p.s[p.i] == '.' || p.s[p.i] == 'e' || p.s[p.i] == 'E'):
		return 0, p.errorf("not an integer")
	case len(digits) > 1 && digits[0] == '0':
		return 0, p.errorf("number with a leading zero")
	case len(digits) > 10:
		return 0, p.errorf("number larger than %d", maxCount)
	}
	var n int64
	for _, d := range digits {
		n = n*10 + int64(d-'0')
	}
	if n > maxCount {
		return 0, p.errorf("number larger than %d", maxCount)
	}
	return int(n), nil
}

// line reads a JSON string and appends its UTF-16 code units to u.
func (p *parser) line(u []uint16) ([]uint16, error) {
	if p.ws(); p.i >= len(p.s) || p.s[p.i] != '"' {
		return u, p.errorf("want a string")
	}
	p.i++
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return u, nil
		case c == '\\':
			r, err := p.escape()
			if err != nil {
				return u, err
			}
			if r == '\n' || r == '\r' {
				return u, p.errorf("line break inside a line")
			}
			u = append(u, r)
		case c < 0x20:
			return u, p.errorf("control character in a string")
		case c < utf8.RuneSelf:
			u = append(u, uint16(c))
			p.i++
		default:
			r, size := utf8.DecodeRune(p.s[p.i:])
			if r == utf8.RuneError && size == 1 {
				return u, p.errorf("invalid UTF-8")
			}
			u = utf16.AppendRune(u, r)
			p.i += size
		}
	}
	return u, p.errorf("unterminated string")
}

// escape reads one backslash escape as a code unit: \uD83D stays half a pair.
func (p *parser) escape() (uint16, error) {
	if p.i+1 >= len(p.s) {
		return 0, p.errorf("unterminated escape")
	}
	c := p.s[p.i+1]
	p.i += 2
	switch c {
	case '"', '\\', '/':
		return uint16(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		if p.i+4 > len(p.s) {
			return 0, p.errorf("short \\u escape")
		}
		var r uint16
		for _, h := range p.s[p.i : p.i+4] {
			switch {
			case h >= '0' && h <= '9':
				r = r<<4 | uint16(h-'0')
			case h >= 'a' && h <= 'f':
				r = r<<4 | uint16(h-'a'+10)
			case h >= 'A' && h <= 'F':
				r = r<<4 | uint16(h-'A'+10)
			default:
				return 0, p.errorf("bad \\u escape")
			}
		}
		p.i += 4
		return r, nil
	}
	return 0, p.errorf("bad escape")
}

func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) eat(c byte) bool {
	if p.ws(); p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("byte %d: %s", p.i, fmt.Sprintf(format, args...))
}

// MarshalJSON writes the change set as CodeMirror's toJSON() and JSON.stringify would, byte for
// byte: lone surrogates as \udXXX escapes, other characters as UTF-8, and [n] for a pure deletion.
func (c ChangeSet) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 16+4*len(c.sections))
	b = append(b, '[')
	for k, s := range c.sections {
		if k > 0 {
			b = append(b, ',')
		}
		if s.ins < 0 {
			b = strconv.AppendInt(b, int64(s.len), 10)
			continue
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(s.len), 10)
		if s.ins > 0 {
			b = append(b, ',', '"')
			for i := 0; i < len(s.txt); i++ {
				switch ch := s.txt[i]; {
				case ch == '\n':
					b = append(b, '"', ',', '"')
				case ch == '"' || ch == '\\':
					b = append(b, '\\', byte(ch))
				case ch == '\b':
					b = append(b, `\b`...)
				case ch == '\f':
					b = append(b, `\f`...)
				case ch == '\t':
					b = append(b, `\t`...)
				case ch < 0x20:
					b = fmt.Appendf(b, `\u%04x`, ch)
				case isHigh(ch) && i+1 < len(s.txt) && isLow(s.txt[i+1]):
					b = utf8.AppendRune(b, utf16.DecodeRune(rune(ch), rune(s.txt[i+1])))
					i++
				case isHigh(ch) || isLow(ch):
					b = fmt.Appendf(b, `\u%04x`, ch)
				default:
					b = utf8.AppendRune(b, rune(ch))
				}
			}
			b = append(b, '"')
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}
