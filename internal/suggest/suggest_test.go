package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"disk", "disk", 0}, {"dsik", "disk", 1}, {"hostnmae", "hostname", 1},
		{"kitten", "sitting", 3}, {"", "abc", 3}, {"swap", "sawp", 1}, {"ab", "ba", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"disk", "table", "layout", "swap"}
	tests := map[string]string{"dsik": "disk", "tabel": "table", "Layot": "layout", "colour": "", "swp": "swap", "xyz": ""}
	for in, want := range tests {
		if got := Closest(in, keys); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
