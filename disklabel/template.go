package disklabel

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Unlimited is the maximum size of "*" and "MIN-*" (UINT64_MAX in
// editor.c parse_sizerange()).
const Unlimited = math.MaxUint64

// MaxEntries is how many template lines can get a partition: the letters a
// to p without c (MAXPARTITIONS 16, RAW_PART 2; sys/sys/disklabel.h).
const MaxEntries = 15

// Entry is one line of an autopartitioning template.
type Entry struct {
	Line    int    // 1-based line in the file
	Mount   string // "/..." as written, or "swap" or "raid" (lower case)
	Min     uint64 // 512-byte blocks
	Max     uint64 // 512-byte blocks; Unlimited for "*" and "MIN-*"
	Percent int    // share of the extra space, 0-100
}

// FSType is the label fstype disklabel gives the entry: "swap", "RAID" or
// "4.2BSD" (editor.c allocate_partition()).
func (e Entry) FSType() string {
	switch e.Mount {
	case "swap":
		return "swap"
	case "raid":
		return "RAID"
	}
	return "4.2BSD"
}

// Template is a parsed autopartitioning template.
type Template struct {
	Name    string
	Entries []Entry
	// Warnings lists what ParseTemplateAsDisklabel accepted the way
	// disklabel(8) does although it is probably not what the author meant
	// (text after a unit letter, ignored extra fields, ...). ParseTemplate
	// rejects all of these.
	Warnings []string
	dialect  dialect
}

// ParseError is a template line that disklabel(8) would reject, or (from
// ParseTemplate) one it would silently read differently from what it says.
type ParseError struct {
	File  string
	Line  int    // 0 for errors about the whole template
	Token string // the offending field, if any
	Msg   string
	Hint  string // how to fix it, if known
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Token != "" {
		fmt.Fprintf(&b, "%q: ", e.Token)
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (hint: ")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// ParseTemplate reads a template for the current release (editor.c 1.422)
// and rejects, besides everything disklabel(8) rejects, the lines disklabel
// would read differently from what they say: text after the unit letter
// ("1GB"), a range written with a dash other than '-', an empty or zero
// maximum, extra fields, and more than MaxEntries lines. Errors are
// *ParseError values that name the file, line and field.
func ParseTemplate(name string, r io.Reader) (*Template, error) {
	return parseTemplate(name, r, rev1422.dialect, true)
}

// ParseTemplateFor is ParseTemplate with the template dialect of an older
// release: before editor.c 1.422, "swap" had to be lower case, "raid" did not
// exist and a size of "*" alone was an error.
func ParseTemplateFor(name string, r io.Reader, release string) (*Template, error) {
	_, d, err := lookupRelease(release)
	if err != nil {
		return nil, err
	}
	return parseTemplate(name, r, d.rev.dialect, true)
}

// ParseTemplateAsDisklabel accepts exactly what disklabel(8) of the release
// accepts and returns the values it would use; what it reads differently
// from what the text says is listed in Template.Warnings.
func ParseTemplateAsDisklabel(name string, r io.Reader, release string) (*Template, error) {
	_, d, err := lookupRelease(release)
	if err != nil {
		return nil, err
	}
	return parseTemplate(name, r, d.rev.dialect, false)
}

// maxTemplateBytes bounds what is read; a real template is a few hundred
// bytes.
const maxTemplateBytes = 1 << 20

func parseTemplate(name string, r io.Reader, dl dialect, strict bool) (*Template, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxTemplateBytes+1))
	if err != nil {
		return nil, fmt.Errorf("disklabel: reading template %s: %w", name, err)
	}
	if len(data) > maxTemplateBytes {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("larger than %d bytes; this is not an autopartitioning template", maxTemplateBytes)}
	}
	p := &parser{name: name, dl: dl, strict: strict, data: data, t: &Template{Name: name, dialect: dl}}
	if err := p.run(); err != nil {
		return nil, err
	}
	return p.t, nil
}

type parser struct {
	name   string
	dl     dialect
	strict bool
	data   []byte
	t      *Template
	line   int
}

func (p *parser) errf(token, hint, format string, args ...any) *ParseError {
	e := &ParseError{File: p.name, Line: p.line, Token: token, Msg: fmt.Sprintf(format, args...), Hint: hint}
	if looksLikeDisklabelOutput(p.data) {
		e.Hint = "this looks like the output of disklabel(8), not an autopartitioning template; a template has one \"mountpoint size [percent]\" line per partition"
	}
	return e
}

// misread reports text that disklabel reads differently from what it says:
// an error in strict mode, a warning otherwise.
func (p *parser) misread(token, hint, format string, args ...any) error {
	if p.strict {
		return p.errf(token, hint, format, args...)
	}
	w := fmt.Sprintf("%s:%d: %q: %s", p.name, p.line, token, fmt.Sprintf(format, args...))
	p.t.Warnings = append(p.t.Warnings, w)
	return nil
}

func looksLikeDisklabelOutput(data []byte) bool {
	for _, s := range []string{"partitions:", "boundstart:", "bytes/sector:", "# /dev/r"} {
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}

func (p *parser) run() error {
	// getline(3) semantics: lines end at '\n'; a last line without one
	// still counts; no line follows a final '\n'.
	sc := bufio.NewScanner(bytes.NewReader(p.data))
	sc.Buffer(make([]byte, 0, 4096), maxTemplateBytes+1)
	pctsum := 0
	for sc.Scan() {
		p.line++
		e, err := p.parseLine(sc.Text())
		if err != nil {
			return err
		}
		if e == nil {
			continue
		}
		pctsum += e.Percent
		p.t.Entries = append(p.t.Entries, *e)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("disklabel: reading template %s: %w", p.name, err)
	}
	p.line = 0
	if len(p.t.Entries) == 0 {
		// disklabel itself would index the table at -1 (undefined).
		return p.errf("", "a template needs at least one line such as \"/ 1G-*\"", "empty template")
	}
	if pctsum > 100 {
		return p.errf("", "the percentages share the space left after every minimum; make them add up to 100 or less", "sum of extra space allocation is %d%%, more than 100%% (disklabel: \"sum of extra space allocation > 100%%\")", pctsum)
	}
	return nil
}

// tokens splits a line the way editor.c get_token() does: a field is a run
// of non-space bytes; a line that starts with a space has no first field.
func tokens(line string) []string {
	var out []string
	i := 0
	for {
		j := i
		for j < len(line) && !cIsSpace(line[j]) {
			j++
		}
		if j == i {
			return out
		}
		out = append(out, line[i:j])
		for j < len(line) && cIsSpace(line[j]) {
			j++
		}
		i = j
	}
}

func (p *parser) parseLine(line string) (*Entry, error) {
	if i := strings.IndexByte(line, 0); i >= 0 {
		return nil, p.errf("", "templates are plain text", "NUL byte at column %d", i+1)
	}
	f := tokens(line)
	if len(f) == 0 {
		if strings.TrimFunc(line, func(r rune) bool { return r < 0x80 && cIsSpace(byte(r)) }) == "" {
			return nil, p.errf("", "disklabel(8) stops at a blank line with \"parse error on line N\"; remove it", "blank line")
		}
		return nil, p.errf("", "remove the leading blanks: disklabel(8) reads no mount point from such a line", "line starts with white space")
	}
	e := &Entry{Line: p.line}
	mp := f[0]
	switch {
	case strings.HasPrefix(mp, "#"):
		return nil, p.errf(mp, "disklabel(8) templates have no comments; delete the line", "comment line")
	case mp[0] == '/':
		e.Mount = mp
	case mp == "swap":
		e.Mount = "swap"
	case strings.EqualFold(mp, "swap") || strings.EqualFold(mp, "raid"):
		if !p.dl.anyCaseSwapRaid {
			hint := "this release accepts only lower-case \"swap\""
			if strings.EqualFold(mp, "raid") {
				hint = "\"raid\" template lines need editor.c 1.422 or later"
			}
			return nil, p.errf(mp, hint, "mount point must start with '/' or be \"swap\"")
		}
		e.Mount = strings.ToLower(mp)
	default:
		if !p.dl.anyCaseSwapRaid {
			return nil, p.errf(mp, "mount points start with '/'; the only other name is \"swap\"", "mount point must start with '/' or be \"swap\"")
		}
		return nil, p.errf(mp, "mount points start with '/'; the other names are \"swap\" and \"raid\"", "mount point must start with '/' or be \"swap\" or \"raid\"")
	}
	if len(f) < 2 {
		return nil, p.errf("", "write a size after the mount point, e.g. \""+mp+" 1G\"", "missing size")
	}
	min, max, err := p.parseSizeRange(f[1])
	if err != nil {
		return nil, err
	}
	e.Min, e.Max = min, max
	if len(f) >= 3 {
		pct, err := p.parsePercent(f[2])
		if err != nil {
			return nil, err
		}
		e.Percent = pct
	}
	if len(f) > 3 {
		if err := p.misread(f[3], "disklabel(8) reads three fields and ignores the rest of the line", "extra field after the percentage"); err != nil {
			return nil, err
		}
	}
	if e.Min > e.Max {
		return nil, p.errf(f[1], "the minimum comes first: MIN-MAX", "min size > max size (%s > %s)", fmtBlocks(e.Min), fmtBlocks(e.Max))
	}
	if p.strict && len(p.t.Entries) == MaxEntries {
		return nil, p.errf(mp, "a disklabel has 16 partitions a-p and 'c' is the whole disk; on a GPT disk 'i' holds the EFI System partition too", "more than %d template lines", MaxEntries)
	}
	return e, nil
}

// dashLookalikes are characters people type (or word processors produce)
// for a range dash. parse_sizerange() splits only at ASCII '-'.
var dashLookalikes = []string{"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uFE63", "\uFF0D"}

func (p *parser) parseSizeRange(tok string) (min, max uint64, err error) {
	if tok == "*" {
		if !p.dl.bareStar {
			return 0, 0, p.errf(tok, "write \"0K-*\": a bare \"*\" needs editor.c 1.422 or later", "size \"*\" alone is not accepted by this release")
		}
		return 0, Unlimited, nil
	}
	left, right, hasDash := strings.Cut(tok, "-")
	v1, u1, err := p.parseSizeSpec(tok, left)
	if err != nil {
		return 0, 0, err
	}
	var v2 float64
	var u2 string
	max = 0
	if hasDash {
		switch {
		case right == "":
			if err := p.misread(tok, "write MIN-MAX, MIN-* or a single size", "range has no maximum; disklabel(8) reads it as exactly %s", left); err != nil {
				return 0, 0, err
			}
		case right[0] == '*':
			max = Unlimited
			if len(right) > 1 {
				if err := p.misread(tok, "write MIN-*", "text after \"*\" is ignored"); err != nil {
					return 0, 0, err
				}
			}
		default:
			v2, u2, err = p.parseSizeSpec(tok, right)
			if err != nil {
				return 0, 0, err
			}
		}
	}
	if u1 == "" {
		u1 = u2
		if u1 == "" {
			return 0, 0, p.errf(tok, "sizes need a unit: k, m, g or t (e.g. 2G)", "size has no unit")
		}
	}
	min, err = p.applyUnit(tok, v1, u1)
	if err != nil {
		return 0, 0, err
	}
	if v2 > 0 {
		if u2 == "" {
			// disklabel(8) dereferences a NULL unit here and crashes.
			return 0, 0, p.errf(tok, "put the unit on the maximum too, e.g. 1G-2G", "maximum %q has no unit", right)
		}
		max, err = p.applyUnit(tok, v2, u2)
		if err != nil {
			return 0, 0, err
		}
	} else if max == 0 {
		if hasDash && right != "" {
			if err := p.misread(tok, "a maximum of 0 is read as \"same as the minimum\"; write MIN-* for no limit", "maximum is zero; disklabel(8) reads the size as exactly %s", left); err != nil {
				return 0, 0, err
			}
		}
		max = min
	}
	return min, max, nil
}

// parseSizeSpec is editor.c parse_sizespec(): a strtod number followed by an
// optional unit. It returns the unit text (possibly longer than one letter).
func (p *parser) parseSizeSpec(tok, s string) (float64, string, error) {
	v, n, rangeErr := cStrtod(s)
	if n == 0 {
		hint := "sizes are a number and a unit, e.g. 512M, 1.5G, 20G-*"
		for _, d := range dashLookalikes {
			if strings.Contains(tok, d) {
				hint = fmt.Sprintf("the range dash is %q, not the ASCII '-'", d)
			}
		}
		if s == "" {
			hint = "a range is MIN-MAX with both sides given"
		}
		return 0, "", p.errf(tok, hint, "not a size")
	}
	if rangeErr || v < 0 || v > math.MaxUint64 || math.IsInf(v, 0) {
		return 0, "", p.errf(tok, "", "size %q is out of range", s[:n])
	}
	if math.IsNaN(v) {
		return 0, "", p.errf(tok, "", "size %q is not a number (disklabel(8)'s result would be undefined)", s[:n])
	}
	unit := s[n:]
	if len(unit) > 1 {
		rest := unit[1:]
		var hints []string
		for _, d := range dashLookalikes {
			if strings.Contains(rest, d) {
				hints = append(hints, fmt.Sprintf("the range dash is %q, not the ASCII '-', so disklabel(8) sees one size", d))
				break
			}
		}
		if rest[0] == 'b' || rest[0] == 'B' {
			hints = append(hints, fmt.Sprintf("units are one letter: write %s%c, not %s%c%c", s[:n], unit[0], s[:n], unit[0], rest[0]))
		}
		if len(hints) == 0 {
			hints = append(hints, "units are one letter: k, m, g or t")
		}
		if err := p.misread(tok, strings.Join(hints, "; "), "size %q: only the unit letter %q counts, disklabel(8) ignores %q", s, unit[:1], rest); err != nil {
			return 0, "", err
		}
	}
	return v, unit, nil
}

// applyUnit is editor.c apply_unit(): k, m, g, t (any case), powers of 1024,
// converted to 512-byte blocks and truncated.
func (p *parser) applyUnit(tok string, v float64, unit string) (uint64, error) {
	var f float64
	switch unit[0] {
	case 'k', 'K':
		f = kib
	case 'm', 'M':
		f = mib
	case 'g', 'G':
		f = gib
	case 't', 'T':
		f = tib
	default:
		hint := "units are k, m, g or t (powers of 1024)"
		if unit[0] == '%' {
			hint = "percentages of the disk exist only in the interactive editor; give a size and put the share of the free space in the third field"
		}
		if unit[0] == 'b' || unit[0] == 'B' || unit[0] == 's' || unit[0] == 'c' {
			hint = "templates take only k, m, g and t; bytes, sectors and cylinders are interactive-editor units"
		}
		return 0, p.errf(tok, hint, "unknown unit %q", unit[:1])
	}
	v *= f
	if v >= 1<<64 {
		return 0, p.errf(tok, "", "size is out of range")
	}
	return uint64(v), nil
}

// parsePercent is editor.c parse_pct(): an integer 0-100 (strtonum(3)) with
// an optional trailing '%'.
func (p *parser) parsePercent(tok string) (int, error) {
	s := strings.TrimSuffix(tok, "%")
	hint := "the third field is the share of the extra space, 0 to 100, e.g. 25%"
	if strings.HasPrefix(tok, "#") {
		hint = "disklabel(8) templates have no comments"
	}
	n, err := strconv.ParseInt(strings.TrimLeft(s, " "), 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, p.errf(tok, hint, "percentage is too large")
		}
		return 0, p.errf(tok, hint, "percentage is not a number")
	}
	if n < 0 {
		return 0, p.errf(tok, hint, "percentage is too small")
	}
	if n > 100 {
		return 0, p.errf(tok, hint, "percentage is too large")
	}
	return int(n), nil
}

// String prints the template in canonical form: one "mount size [N%]" line
// per entry, sizes in the largest unit that is exact. Parsing the result
// gives the same entries.
func (t *Template) String() string {
	var b strings.Builder
	for _, e := range t.Entries {
		b.WriteString(e.Mount)
		b.WriteByte(' ')
		switch {
		case e.Max == Unlimited && e.Min == 0 && t.dialect.bareStar:
			b.WriteString("*")
		case e.Max == Unlimited:
			b.WriteString(fmtBlocks(e.Min) + "-*")
		case e.Min == e.Max:
			b.WriteString(fmtBlocks(e.Min))
		default:
			b.WriteString(fmtBlocks(e.Min) + "-" + fmtBlocks(e.Max))
		}
		if e.Percent != 0 {
			fmt.Fprintf(&b, " %d%%", e.Percent)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// fmtBlocks writes a block count with the largest unit that divides it;
// an odd count is written as N.5K, which strtod reads back exactly.
func fmtBlocks(n uint64) string {
	for _, u := range []struct {
		f uint64
		s string
	}{{tib, "T"}, {gib, "G"}, {mib, "M"}} {
		if n != 0 && n%u.f == 0 {
			return strconv.FormatUint(n/u.f, 10) + u.s
		}
	}
	if n%2 == 1 {
		return strconv.FormatUint(n/2, 10) + ".5K"
	}
	return strconv.FormatUint(n/2, 10) + "K"
}
