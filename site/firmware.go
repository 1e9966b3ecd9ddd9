package site

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FirmwareFromDir picks, for each driver, its firmware package from a
// cache directory of fw_update(8) files (what "fw_update -F" downloads, or
// a copy of firmware.openbsd.org/firmware/<release>/): the file
// "<driver>-firmware-<version>.tgz" whose name sorts last. A driver
// without a file is an error that names the directory, so a laptop is
// not installed believing its wifi will work.
func FirmwareFromDir(dir string, drivers []string) ([]Firmware, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("firmware cache: %w", err)
	}
	var fws []Firmware
	for _, d := range drivers {
		var names []string
		for _, de := range des {
			n := de.Name()
			if de.Type().IsRegular() && strings.HasPrefix(n, d+"-firmware-") && fwNameRE.MatchString(n) {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("firmware cache %s has no %s-firmware-*.tgz", dir, d)
		}
		sort.Strings(names)
		name := names[len(names)-1]
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("firmware cache: %w", err)
		}
		fws = append(fws, Firmware{Name: name, Data: data})
	}
	return fws, nil
}
