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

// Distance is the Levenshtein distance between a and b, counted in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
