package output

import "bytes"

// AppendEscapedText is AppendEscaped for text meant to read as text (what
// a terminal was sent, a decrypted HTTP exchange): newlines and tabs stay
// as they are, a "\r\n" becomes "\n", and every other control byte is
// escaped as AppendEscaped escapes it.
func AppendEscapedText(dst []byte, s []byte) []byte {
	for len(s) > 0 {
		i := bytes.IndexAny(s, "\n\t")
		if i < 0 {
			return AppendEscaped(dst, s)
		}
		seg := s[:i]
		if s[i] == '\n' && len(seg) > 0 && seg[len(seg)-1] == '\r' {
			seg = seg[:len(seg)-1]
		}
		dst = AppendEscaped(dst, seg)
		dst = append(dst, s[i])
		s = s[i+1:]
	}
	return dst
}
