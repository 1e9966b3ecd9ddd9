package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/fugu-tool/fugu/hardware"
)

func init() {
	register(&command{
		name:    "hw",
		args:    "DMESG [--json]",
		summary: "hardware facts from a dmesg: memory, disks, network interfaces, firmware",
		help: `Reads an OpenBSD dmesg (the output of dmesg(8), or /var/run/dmesg.boot)
and prints what fugu knows about the machine: release, memory, disks with
their type (ssd, hdd, unknown) and bus, network interfaces, graphics, and
the firmware fw_update(8) will fetch. Facts come from the last boot in the
file. DMESG "-" reads standard input.

Exit status: 0 facts printed, 1 the file cannot be read or is not a dmesg,
2 usage error.

Examples:
  fugu hw /var/run/dmesg.boot
  ssh root@gw1 cat /var/run/dmesg.boot | fugu hw -
  fugu hw --json dmesg.txt | jq -r '.disks[] | select(.type == "ssd") | .name'`,
		flags: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print the facts as JSON")
		},
		run:     runHW,
		minArgs: 1,
		maxArgs: 1,
	})
}

func runHW(c *cli, fs *flag.FlagSet, args []string) error {
	var (
		f   *hardware.Facts
		err error
	)
	if args[0] == "-" {
		f, err = hardware.Parse("<stdin>", c.stdin)
	} else {
		f, err = hardware.ParseFile(args[0])
	}
	if err != nil {
		return err
	}
	if flagBool(fs, "json") {
		return hardware.WriteJSON(c.stdout, f)
	}
	return hwPrint(c.stdout, f)
}

// hwPrint writes the human report: a few key lines, a disk table, a
// NIC table and the warnings.
func hwPrint(w io.Writer, f *hardware.Facts) error {
	var b strings.Builder
	kv := func(k, format string, args ...any) {
		fmt.Fprintf(&b, "%-10s%s\n", k+":", fmt.Sprintf(format, args...))
	}
	kv("source", "%s (boot %d of %d, line %d)", f.Source, f.Boots, f.Boots, f.BootLine)
	kv("release", "OpenBSD %s %s %s", f.Release, hwOrDash(f.Kernel), hwOrDash(f.Arch))
	if f.Machine != "" {
		kv("machine", "%s", f.Machine)
	}
	cpu := hwOrDash(f.CPUModel)
	if f.CPUVendor != "" {
		cpu += " (" + f.CPUVendor + ")"
	}
	kv("cpu", "%d x %s", f.NCPU, cpu)
	mem := "unknown"
	if f.PhysMem > 0 {
		mem = fmt.Sprintf("%d bytes = %s", f.PhysMem, hwHuman(f.PhysMem))
		if f.AvailMem > 0 {
			mem += fmt.Sprintf(" (available %d bytes = %s)", f.AvailMem, hwHuman(f.AvailMem))
		}
	}
	kv("memory", "%s", mem)
	boot := "BIOS or not known"
	if f.EFI {
		boot = "EFI"
	}
	console := "display"
	if f.Serial {
		console = "serial " + f.Console
	}
	kv("boot", "%s; console on %s; root on %s", boot, console, hwOrDash(f.RootDev))
	if f.Hypervisor != "" {
		kv("guest of", "%s", f.Hypervisor)
	}
	kv("vmm(4)", "%s", hwYesNo(f.VMM))
	kv("graphics", "%s", f.Graphics)
	kv("firmware", "%s; platform: %s", hwList(f.Firmware, "none"), hwList(f.PlatformFirmware, "none"))

	b.WriteString("\ndisks:\n")
	if len(f.Disks) == 0 {
		b.WriteString("  none\n")
	} else {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  NAME\tSIZE\tTYPE\tBUS\tCONTROLLER\tMODEL\tFLAGS")
		for _, d := range f.Disks {
			size := "-"
			if d.SizeMB > 0 || d.Sectors > 0 {
				size = hwHuman(d.Bytes())
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, size, d.Type, hwOrDash(d.Bus), hwOrDash(d.Controller), hwOrDash(hwDiskModel(d)), strings.Join(hwDiskFlags(d), " "))
		}
		tw.Flush()
	}

	b.WriteString("\nnetwork:\n")
	if len(f.NICs) == 0 {
		b.WriteString("  none\n")
	} else {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  NAME\tDRIVER\tKIND\tBUS\tMAC\tDEVICE")
		for _, n := range f.NICs {
			kind := "wired"
			if n.Wireless {
				kind = "wireless"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", n.Name, n.Driver, kind, hwOrDash(n.Bus), hwOrDash(n.MAC), hwOrDash(n.Desc))
		}
		tw.Flush()
	}

	if len(f.Warnings) > 0 {
		b.WriteString("\nwarnings:\n")
		for _, warn := range f.Warnings {
			fmt.Fprintf(&b, "  %s\n", warn)
		}
	}
	// tabwriter pads empty last cells; drop the trailing blanks.
	var out strings.Builder
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		out.WriteString(strings.TrimRight(line, " \n"))
		if strings.HasSuffix(line, "\n") {
			out.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// hwDiskModel shows the maker field unless it is a generic one.
func hwDiskModel(d hardware.Disk) string {
	switch d.Vendor {
	case "", "ATA", "NVMe", "OPENBSD":
		return d.Model
	}
	return strings.TrimSpace(d.Vendor + " " + d.Model)
}

func hwDiskFlags(d hardware.Disk) []string {
	var fl []string
	if d.Softraid {
		fl = append(fl, "softraid "+d.RAIDLevel)
	}
	if d.Bus == "raid" {
		fl = append(fl, "raid-volume")
	}
	if d.Virtual {
		fl = append(fl, "virtual")
	}
	if d.USB {
		fl = append(fl, "usb")
	}
	if d.Removable {
		fl = append(fl, "removable")
	}
	if d.SizeMB == 0 && d.Sectors == 0 {
		fl = append(fl, "no-medium")
	}
	if d.ReadOnly {
		fl = append(fl, "readonly")
	}
	if d.Thin {
		fl = append(fl, "thin")
	}
	return fl
}

// hwHuman prints bytes in binary units with one decimal: "63.7 GiB".
func hwHuman(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n)
	for _, u := range []string{"KiB", "MiB", "GiB", "TiB", "PiB"} {
		v /= unit
		if v < unit || u == "PiB" {
			return fmt.Sprintf("%.1f %s", v, u)
		}
	}
	panic("BUG: unreachable")
}

func hwOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func hwYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func hwList(l []string, none string) string {
	if len(l) == 0 {
		return none
	}
	return strings.Join(l, " ")
}
