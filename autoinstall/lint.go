package autoinstall

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/fugu-tool/fugu/internal/suggest"
)

// MaxAnswerLines bounds the answer lines Simulate takes: a response file
// answers a few dozen questions.
const MaxAnswerLines = 4096

// fileResponder answers from a response file the way _autorespond does.
type fileResponder struct {
	lines []Line
	used  []int // step (1-based) that consumed the line; 0 when unused
}

func newFileResponder(r *Response) *fileResponder {
	ls := r.Answers()
	return &fileResponder{lines: ls, used: make([]int, len(ls))}
}

func (f *fileResponder) respond(s *sim, a *asking) (string, int, string, bool) {
	for i, l := range f.lines {
		if f.used[i] != 0 || !Match(l.Key, a.text) {
			continue
		}
		f.used[i] = len(s.steps) + 1
		return l.Value, l.N, l.Key, true
	}
	return "", 0, "", false
}

// Simulate replays the install dialogue of the scenario's machine against
// a response file and reports every question, how it was answered, and
// what is wrong.
func Simulate(r *Response, sc Scenario) (*Report, error) {
	cat, rc, err := CatalogueFor(sc.Release)
	if err != nil {
		return nil, err
	}
	if err := sc.check(); err != nil {
		return nil, err
	}
	if n := len(r.Answers()); n > MaxAnswerLines {
		return nil, fmt.Errorf("autoinstall: %s: %d answer lines; a response file has at most %d", r.Name, n, MaxAnswerLines)
	}
	sc = sc.clone()
	fr := newFileResponder(r)
	s := newSim(cat, &sc, fr)
	err = s.run()
	rep := &Report{File: r.Name, Release: sc.Release, Catalogue: rc, Scenario: sc.Summary(), Steps: s.steps, Installed: s.installed}
	switch {
	case err == nil:
		rep.Completed = true
	case errors.Is(err, errStop):
		rep.Stopped = s.stopMsg
	default:
		return nil, err
	}
	rep.Findings = append(s.findings, analyse(r, fr, s, rep)...)
	sortFindings(rep.Findings)
	return rep, nil
}

// Lint reads a response file and simulates it on the scenario's machine.
func Lint(name string, data []byte, sc Scenario) (*Report, error) {
	r, err := ParseResponse(name, data)
	if err != nil {
		return nil, err
	}
	return Simulate(r, sc)
}

// clone copies the slices the simulation may change.
func (sc Scenario) clone() Scenario {
	sc.Disks = append([]Disk(nil), sc.Disks...)
	sc.Interfaces = append([]Interface(nil), sc.Interfaces...)
	if sc.Servers != nil {
		m := map[string]*SetDir{}
		for k, v := range sc.Servers {
			m[k] = v
		}
		sc.Servers = m
	}
	return sc
}

// analyse finds what the dialogue alone does not show: lines the
// installer skips or never reaches, answers taken by the wrong question,
// and text that is not what the author meant.
func analyse(r *Response, fr *fileResponder, s *sim, rep *Report) []Finding {
	var out []Finding
	add := func(sev Severity, code string, line int, format string, args ...any) {
		out = append(out, Finding{Severity: sev, Code: code, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	for _, l := range r.Lines {
		switch l.Kind {
		case Unread:
			if strings.Contains(l.Text, "=") {
				add(Warning, "no-newline", l.N, "the last line has no newline: the installer's read(1) fails at end of file and never sees %q", l.Text)
			}
		case NoEquals:
			if strings.HasPrefix(l.Text, "!") {
				add(Warning, "bang-command", l.N, "%q is not run: '!' escapes to a shell only at an interactive prompt; a response file holds only \"question = answer\" lines", l.Text)
			} else {
				add(Warning, "not-an-answer", l.N, "%q has no '=': the installer skips it", l.Text)
			}
		case EmptyAnswer:
			add(Warning, "empty-answer", l.N, "%q has nothing after '=': the installer skips it and the question takes its default", l.Text)
		case LeadingEquals:
			add(Warning, "not-an-answer", l.N, "%q starts with '=': the installer skips it", l.Text)
		case Answer:
			if strings.HasSuffix(l.Text, "\r") {
				add(Warning, "crlf", l.N, "the line ends in a carriage return (a CRLF file): the answer is %q, CR included", l.Value)
			}
			if m := placeholderRE.FindString(l.Key + " = " + l.Value); m != "" {
				add(Error, "placeholder", l.N, "%s is a template placeholder nobody filled in", m)
			}
			if strings.Contains(l.Key, "*") {
				add(Warning, "literal-glob", l.N, "key %q: the installer matches keys as literal strings, so '*' matches only a '*', not any text", l.Key)
			}
			if i := inlineComment(l.Value); i >= 0 {
				add(Warning, "inline-comment", l.N, "%q: there are no inline comments; the answer is %q, comment included", l.Value[i:], l.Value)
			}
		}
	}
	out = append(out, unusedLines(fr, s, rep.Completed)...)
	out = append(out, stolen(fr, s, rep)...)
	return out
}

// inlineComment finds a " #" in an answer.
func inlineComment(v string) int {
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && isBlank(v[i-1]) {
			return i - 1
		}
	}
	return -1
}

// repeated are the questions asked again later in the dialogue.
var repeated = map[QID]bool{QIface: true, QInitDisk: true, QLocation: true, QSets: true, QFdisk: true}

// unusedLines explains each answer line no question consumed. When the
// install stopped, lines for questions it never reached are only noted.
func unusedLines(fr *fileResponder, s *sim, completed bool) []Finding {
	var out []Finding
	// Where the dialogue stopped, in do_install order; the timezone asked
	// after the sets is the last question.
	stopIdx := -1
	if n := len(s.steps); n > 0 {
		last := s.steps[n-1]
		stopIdx = s.cat.index(last.ID)
		if (last.ID == QTimezone || last.ID == QSubTimezone) && s.method != "" {
			stopIdx = len(s.cat.Questions)
		}
	}
	for i, l := range fr.lines {
		if fr.used[i] != 0 {
			continue
		}
		if !completed && stopIdx >= 0 {
			if q, why := catalogueMatch(s.cat, l.Key); q != nil {
				asked := slices.ContainsFunc(s.steps, func(st Step) bool { return Match(l.Key, st.Question) })
				idx := s.cat.index(q.ID)
				if (q.ID == QTimezone || q.ID == QSubTimezone) && s.tz == "" {
					idx = len(s.cat.Questions) // asked after the sets
				}
				if !asked && idx > stopIdx || asked && repeated[q.ID] {
					msg := fmt.Sprintf("%q is not reached: the install stops before %q", l.Key, why)
					if asked {
						msg += " is asked again"
					}
					out = append(out, Finding{Severity: Info, Code: "not-reached", Line: l.N, Msg: msg})
					continue
				}
			}
		}
		code := "unused-line"
		for _, st := range s.steps {
			if c, _, ok := cutWord(l.Key, st.Question); ok {
				code = "no-boundary"
				if st.ID == QFdisk && c == ',' {
					code = "mbr-comma"
				}
				break
			}
		}
		out = append(out, Finding{Severity: Warning, Code: code, Line: l.N, Msg: explainUnused(l, s)})
	}
	return out
}

func explainUnused(l Line, s *sim) string {
	// A question that was asked and answered by other lines.
	var by []string
	var text string
	for _, st := range s.steps {
		if Match(l.Key, st.Question) {
			if text == "" {
				text = st.Question
			}
			if st.How == HowAnswered {
				by = append(by, fmt.Sprintf("line %d", st.Line))
			}
		}
	}
	if text != "" {
		if len(by) > 0 {
			return fmt.Sprintf("%q is never read: the installer asked %q as often as it needed and took %s", l.Key, text, strings.Join(unique(by), ", "))
		}
		return fmt.Sprintf("%q is never read: %q was asked while an earlier line answered an earlier question", l.Key, text)
	}
	// A key that stops inside a word of an asked question: "... MBR"
	// before the fdisk question's comma, "xenodm" before "(1)".
	for _, st := range s.steps {
		if c, fix, ok := cutWord(l.Key, st.Question); ok {
			return fmt.Sprintf("%q is never read: in %q it is followed by %q, and a key must end where the question has a blank, a '?' or its end (a key such as %q matches)", l.Key, st.Question, string(c), fix)
		}
	}
	if q, why := catalogueMatch(s.cat, l.Key); q != nil {
		for _, st := range s.steps {
			if st.ID == q.ID {
				return fmt.Sprintf("%q is never read: it would match %q, but on this machine the question is %q", l.Key, why, st.Question)
			}
		}
		return fmt.Sprintf("%q is never read: it matches %q, which this machine is not asked (asked when: %s)", l.Key, why, q.When)
	}
	for _, name := range []string{"6.1", "7.9"} {
		other := catalogues[name]
		if other == s.cat {
			continue
		}
		if _, why := catalogueMatch(other, l.Key); why != "" {
			return fmt.Sprintf("%q is never read: no %s question matches it; it is the wording of the %s installer (%q)", l.Key, s.cat.Name, other.Name, why)
		}
	}
	msg := fmt.Sprintf("%q is never read: no question of the %s installer matches it", l.Key, s.cat.Name)
	if hint := closestQuestion(l.Key, s); hint != "" {
		msg += fmt.Sprintf("; did you mean %q?", hint)
	}
	return msg
}

// cutWord reports whether key occurs in question at a word start but ends
// inside a word: the character after it, and the key extended to the end of
// that word.
func cutWord(key, question string) (byte, string, bool) {
	k, q := lowerASCII(key), lowerASCII(question)
	if k == "" {
		return 0, "", false
	}
	for p := 0; p+len(k) < len(q); p++ {
		if q[p:p+len(k)] != k || (p > 0 && !isBlank(q[p-1])) {
			continue
		}
		end := p + len(k)
		if isBlank(q[end]) || q[end] == '?' {
			continue
		}
		e := end
		for e < len(q) && !isBlank(q[e]) && q[e] != '?' {
			e++
		}
		return q[end], key + question[end:e], true
	}
	return 0, "", false
}

func unique(in []string) []string {
	var out []string
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// A key longer than any question, filled in or not, matches none; the
// explanations of unused lines do not try (and stay fast on junk).
const (
	maxKeyLen   = 200
	maxKeyWords = 12
)

// catalogueMatch finds a question of the catalogue the key would match,
// filling placeholders with the fixed variants, the scenario's names and
// the key's own words (a match must use some of the question's own words,
// not only a word the key supplied). It returns the question and the
// filled text.
func catalogueMatch(c *Catalogue, key string) (*Question, string) {
	if len(key) > maxKeyLen {
		return nil, ""
	}
	words := placeholderWords(key)
	lk := lowerASCII(strings.TrimSpace(key))
	for i := range c.Questions {
		q := &c.Questions[i]
	next:
		for _, e := range expand(q, words) {
			if !Match(key, e.text) {
				continue
			}
			for _, v := range e.vals {
				if strings.Contains(lowerASCII(v), lk) {
					continue next
				}
			}
			return q, e.text
		}
	}
	return nil, ""
}

// placeholderWords are the candidate values for {if}, {user}, {set}, ...:
// the key's own words. A value the key does not contain cannot make it
// match where "<name>" (always tried) does not.
func placeholderWords(key string) []string {
	var words []string
	for i, f := range strings.Fields(key) {
		if i == maxKeyWords || len(f) > 40 {
			break
		}
		words = append(words, strings.Trim(f, "?'\""), strings.Trim(f, "?'\".,:"))
	}
	return unique(words)
}

// fixedFills are the values of placeholders that come from a fixed set.
var fixedFills = map[string][]string{
	"mode": {"install"},
	"arch": {"amd64"},
	"locs": {"disk", "disk http", "cd0 disk http", "disk http nfs", "cd0 disk http nfs"},
	"reason": {"Directory does not contain SHA256.sig", "Cannot determine prefetch area", "Cannot create prefetch area",
		"Cannot fetch SHA256.sig", "Signature check of SHA256.sig failed", "Unverified sets: {set}"},
}

// expansion is a question text with its placeholders filled, and the
// values that came from free placeholders.
type expansion struct {
	text string
	vals []string
}

// fixedTexts caches each question's texts with the fixed placeholders
// filled and the free ones ({if}, {user}, ...) left in.
var fixedTexts sync.Map // *Question -> []string

func fixedExpansions(q *Question) []string {
	if v, ok := fixedTexts.Load(q); ok {
		return v.([]string)
	}
	texts := []string{q.Text}
	for range 4 {
		var next []string
		for _, t := range texts {
			name, i, j := nextPlaceholder(t, 0)
			for i >= 0 {
				vals := q.Fills[name]
				if vals == nil {
					vals = fixedFills[name]
				}
				if vals != nil {
					break
				}
				name, i, j = nextPlaceholder(t, j+1)
			}
			if i < 0 {
				next = append(next, t)
				continue
			}
			vals := q.Fills[name]
			if vals == nil {
				vals = fixedFills[name]
			}
			for _, v := range vals {
				next = append(next, t[:i]+v+t[j+1:])
			}
		}
		texts = next
	}
	fixedTexts.Store(q, texts)
	return texts
}

// nextPlaceholder finds the first {name} at or after position from.
func nextPlaceholder(t string, from int) (string, int, int) {
	if from >= len(t) {
		return "", -1, -1
	}
	i := strings.IndexByte(t[from:], '{')
	if i < 0 {
		return "", -1, -1
	}
	i += from
	j := strings.IndexByte(t[i:], '}')
	if j < 0 {
		return "", -1, -1
	}
	return t[i+1 : i+j], i, i + j
}

// expand fills a question's placeholders: the fixed ones with their
// variants, the free ones with "<name>" and then each candidate word.
func expand(q *Question, words []string) []expansion {
	var out []expansion
	var fillFree func(t string, vals []string, depth int)
	fillFree = func(t string, vals []string, depth int) {
		name, i, j := nextPlaceholder(t, 0)
		if i < 0 || depth == 2 {
			out = append(out, expansion{text: t, vals: vals})
			return
		}
		for _, w := range append([]string{"<" + name + ">"}, words...) {
			fillFree(t[:i]+w+t[j+1:], append(append([]string(nil), vals...), w), depth+1)
		}
	}
	for _, t := range fixedExpansions(q) {
		fillFree(t, nil, 0)
	}
	return out
}

// closestQuestion suggests the asked question whose opening words are
// nearest to the key, for a likely typo.
func closestQuestion(key string, s *sim) string {
	if len(key) > 80 {
		return ""
	}
	n := len(strings.Fields(key))
	var cands []string
	seen := map[string]string{}
	for _, st := range s.steps {
		f := strings.Fields(st.Question)
		if len(f) < n {
			continue
		}
		prefix := strings.Join(f[:n], " ")
		prefix = strings.TrimRight(prefix, "?")
		if d := len(prefix) - len(key); d > 6 || d < -6 {
			continue // too far apart in length to be a typo
		}
		if _, ok := seen[prefix]; !ok {
			seen[prefix] = st.Question
			cands = append(cands, prefix)
		}
	}
	return suggest.Closest(key, cands)
}

// stolen finds questions that took a default or stopped while a line meant
// for them had been consumed by an earlier, different question.
func stolen(fr *fileResponder, s *sim, rep *Report) []Finding {
	var out []Finding
	for si, st := range s.steps {
		if st.How == HowAnswered {
			continue
		}
		for i, l := range fr.lines {
			by := fr.used[i]
			if by == 0 || by-1 >= si || !Match(l.Key, st.Question) {
				continue
			}
			taker := s.steps[by-1]
			if taker.Question == st.Question {
				continue
			}
			// The line went to the wrong question: that question took
			// an answer meant for another, which misdirects the install.
			sev, then := Error, fmt.Sprintf("took its default %q", st.Default)
			if strings.EqualFold(l.Value, st.Default) && strings.EqualFold(l.Value, taker.Answer) {
				sev = Warning
			}
			switch {
			case st.How == HowStopped:
				sev, then = Error, "had no answer and the install stopped"
			case !rep.Completed && si == len(s.steps)-1:
				sev, then = Error, fmt.Sprintf("took its default %q, on which the install stopped", st.Default)
			}
			out = append(out, Finding{Severity: sev, Code: "stolen", Line: l.N, Step: si + 1,
				Msg: fmt.Sprintf("%q also matches %q, which the installer asked first and answered with this line; %q then %s", l.Key, taker.Question, st.Question, then)})
		}
	}
	return out
}
