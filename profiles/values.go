package profiles

import (
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/fugu-tool/fugu/internal/suggest"
)

// Amount is one end of a partition size: a number of bytes, a multiple of
// the machine's memory, or no limit.
type Amount struct {
	Bytes     int64   // when RAM == 0 and !Unlimited
	RAM       float64 // a multiple of physical memory ("2x-ram")
	Unlimited bool    // "*"
}

// Resolve gives the amount in bytes for a machine with physmem bytes of
// memory. Unlimited resolves to math.MaxInt64.
func (a Amount) Resolve(physmem int64) int64 {
	switch {
	case a.Unlimited:
		return math.MaxInt64
	case a.RAM != 0:
		return int64(a.RAM * float64(physmem))
	}
	return a.Bytes
}

func (a Amount) String() string {
	switch {
	case a.Unlimited:
		return "*"
	case a.RAM != 0:
		return strconv.FormatFloat(a.RAM, 'f', -1, 64) + "x-ram"
	}
	return FormatBytes(a.Bytes)
}

// Size is a partition size: a fixed amount (Min == Max) or a range.
type Size struct {
	Min, Max Amount
}

func (s Size) String() string {
	if s.Min == s.Max {
		return s.Min.String()
	}
	if s.Min == (Amount{}) && s.Max.Unlimited {
		return "*"
	}
	return s.Min.String() + "-" + s.Max.String()
}

var amountRE = regexp.MustCompile(`^(?i)([0-9]+(?:\.[0-9]+)?)(?:([kmgt])|x-ram)$`)

// ParseSize reads a size as profiles write it: "2G", "512M", "1.5G" (units
// k, m, g, t in powers of 1024, as disklabel(8) templates use them), a range
// "2G-8G" or "2G-*", "*" for whatever is left, or "2x-ram" for a multiple of
// the machine's memory.
func ParseSize(s string) (Size, error) {
	switch s {
	case "*":
		return Size{Max: Amount{Unlimited: true}}, nil
	case "":
		return Size{}, fmt.Errorf("size is empty: write 2G, 512M, 2G-8G, 2G-*, * or 2x-ram")
	}
	lo, hi, isRange := cutRange(s)
	min, err := parseAmount(lo, s)
	if err != nil {
		return Size{}, err
	}
	if !isRange {
		return Size{Min: min, Max: min}, nil
	}
	var max Amount
	if hi == "*" {
		max = Amount{Unlimited: true}
	} else if max, err = parseAmount(hi, s); err != nil {
		return Size{}, err
	}
	if min.RAM == 0 && max.RAM == 0 && !max.Unlimited && min.Bytes > max.Bytes {
		return Size{}, fmt.Errorf("size %q: the minimum is larger than the maximum", s)
	}
	return Size{Min: min, Max: max}, nil
}

// cutRange splits "A-B" at the dash that separates the two ends; the dash in
// "x-ram" does not count.
func cutRange(s string) (lo, hi string, ok bool) {
	low := strings.ToLower(s)
	for i := 0; i < len(low); i++ {
		if low[i] == '-' && !strings.HasSuffix(low[:i], "x") {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func parseAmount(a, whole string) (Amount, error) {
	m := amountRE.FindStringSubmatch(a)
	if m == nil {
		switch {
		case a == "":
			return Amount{}, fmt.Errorf("size %q: an end of the range is empty", whole)
		case regexp.MustCompile(`^[0-9.]+$`).MatchString(a):
			return Amount{}, fmt.Errorf("size %q: %q has no unit; write %sG or %sM (units k, m, g, t)", whole, a, a, a)
		case regexp.MustCompile(`^(?i)[0-9.]+\s*[kmgt]i?b$`).MatchString(a):
			return Amount{}, fmt.Errorf("size %q: write units as one letter, k, m, g or t (%q)", whole, strings.TrimRight(strings.ToUpper(a), "IB"))
		}
		return Amount{}, fmt.Errorf("size %q is not a size: write 2G, 512M, 2G-8G, 2G-*, * or 2x-ram", whole)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || v <= 0 {
		return Amount{}, fmt.Errorf("size %q: %q must be more than zero", whole, a)
	}
	if m[2] == "" {
		return Amount{RAM: v}, nil
	}
	shift := map[string]uint{"k": 10, "m": 20, "g": 30, "t": 40}[strings.ToLower(m[2])]
	b := v * float64(int64(1)<<shift)
	if b > float64(math.MaxInt64/2) {
		return Amount{}, fmt.Errorf("size %q is too large", whole)
	}
	return Amount{Bytes: int64(b)}, nil
}

// FormatBytes prints a byte count in the largest binary unit that keeps it
// readable: 64G, 1.5G, 512M, 300K, 17B.
func FormatBytes(b int64) string {
	units := []struct {
		suffix string
		shift  uint
	}{{"T", 40}, {"G", 30}, {"M", 20}, {"K", 10}}
	for _, u := range units {
		if b >= int64(1)<<u.shift {
			v := float64(b) / float64(int64(1)<<u.shift)
			if v == math.Trunc(v) {
				return fmt.Sprintf("%d%s", int64(v), u.suffix)
			}
			return strconv.FormatFloat(v, 'f', 1, 64) + u.suffix
		}
	}
	return fmt.Sprintf("%dB", b)
}

// ParseMode reads an octal file mode such as "0644", "644" or "4755".
func ParseMode(s string) (uint32, error) {
	t := strings.TrimPrefix(s, "0o")
	if len(t) < 3 || len(t) > 5 {
		return 0, fmt.Errorf("%q is not an octal mode such as 0644 or 0600", s)
	}
	v, err := strconv.ParseUint(t, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not an octal mode such as 0644 or 0600 (digits 0-7)", s)
	}
	if v > 0o7777 {
		return 0, fmt.Errorf("%q is larger than 07777", s)
	}
	return uint32(v), nil
}

// Disk rules a profile can name.
var diskRules = []string{"ssd", "hdd", "nvme", "largest", "smallest"}

var diskNameRE = regexp.MustCompile(`^(sd|wd)[0-9]+$`)

// IsDiskName reports whether a disk rule names one disk ("sd1").
func IsDiskName(rule string) bool { return diskNameRE.MatchString(rule) }

// CheckDiskRule checks the form of a disk rule: ssd, hdd, nvme, largest,
// smallest, model:PATTERN or a disk name such as sd0.
func CheckDiskRule(rule string) error {
	switch {
	case contains(diskRules, rule), IsDiskName(rule):
		return nil
	case strings.HasPrefix(rule, "model:"):
		pat := strings.TrimPrefix(rule, "model:")
		if strings.TrimSpace(pat) == "" {
			return fmt.Errorf("model: needs a pattern, e.g. model:Samsung*")
		}
		if _, err := matchPattern(pat, ""); err != nil {
			return fmt.Errorf("bad model pattern %q: %v", pat, err)
		}
		return nil
	}
	hint := ""
	if s := suggest.Closest(rule, diskRules); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%q is not a disk rule%s: use ssd, hdd, nvme, largest, smallest, model:PATTERN or a disk name such as sd0", rule, hint)
}

// MatchModel reports whether a disk model matches a model: pattern, as a
// case-insensitive shell pattern (*, ?, [...]).
func MatchModel(pattern, model string) bool {
	ok, _ := matchPattern(pattern, model)
	return ok
}

func matchPattern(pattern, s string) (bool, error) {
	// path.Match stops '*' at '/', which models do not use as a separator.
	p := strings.ReplaceAll(strings.ToLower(pattern), "/", "\x00")
	return path.Match(p, strings.ReplaceAll(strings.ToLower(s), "/", "\x00"))
}
