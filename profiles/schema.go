package profiles

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// SchemaID is the $id of the published JSON Schema.
const SchemaID = "https://github.com/fugu-tool/fugu/profiles/profile.schema.json"

// JSONSchema returns the JSON Schema (draft 2020-12) of a profile, generated
// from the Go types so that it cannot drift from what Parse accepts. Editors
// with YAML language servers use it for completion and checking:
//
//	# yaml-language-server: $schema=profile.schema.json
func JSONSchema() []byte {
	s := schemaOf(reflect.TypeOf(Profile{}))
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = SchemaID
	s["title"] = "fugu host profile"
	s["description"] = "One OpenBSD machine: what fugu plan, render and image build from."
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic("BUG: profiles: schema does not encode: " + err.Error())
	}
	return b.Bytes()
}

type object = map[string]any

func schemaOf(t reflect.Type) object {
	if t == layoutType {
		return object{
			"description": "'auto', or a list of partitions in the order disklabel(8) lays them out.",
			"oneOf": []any{
				object{"const": "auto"},
				object{"type": "array", "maxItems": maxPartitions, "items": schemaOf(reflect.TypeOf(Partition{}))},
			},
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem())
	case reflect.String:
		return object{"type": "string"}
	case reflect.Int:
		return object{"type": "integer"}
	case reflect.Bool:
		return object{"type": "boolean"}
	case reflect.Slice:
		return object{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Struct:
		props := object{}
		var required []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if key == "" || key == "-" || !f.IsExported() {
				continue
			}
			p := schemaOf(f.Type)
			if d := f.Tag.Get("doc"); d != "" {
				p["description"] = d
			}
			if e := f.Tag.Get("enum"); e != "" {
				var vals []any
				for _, v := range strings.Split(e, ",") {
					if n, err := strconv.Atoi(v); err == nil && p["type"] == "integer" {
						vals = append(vals, n)
					} else {
						vals = append(vals, v)
					}
				}
				p["enum"] = vals
			}
			if pat := f.Tag.Get("pattern"); pat != "" {
				p["pattern"] = pat
			}
			props[key] = p
			if f.Tag.Get("required") == "true" {
				required = append(required, key)
			}
		}
		o := object{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	panic("BUG: profiles: no schema for " + t.String())
}
