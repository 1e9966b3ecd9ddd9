package site

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFirmwareFromDir(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"iwm-firmware-20230330.tgz":   "old iwm",
		"iwm-firmware-20240410.tgz":   "new iwm",
		"iwx-firmware-20240410.tgz":   "iwx",
		"iwm-firmware-notes.txt":      "not a package",
		"SHA256.sig":                  "signature",
		"inteldrm-firmware-20240.tgz": "drm",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fws, err := FirmwareFromDir(dir, []string{"iwm", "inteldrm"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fws) != 2 || fws[0].Name != "iwm-firmware-20240410.tgz" || string(fws[0].Data) != "new iwm" ||
		fws[1].Name != "inteldrm-firmware-20240.tgz" || string(fws[1].Data) != "drm" {
		t.Errorf("picked %+v", fws)
	}
	_, err = FirmwareFromDir(dir, []string{"athn"})
	if want := "firmware cache " + dir + " has no athn-firmware-*.tgz"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}
