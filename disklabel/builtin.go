package disklabel

import "strings"

// BuiltinTables returns the release's built-in allocation tables in the
// order disklabel -A tries them (big, medium, small, stupid) as templates,
// with the memory-dependent increments applied to the big table as
// disklabel does for physmem bytes of memory (allocate_physmemincr). fugu
// uses them to derive a template from the installer's own layout, such as
// the big table without /home when /home goes on another disk: disklabel
// applies no increments to a -T template, so they are applied here.
func BuiltinTables(release string, physmem int64) ([]*Template, error) {
	_, data, err := lookupRelease(release)
	if err != nil {
		return nil, err
	}
	var out []*Template
	for _, tb := range data.rev.tables {
		rows := append([]allocation(nil), tb.rows...)
		if tb.name == "big" {
			physmemIncrements(rows, physmem, data.rev)
		}
		t := &Template{Name: "built-in " + tb.name + " table", dialect: data.rev.dialect}
		for i, r := range rows {
			t.Entries = append(t.Entries, Entry{Line: i + 1, Mount: r.mount, Min: r.min, Max: r.max, Percent: r.percent})
		}
		out = append(out, t)
	}
	return out, nil
}

// NewTemplate makes a template for a release from entries (Line numbers are
// assigned in order), checked as disklabel's parser would check the same
// lines: at most 15 entries, min not above max, percentages at most 100 in
// sum. String() gives the text to feed disklabel -T.
func NewTemplate(name, release string, entries []Entry) (*Template, error) {
	_, data, err := lookupRelease(release)
	if err != nil {
		return nil, err
	}
	t := &Template{Name: name, dialect: data.rev.dialect}
	for i, e := range entries {
		e.Line = i + 1
		t.Entries = append(t.Entries, e)
	}
	// Round-trip through the parser so that every rule it enforces holds.
	if _, err := ParseTemplateFor(name, strings.NewReader(t.String()), release); err != nil {
		return nil, err
	}
	return t, nil
}
