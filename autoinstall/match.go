package autoinstall

// The matching rule of install.sub's _autorespond (the same in rev 1.1013,
// 2017, and rev 1.1288, 2026): both the question and the line's key are
// lower-cased with ksh's typeset -l, and
//
//	[[ $_q == @(|*[[:blank:]])"$_key"@([[:blank:]?]*|) ]]
//
// must hold: the key, quoted and therefore a literal string (a '*' in it is
// a star, not a wildcard), occurs in the question where it starts the
// question or follows a blank, and ends the question or is followed by a
// blank or a '?'.

// Match reports whether a response-file key answers a question under the
// installer's rule. Both are compared lower-cased; the key is a literal
// string that must sit on word boundaries of the question.
func Match(key, question string) bool {
	k, q := key, question
	for p := 0; p+len(k) <= len(q); p++ {
		if p > 0 && !isBlank(q[p-1]) {
			continue
		}
		if end := p + len(k); end < len(q) && !isBlank(q[end]) && q[end] != '?' {
			continue
		}
		if equalFoldASCII(q[p:p+len(k)], k) {
			return true
		}
	}
	return false
}

// equalFoldASCII compares two strings of equal length with A-Z folded to
// a-z, as comparing typeset -l values does.
func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// lowerASCII lower-cases A-Z and nothing else, as ksh's typeset -l does in
// the installer's C locale (bin/ksh var.c uses isupper/tolower per byte).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// isBlank is ksh's [[:blank:]]: space or tab.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }
