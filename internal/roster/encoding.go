package roster

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// detected says how the bytes were read. lossy means some bytes could not be decoded and were
// replaced by U+FFFD: the lines holding one are reported instead of imported with a garbled name.
type detected struct {
	name  string
	lossy bool
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decode turns the file into UTF-8 text. A byte-order mark is trusted first. Without one, valid
// UTF-8 is UTF-8: a Windows-1252 file with accents is almost never valid UTF-8 by accident, while
// the reverse reading always "succeeds", so UTF-8 has to be tried first. Excel's "Unicode text"
// export is UTF-16 with a mark; without a mark, a zero byte in the first pair gives UTF-16 away,
// since no list starts with a NUL.
func decode(data []byte) (string, detected) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		s := string(data[len(bomUTF8):])
		if utf8.ValidString(s) {
			return s, detected{name: "utf-8-bom"}
		}
		return strings.ToValidUTF8(s, "\uFFFD"), detected{name: "utf-8-bom", lossy: true}
	case bytes.HasPrefix(data, bomUTF16LE):
		return utf16(data[2:], unicode.LittleEndian, "utf-16le")
	case bytes.HasPrefix(data, bomUTF16BE):
		return utf16(data[2:], unicode.BigEndian, "utf-16be")
	case len(data) >= 2 && data[0] != 0 && data[1] == 0:
		return utf16(data, unicode.LittleEndian, "utf-16le")
	case len(data) >= 2 && data[0] == 0 && data[1] != 0:
		return utf16(data, unicode.BigEndian, "utf-16be")
	case utf8.Valid(data):
		return string(data), detected{name: "utf-8"}
	}
	// The decoder turns the five bytes Windows-1252 leaves unassigned into U+FFFD; such a file
	// is probably in another encoding, and its lines with those bytes are reported.
	s, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), detected{name: "windows-1252", lossy: true}
	}
	return string(s), detected{name: "windows-1252", lossy: bytes.Contains(s, []byte("\uFFFD"))}
}

func utf16(data []byte, order unicode.Endianness, name string) (string, detected) {
	s, err := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(data)
	if err != nil {
		return "", detected{name: name, lossy: true}
	}
	// The decoder replaces unpaired surrogates and a trailing odd byte with U+FFFD.
	return string(s), detected{name: name, lossy: bytes.Contains(s, []byte("\uFFFD"))}
}
