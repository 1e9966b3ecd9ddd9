package ffs

import (
	"bytes"
	"io/fs"
	"slices"
	"testing"
)

// TestWalk: Walk lists a symbolic link root as itself (fs.WalkDir
// would follow it), honours SkipDir and reports a missing root.
func TestWalk(t *testing.T) {
	tr, _ := genTree(t, treeSpec{files: 10, edgeMax: 512, tiny: true})
	data := buildBytes(t, tr, Options{Time: fixedTime})
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	walk := func(root string, skip string) []string {
		var got []string
		err := fsys.Walk(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				got = append(got, "error "+err.Error())
				return nil
			}
			got = append(got, p+" "+d.Type().String())
			if p == skip {
				return fs.SkipDir
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, tc := range []struct {
		root, skip string
		want       []string
	}{
		{"links/todir", "", []string{"links/todir L---------"}},
		{"links/short", "", []string{"links/short L---------"}},
		{"deep", "deep/level01/level02", []string{"deep d---------", "deep/level01 d---------", "deep/level01/level02 d---------"}},
		{"deep/level01/level02/level03", "", []string{"deep/level01/level02/level03 d---------",
			"deep/level01/level02/level03/bottom.txt ----------"}},
		{"hard/a", "", []string{"hard/a ----------"}},
		{"nope", "", []string{"error lstat nope: file does not exist"}},
	} {
		if got := walk(tc.root, tc.skip); !slices.Equal(got, tc.want) {
			t.Errorf("Walk(%s):\n%q\nwant\n%q", tc.root, got, tc.want)
		}
	}
}
