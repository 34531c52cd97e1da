package output

import (
	"strconv"
	"unicode/utf8"
)

// AppendJSONString appends s as a JSON string (RFC 8259). Invalid UTF-8
// becomes U+FFFD and every control character is \u-escaped, so the result is
// also safe on a terminal.
func AppendJSONString(dst []byte, s []byte) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
			i++
			continue
		case '\n':
			dst = append(dst, '\\', 'n')
			i++
			continue
		case '\t':
			dst = append(dst, '\\', 't')
			i++
			continue
		case '\r':
			dst = append(dst, '\\', 'r')
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			dst = append(dst, `\ufffd`...)
		case unsafeRune(r) || r == 0x2028 || r == 0x2029:
			dst = append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return append(dst, '"')
}

// JSONLine builds one JSON object per event, reusing its buffer.
type JSONLine struct {
	buf []byte
}

// Reset starts a new object.
func (j *JSONLine) Reset() { j.buf = append(j.buf[:0], '{') }

func (j *JSONLine) key(k string) {
	if len(j.buf) == 0 {
		j.buf = append(j.buf, '{')
	}
	if len(j.buf) > 1 {
		j.buf = append(j.buf, ',')
	}
	j.buf = append(j.buf, '"')
	j.buf = append(j.buf, k...)
	j.buf = append(j.buf, '"', ':')
}

// Str adds a string field.
func (j *JSONLine) Str(k string, v []byte) { j.key(k); j.buf = AppendJSONString(j.buf, v) }

// Int adds a signed integer field.
func (j *JSONLine) Int(k string, v int64) { j.key(k); j.buf = strconv.AppendInt(j.buf, v, 10) }

// Uint adds an unsigned integer field.
func (j *JSONLine) Uint(k string, v uint64) { j.key(k); j.buf = strconv.AppendUint(j.buf, v, 10) }

// Float adds a number field with prec decimals.
func (j *JSONLine) Float(k string, v float64, prec int) {
	j.key(k)
	j.buf = strconv.AppendFloat(j.buf, v, 'f', prec, 64)
}

// Bool adds a boolean field.
func (j *JSONLine) Bool(k string, v bool) { j.key(k); j.buf = strconv.AppendBool(j.buf, v) }

// StrList adds a list of strings.
func (j *JSONLine) StrList(k string, vs [][]byte) {
	j.key(k)
	j.buf = append(j.buf, '[')
	for i, v := range vs {
		if i > 0 {
			j.buf = append(j.buf, ',')
		}
		j.buf = AppendJSONString(j.buf, v)
	}
	j.buf = append(j.buf, ']')
}

// Raw adds a field whose value is already JSON.
func (j *JSONLine) Raw(k string, v []byte) { j.key(k); j.buf = append(j.buf, v...) }

// Bytes ends the object with "}\n"; valid until the next Reset.
func (j *JSONLine) Bytes() []byte {
	if len(j.buf) == 0 {
		j.buf = append(j.buf, '{')
	}
	j.buf = append(j.buf, '}', '\n')
	return j.buf
}
