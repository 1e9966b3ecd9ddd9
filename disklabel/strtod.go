package disklabel

import (
	"math"
	"strconv"
	"strings"
)

// cStrtod reads the longest prefix of s that C's strtod(3) would convert, in
// the C locale, and returns the value and the number of bytes used (0 when
// no conversion is possible). rangeErr reports what strtod signals with
// ERANGE: overflow to infinity, or a non-zero number that underflows to 0.
// parse_sizespec() in editor.c relies on exactly this behaviour: it accepts
// "1.5G", "1e3M", "0x10G" and "+2G", and leaves the rest of the token (the
// unit) to the caller.
func cStrtod(s string) (v float64, n int, rangeErr bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	sign := func(f float64) float64 {
		if neg {
			return -f
		}
		return f
	}
	rest := strings.ToLower(s[i:])
	switch {
	case strings.HasPrefix(rest, "infinity"):
		return sign(math.Inf(1)), i + 8, false
	case strings.HasPrefix(rest, "inf"):
		return sign(math.Inf(1)), i + 3, false
	case strings.HasPrefix(rest, "nan"):
		j := i + 3
		if j < len(s) && s[j] == '(' {
			k := j + 1
			for k < len(s) && (isAlnum(s[k]) || s[k] == '_') {
				k++
			}
			if k < len(s) && s[k] == ')' {
				j = k + 1
			}
		}
		return math.NaN(), j, false
	}
	if len(rest) >= 3 && rest[0] == '0' && rest[1] == 'x' && (isHex(rest[2]) || (rest[2] == '.' && len(rest) > 3 && isHex(rest[3]))) {
		return hexStrtod(s, i, neg)
	}
	start := i
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, 0, false
	}
	mant := s[start:i]
	if j := scanExponent(s, i, 'e'); j > i {
		mant = s[start:j]
		i = j
	}
	f, err := strconv.ParseFloat(mant, 64)
	if err != nil {
		// Only a range error is possible for a well-formed number.
		return sign(f), i, true
	}
	if f == 0 && strings.Trim(strings.SplitN(strings.ToLower(mant), "e", 2)[0], "0.") != "" {
		return sign(0), i, true // underflow
	}
	return sign(f), i, false
}

// hexStrtod converts a C99 hexadecimal floating constant starting at s[i]
// ("0x" already checked).
func hexStrtod(s string, i int, neg bool) (float64, int, bool) {
	start := i
	i += 2
	for i < len(s) && isHex(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHex(s[i]) {
			i++
		}
	}
	mant := s[start:i]
	exp := "p0"
	if j := scanExponent(s, i, 'p'); j > i {
		exp = s[i:j]
		i = j
	}
	f, err := strconv.ParseFloat(mant+exp, 64)
	if neg {
		f = -f
	}
	return f, i, err != nil
}

// scanExponent reads an exponent at s[i]: the letter mark (either case),
// an optional sign and at least one digit, as strtod(3) does. It returns
// the index after it, or i when there is no complete exponent (strtod then
// stops before the letter).
func scanExponent(s string, i int, mark byte) int {
	if i >= len(s) || s[i]|0x20 != mark {
		return i
	}
	j := i + 1
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	if j >= len(s) || !isDigit(s[j]) {
		return i
	}
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return j
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
func isAlnum(c byte) bool { return isHex(c) || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') }

// cIsSpace is isspace(3) in the C locale.
func cIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
