package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fugu-tool/fugu/internal/suggest"
)

// Options change how a profile is read.
type Options struct {
	// AllowPlaintext accepts passwords written in clear text (the installer
	// hashes them itself). Off by default: profiles end up in version control.
	AllowPlaintext bool
}

// Load reads, decodes and validates the profile in the named file.
func Load(path string, opts Options) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, opts)
}

// maxProfileSize bounds what Parse reads: a profile is a page or two.
const maxProfileSize = 1 << 20

// Parse decodes and validates a profile. name is used in error messages and
// as the base for relative file references.
func Parse(name string, data []byte, opts Options) (*Profile, error) {
	if len(data) > maxProfileSize {
		return nil, Errors{{Pos: Pos{File: name}, Msg: fmt.Sprintf("file is %d bytes; a profile is at most %d", len(data), maxProfileSize)}}
	}
	p, errs := decode(name, data)
	if errs != nil {
		return nil, errs.sorted()
	}
	p.dir = filepath.Dir(name)
	if errs := p.validate(opts); len(errs) > 0 {
		return nil, errs.sorted()
	}
	return p, nil
}

// Sources tells where each field of the profile was written.
func (p *Profile) Sources() *Sources { return p.src }

// Dir is the directory relative file references are resolved against.
func (p *Profile) Dir() string { return p.dir }

// decoder turns a YAML node tree into a Profile, strictly.
type decoder struct {
	src  *Sources
	errs Errors
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{Pos: d.pos(n), Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: d.src.file}
	}
	return Pos{File: d.src.file, Line: n.Line, Col: n.Column}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func decode(name string, data []byte) (*Profile, Errors) {
	d := &decoder{src: newSources(name)}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errors{{Pos: Pos{File: name}, Msg: "empty profile: it needs at least version, hostname, release, timezone, root and disks"}}
		}
		return nil, Errors{yamlError(name, data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Errors{{Pos: Pos{File: name, Line: extra.Line, Col: extra.Column}, Msg: "a second YAML document; a profile file holds one"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, Errors{yamlError(name, data, err)}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, Errors{{Pos: d.pos(root), Msg: "a profile is a mapping of keys (version:, hostname:, ...), not " + kindName(root)}}
	}
	d.src.pos[""] = d.pos(root)
	// The version decides how the rest is read, so look at it first.
	if v := mapValue(root, "version"); v != nil {
		n, err := strconv.Atoi(v.Value)
		switch {
		case v.Kind != yaml.ScalarNode || err != nil:
			return nil, Errors{{Pos: d.pos(v), Path: "version", Msg: fmt.Sprintf("must be the number %d, not %q", SchemaVersion, v.Value)}}
		case n > SchemaVersion:
			return nil, Errors{{Pos: d.pos(v), Path: "version", Msg: fmt.Sprintf("version %d is newer than this fugu reads (%d); upgrade fugu", n, SchemaVersion)}}
		case n < 1:
			return nil, Errors{{Pos: d.pos(v), Path: "version", Msg: fmt.Sprintf("must be %d", SchemaVersion)}}
		}
	}
	p := &Profile{src: d.src}
	d.value(root, reflect.ValueOf(p).Elem(), "")
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return p, nil
}

func yamlError(name string, data []byte, err error) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		e := &Error{Pos: Pos{File: name, Line: line}, Msg: "YAML syntax: " + m[2]}
		// The commonest cause: a tab, which YAML does not allow for
		// indentation. Point at it.
		lines := strings.Split(string(data), "\n")
		for _, l := range []int{line, line + 1, line - 1} {
			if l >= 1 && l <= len(lines) {
				if col := strings.IndexByte(lines[l-1], '\t'); col >= 0 {
					e.Pos.Line, e.Pos.Col = l, col+1
					e.Msg += " (a tab: YAML indents with spaces only)"
					break
				}
			}
		}
		return e
	}
	return &Error{Pos: Pos{File: name}, Msg: "YAML syntax: " + strings.TrimPrefix(msg, "yaml: ")}
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!int", "!!float":
			return "a number (" + n.Value + ")"
		}
		return fmt.Sprintf("the string %q", n.Value)
	}
	return "nothing"
}

var layoutType = reflect.TypeOf(Layout{})

// value decodes node n into v, recording its position under path.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		// "key:" with nothing after it: leave the zero value, but
		// remember the key was written.
		d.src.pos[path] = d.pos(n)
		return
	}
	d.src.pos[path] = d.pos(n)
	if v.Type() == layoutType {
		d.layout(n, v.Addr().Interface().(*Layout), path)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path)
	case reflect.Struct:
		d.structure(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			hint := ""
			if n.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf("; write a one-item list as [%s] or as a line starting with '- '", n.Value)
			}
			d.errorf(n, path, "expected a list, got %s%s", kindName(n), hint)
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.value(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, path, "expected a string, got %s", kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		i, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			d.errorf(n, path, "expected a whole number, got %s", kindName(n))
			return
		}
		v.SetInt(int64(i))
	case reflect.Bool:
		b, ok := parseBool(n)
		if !ok {
			d.errorf(n, path, "expected true or false, got %s", kindName(n))
			return
		}
		v.SetBool(b)
	default:
		panic("BUG: profiles: no decoder for " + v.Type().String())
	}
}

// parseBool accepts YAML's true/false and, as admins write them, yes/no and
// on/off.
func parseBool(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	return false, false
}

// field is one decodable struct field.
type field struct {
	key      string
	index    int
	required bool
}

func fieldsOf(t reflect.Type) []field {
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !f.IsExported() {
			continue
		}
		fs = append(fs, field{key: key, index: i, required: f.Tag.Get("required") == "true"})
	}
	return fs
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "expected a mapping of keys, got %s", kindName(n))
		return
	}
	fs := fieldsOf(v.Type())
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	seen := map[string]*yaml.Node{}
	suggested := map[string]bool{} // keys offered for a misspelling
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "keys must be plain words, got %s", kindName(k))
			continue
		}
		sub := join(path, k.Value)
		if prev, dup := seen[k.Value]; dup {
			d.errorf(k, sub, "key written twice (first at line %d)", prev.Line)
			continue
		}
		seen[k.Value] = k
		var f *field
		for j := range fs {
			if fs[j].key == k.Value {
				f = &fs[j]
			}
		}
		if f == nil {
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if s := suggest.Closest(k.Value, keys); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
				suggested[s] = true
			} else {
				msg += "; known keys here: " + strings.Join(keys, ", ")
			}
			d.errs = append(d.errs, &Error{Pos: d.pos(k), Path: sub, Msg: msg})
			continue
		}
		d.src.keys[sub] = d.pos(k)
		d.value(val, v.Field(f.index), sub)
	}
	for _, f := range fs {
		if f.required && !suggested[f.key] {
			if _, ok := seen[f.key]; !ok {
				d.errorf(n, path, "missing required key %q", f.key)
			}
		}
	}
}

func (d *decoder) layout(n *yaml.Node, l *Layout, path string) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value != "auto" {
			d.errorf(n, path, "expected 'auto' or a list of partitions, got %s", kindName(n))
			return
		}
		l.Auto = true
	case yaml.SequenceNode:
		l.Partitions = make([]Partition, len(n.Content))
		for i, item := range n.Content {
			d.value(item, reflect.ValueOf(&l.Partitions[i]).Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		d.errorf(n, path, "expected 'auto' or a list of partitions, got %s", kindName(n))
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
