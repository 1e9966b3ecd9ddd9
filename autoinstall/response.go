package autoinstall

import (
	"fmt"
	"strings"
)

// How install.sub reads a response file (_autorespond, rev 1.1013 and
// 1.1288): the file is copied unchanged to /tmp/ai/ai.conf and, for every
// question, read again line by line with
//
//	while IFS=' \t' read -r _l; do
//		[[ $_l == [!#=]*=?* ]] || continue
//
// read -r with blank IFS drops NUL bytes and trims leading and trailing
// blanks (spaces and tabs; a carriage return stays). A line is used only if
// it does not start with '#' or '=' and has an '=' followed by at least one
// character. The key is everything before the first '=' without trailing
// blanks, the answer everything after it without leading blanks.
//
// ksh's read returns failure at end of file even when it read a partial
// line (bin/ksh c_sh.c c_read: "return ecode ? ecode : c == EOF"), so a
// last line without a newline never enters the loop: the installer never
// sees it. mksh behaves the same.

// MaxResponseSize bounds what ParseResponse reads; a response file is a
// page of text.
const MaxResponseSize = 1 << 20

// LineKind says how the installer treats a line.
type LineKind int

const (
	// Answer is a "question = answer" line the installer matches.
	Answer LineKind = iota
	// Blank is empty after trimming blanks.
	Blank
	// Comment starts with '#' (after leading blanks).
	Comment
	// LeadingEquals starts with '='; the installer skips it.
	LeadingEquals
	// NoEquals has no '=': not an answer (a '!command' line, a typo).
	NoEquals
	// EmptyAnswer has nothing after its '=' ("Default IPv4 route = ").
	EmptyAnswer
	// Unread is a last line without a newline: read(1) fails on it.
	Unread
)

var kindNames = [...]string{"answer", "blank", "comment", "leading-equals", "no-equals", "empty-answer", "unread"}

func (k LineKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("LineKind(%d)", int(k))
}

// MarshalText makes kinds readable in JSON.
func (k LineKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Line is one line of a response file.
type Line struct {
	N    int      `json:"n"`    // 1-based line number
	Raw  string   `json:"raw"`  // as in the file, without the newline
	Text string   `json:"text"` // as read(1) hands it over: NULs dropped, blanks trimmed
	Kind LineKind `json:"kind"`
	// Key and Value are set for Answer lines: the key as written (case
	// kept) and the answer.
	Key   string `json:"key,omitempty"`
	Value string `json:"value,omitempty"`
}

// Response is a response file as the installer sees it.
type Response struct {
	Name  string
	Lines []Line
}

// ParseResponse reads a response file. It never fails on content; the only
// error is a file too large to be a response file.
func ParseResponse(name string, data []byte) (*Response, error) {
	if len(data) > MaxResponseSize {
		return nil, fmt.Errorf("autoinstall: %s: %d bytes; a response file is at most %d", name, len(data), MaxResponseSize)
	}
	r := &Response{Name: name}
	text := string(data)
	n := 0
	for len(text) > 0 {
		n++
		raw, rest, found := strings.Cut(text, "\n")
		text = rest
		l := readLine(n, raw)
		if !found {
			l.Kind = Unread
			l.Key, l.Value = "", ""
		}
		r.Lines = append(r.Lines, l)
	}
	return r, nil
}

// readLine applies read -r with IFS=' \t' and the installer's tests to one
// line.
func readLine(n int, raw string) Line {
	t := strings.ReplaceAll(raw, "\x00", "")
	t = strings.Trim(t, " \t")
	l := Line{N: n, Raw: raw, Text: t}
	switch {
	case t == "":
		l.Kind = Blank
	case t[0] == '#':
		l.Kind = Comment
	case t[0] == '=':
		l.Kind = LeadingEquals
	case !strings.Contains(t[1:], "="):
		l.Kind = NoEquals
	case !eligible(t):
		l.Kind = EmptyAnswer
	default:
		l.Kind = Answer
		i := strings.IndexByte(t, '=')
		l.Key = strings.TrimRight(t[:i], " \t")
		l.Value = strings.TrimLeft(t[i+1:], " \t")
	}
	return l
}

// eligible is [[ $_l == [!#=]*=?* ]] for a line whose first character is
// neither '#' nor '=': some '=' after the first character is followed by at
// least one more character.
func eligible(t string) bool {
	for i := 1; i < len(t)-1; i++ {
		if t[i] == '=' {
			return true
		}
	}
	return false
}

// Answers returns the lines the installer can match, in file order.
func (r *Response) Answers() []Line {
	var out []Line
	for _, l := range r.Lines {
		if l.Kind == Answer {
			out = append(out, l)
		}
	}
	return out
}

// LooksLikeResponseFile tells a response file from a disklabel template:
// a template has no '=' outside comments, a response file has some. An
// empty file counts as a response file.
func LooksLikeResponseFile(data []byte) bool {
	any := false
	for _, l := range strings.Split(string(data), "\n") {
		t := strings.Trim(l, " \t\r")
		if t == "" || t[0] == '#' {
			continue
		}
		any = true
		if strings.Contains(t, "=") {
			return true
		}
	}
	return !any
}
