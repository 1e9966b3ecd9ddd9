// Package suggest finds the nearest of a set of known words to a misspelt
// one, for "did you mean" hints in error messages.
package suggest

import "strings"

// Closest returns the candidate nearest to word by edit distance (case
// folded), or "" when none is close enough to be a plausible typo.
func Closest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestD := "", maxDistance(w)+1
	for _, c := range candidates {
		if d := Distance(w, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// maxDistance is how many edits still count as a typo: one for short words,
// two from five letters, three from nine.
func maxDistance(w string) int {
	switch n := len(w); {
	case n < 5:
		return 1
	case n < 9:
		return 2
	default:
		return 3
	}
}

// Distance is the edit distance between a and b, counted in bytes: an
// insertion, a deletion, a substitution or a swap of two neighbours counts
// one (optimal string alignment), so "dsik" is one edit from "disk".
func Distance(a, b string) int {
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
