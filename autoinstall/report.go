package autoinstall

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Severity ranks a finding.
type Severity int

const (
	// Info is worth knowing and changes nothing.
	Info Severity = iota
	// Warning is probably not what the author meant, but the install runs.
	Warning
	// Error stops the install, hangs it, or makes it do something else
	// than the file says.
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText makes severities readable in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one problem found in a response file.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code names the kind of problem: "no-answer", "rejected",
	// "unused-line", "stolen", "mbr-comma", "literal-glob",
	// "inline-comment", "placeholder", "interactive", ...
	Code string `json:"code"`
	Line int    `json:"line,omitempty"` // the line it is about; 0 for none
	Step int    `json:"step,omitempty"` // the step (1-based) it is about; 0 for none
	Msg  string `json:"msg"`
	// Field and Pos point at the profile field a rendered line came from.
	Field string `json:"field,omitempty"`
	Pos   string `json:"pos,omitempty"`
}

// How a question was answered.
const (
	HowAnswered = "answered" // a line of the file
	HowDefault  = "default"  // no line matched; the default was taken
	HowStopped  = "stopped"  // no line matched and there is no default
)

// Step is one question the installer asks in the simulation.
type Step struct {
	ID QID `json:"id"`
	// Question is the text _autorespond compares keys with.
	Question string `json:"question"`
	// Default is the installer's default ("" for none).
	Default string `json:"default,omitempty"`
	How     string `json:"how"`
	Line    int    `json:"line,omitempty"` // answering line
	Key     string `json:"key,omitempty"`
	Answer  string `json:"answer,omitempty"`
	// Note says what the installer does with the answer when that is
	// worth saying (rejected, asks again, stops).
	Note string `json:"note,omitempty"`
}

// Report is the result of simulating an install against a response file.
type Report struct {
	File      string           `json:"file"`
	Release   string           `json:"release"`
	Catalogue ReleaseCatalogue `json:"catalogue"`
	Scenario  string           `json:"scenario"`
	Steps     []Step           `json:"steps"`
	Findings  []Finding        `json:"findings"`
	// Completed: the dialogue ran to its end; otherwise Stopped says why
	// the installer stopped (or why the simulation could not go on).
	Completed bool   `json:"completed"`
	Stopped   string `json:"stopped,omitempty"`
	// Installed lists the sets the dialogue installs, in install order.
	Installed []string `json:"installed,omitempty"`
}

// Count returns how many findings have the given severity.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// sortFindings orders findings by line, then those about no line by step.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if (a.Line == 0) != (b.Line == 0) {
			return a.Line != 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Step < b.Step
	})
}

// WriteText prints the report for people: the dialogue question by
// question, then the findings.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: OpenBSD %s installer (catalogue %s", r.File, r.Release, r.Catalogue.Catalogue)
	if !r.Catalogue.Exact {
		b.WriteString(", nearest available")
	}
	fmt.Fprintf(&b, ")\nmachine: %s\n\n", r.Scenario)
	for i, s := range r.Steps {
		fmt.Fprintf(&b, "%3d  %s\n", i+1, s.Question)
		switch s.How {
		case HowAnswered:
			fmt.Fprintf(&b, "       line %d  %s = %s\n", s.Line, s.Key, printable(s.Answer))
		case HowDefault:
			fmt.Fprintf(&b, "       default  %s\n", printable(s.Default))
		case HowStopped:
			b.WriteString("       NO ANSWER and no default: the installer stops\n")
		}
		if s.Note != "" {
			fmt.Fprintf(&b, "       -> %s\n", s.Note)
		}
	}
	if len(r.Installed) > 0 {
		fmt.Fprintf(&b, "\nSets installed: %s\n", strings.Join(r.Installed, " "))
	}
	if r.Completed {
		b.WriteString("\nThe install runs to the end.\n")
	} else {
		fmt.Fprintf(&b, "\nThe install stops: %s\n", r.Stopped)
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n")
	}
	for _, f := range r.Findings {
		loc := r.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", r.File, f.Line)
		}
		fmt.Fprintf(&b, "%s: %s: %s [%s]", loc, f.Severity, f.Msg, f.Code)
		if f.Pos != "" {
			fmt.Fprintf(&b, " (from %s, %s)", f.Pos, f.Field)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%d error(s), %d warning(s)\n", r.Count(Error), r.Count(Warning))
	_, err := io.WriteString(w, b.String())
	return err
}

// printable shows control characters (a CR from a CRLF file) visibly.
func printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return s
	}
	q := fmt.Sprintf("%q", s)
	return q
}
