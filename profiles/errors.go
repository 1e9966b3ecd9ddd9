package profiles

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a place in a profile file. Line and Col count from 1; zero means
// unknown.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem in a profile, at a place, for a field.
type Error struct {
	Pos  Pos
	Path string // field path, e.g. "disks.root.disk"; "" for the document
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.Pos, e.Path, e.Msg)
}

// Errors is every problem found in one profile, in file order. A profile is
// checked completely, so one run shows all mistakes.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (es Errors) sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Pos.Line != es[j].Pos.Line {
			return es[i].Pos.Line < es[j].Pos.Line
		}
		return es[i].Pos.Col < es[j].Pos.Col
	})
	return es
}

// Sources remembers where each field of a profile was written.
type Sources struct {
	file string
	pos  map[string]Pos // field path -> position of its value
	keys map[string]Pos // field path -> position of its key
}

func newSources(file string) *Sources {
	return &Sources{file: file, pos: map[string]Pos{}, keys: map[string]Pos{}}
}

// At returns where the field at path was written. For a field that was not
// written it returns the nearest written parent, and failing that the file
// alone.
func (s *Sources) At(path string) Pos {
	if s == nil {
		return Pos{}
	}
	for p := path; ; {
		if pos, ok := s.pos[p]; ok {
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if pos, ok := s.pos[""]; ok {
		return pos
	}
	return Pos{File: s.file}
}

// Has reports whether the field at path was written in the file.
func (s *Sources) Has(path string) bool {
	if s == nil {
		return false
	}
	_, ok := s.pos[path]
	return ok
}

// File is the name of the profile file.
func (s *Sources) File() string {
	if s == nil {
		return ""
	}
	return s.file
}
