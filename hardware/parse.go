package hardware

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that keep Parse fast and its memory bounded whatever it is fed.
const (
	maxInput    = 32 << 20 // bytes; real dmesgs are tens of KiB
	maxLine     = 16 << 10 // bytes kept of one line; the longest real lines (CPU features, ACPI wakeup lists) are ~1 KiB
	maxDevices  = 20000    // attachments remembered per boot
	maxWarnings = 40
	maxName     = 64  // longest device name taken; real ones are under 16
	maxField    = 200 // bytes kept of a printed name or model
)

// clip copies at most maxField bytes of s (cut at a rune boundary), so that
// what the facts keep never pins a whole input line in memory.
func clip(s string) string {
	if len(s) > maxField {
		i := maxField
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	return strings.Clone(s)
}

// Errors that Parse wraps in a *ParseError naming the input.
var (
	ErrEmpty    = errors.New("empty input, not a dmesg")
	ErrNoHeader = errors.New(`no boot header: a dmesg starts each boot with a line like "OpenBSD 7.6 (GENERIC.MP) #338: ..."`)
	ErrBinary   = errors.New("binary data, not a dmesg")
	ErrTooLarge = fmt.Errorf("input larger than %d MiB, far more than a dmesg", maxInput>>20)
)

// ParseError is a problem with the input as a whole (Line 0) or at a line.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ParseFile reads the dmesg in the named file.
func ParseFile(path string) (*Facts, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError: "open PATH: no such file or directory"
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads a dmesg and returns the facts of its last boot. name is used
// in errors and as Facts.Source. The input is text as dmesg(8) prints it or
// /var/run/dmesg.boot holds it; see the package comment for what else is
// tolerated. It fails on input that holds no boot header, binary data, or
// more than 32 MiB.
func Parse(name string, r io.Reader) (*Facts, error) {
	if name == "" {
		name = "<input>"
	}
	p := &parser{name: name}
	cr := &countingReader{r: io.LimitReader(r, maxInput+1)}
	sc := bufio.NewScanner(cr)
	sc.Buffer(make([]byte, 0, 64<<10), 2*maxLine)
	var ls lineSplitter
	sc.Split(ls.split)
	for sc.Scan() {
		if cr.n > maxInput {
			return nil, &ParseError{File: name, Err: ErrTooLarge}
		}
		if err := p.line(sc.Bytes(), ls.cut); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: name, Line: p.lineNo, Err: err}
	}
	if cr.n > maxInput {
		return nil, &ParseError{File: name, Err: ErrTooLarge}
	}
	if p.text == 0 {
		return nil, &ParseError{File: name, Err: ErrEmpty}
	}
	if p.cur == nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w (in %d lines)", ErrNoHeader, p.lineNo)}
	}
	return p.cur.facts(name, p.boots), nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// lineSplitter is a bufio.SplitFunc state that ends lines at "\n", "\r\n"
// or a lone "\r", and cuts lines longer than maxLine, dropping the rest.
type lineSplitter struct {
	skipping bool // dropping the rest of an overlong line
	cut      bool // the last token returned was cut
}

func (ls *lineSplitter) split(data []byte, atEOF bool) (int, []byte, error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}
	if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
		end := i + 1
		if data[i] == '\r' {
			if i+1 == len(data) && !atEOF {
				return 0, nil, nil // a "\n" may follow
			}
			if i+1 < len(data) && data[i+1] == '\n' {
				end++
			}
		}
		if ls.skipping {
			ls.skipping = false
			return end, nil, nil
		}
		tok := data[:i]
		ls.cut = len(tok) > maxLine
		if ls.cut {
			tok = tok[:maxLine]
		}
		return end, tok, nil
	}
	if ls.skipping {
		return len(data), nil, nil
	}
	if len(data) >= maxLine {
		ls.skipping, ls.cut = true, true
		return len(data), data[:maxLine], nil
	}
	if atEOF {
		ls.cut = false
		return len(data), data, nil
	}
	return 0, nil, nil
}

// parser reads lines and keeps the state of the boot it is in.
type parser struct {
	name   string
	lineNo int
	text   int // lines that were not blank
	boots  int
	cur    *boot
}

var headerLine = regexp.MustCompile(`^OpenBSD (\d\S*)(?:\s+\(([^)\s]*)\))?`)

func (p *parser) line(raw []byte, cut bool) error {
	p.lineNo++
	if p.lineNo == 1 {
		if bytes.HasPrefix(raw, []byte{0xff, 0xfe}) || bytes.HasPrefix(raw, []byte{0xfe, 0xff}) {
			return &ParseError{File: p.name, Line: 1, Err: fmt.Errorf("%w: UTF-16 text; convert it first (iconv -f UTF-16 -t UTF-8)", ErrBinary)}
		}
		raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	}
	if err := binaryCheck(raw); err != nil {
		return &ParseError{File: p.name, Line: p.lineNo, Err: err}
	}
	s := cleanLine(raw)
	if s == "" {
		return nil
	}
	p.text++
	if m := headerLine.FindStringSubmatch(s); m != nil {
		p.boots++
		p.cur = newBoot(p.lineNo, clip(m[1]), clip(m[2]))
		return nil
	}
	if p.cur == nil {
		return nil // text before the first boot: banners, notes
	}
	if cut {
		p.cur.warnf("line %d: longer than %d KiB, cut", p.lineNo, maxLine>>10)
	}
	p.cur.line(s, p.lineNo)
	return nil
}

// binaryCheck fails on a NUL byte, or on a line of 16 bytes or more of
// which over a quarter are control characters or invalid UTF-8.
func binaryCheck(b []byte) error {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return fmt.Errorf("%w (NUL byte at column %d)", ErrBinary, i+1)
	}
	if len(b) < 16 {
		return nil
	}
	bad := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t') || c == 0x7f {
				bad++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		}
		i += n
	}
	if bad*4 > len(b) {
		return fmt.Errorf("%w (%d of %d bytes are control characters or not UTF-8)", ErrBinary, bad, len(b))
	}
	return nil
}

// syslogPrefix is what syslogd puts before kernel messages in
// /var/log/messages: "Oct 12 10:45:56 host /bsd: ".
var syslogPrefix = regexp.MustCompile(`^[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d \S+ /?bsd(?:\.\w+)?: `)

// cleanLine turns a raw line into the text the kernel printed: control
// characters dropped (tabs become spaces), invalid UTF-8 replaced, HTML
// entities and <pre> tags of web pages undone, syslog prefixes removed and
// surrounding blanks trimmed.
func cleanLine(raw []byte) string {
	plain := true
	for _, c := range raw {
		if c < 0x20 || c >= 0x7f {
			plain = false
			break
		}
	}
	var s string
	if plain {
		s = string(raw)
	} else {
		var b strings.Builder
		for _, c := range raw {
			switch {
			case c == '\t':
				b.WriteByte(' ')
			case c < 0x20 || c == 0x7f:
			default:
				b.WriteByte(c)
			}
		}
		s = strings.ToValidUTF8(b.String(), "\uFFFD")
	}
	if strings.Contains(s, "&") {
		s = strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " ")
	}
	if strings.Contains(s, "<") {
		for _, tag := range []string{"<pre>", "</pre>", "<PRE>", "</PRE>"} {
			s = strings.ReplaceAll(s, tag, "")
		}
	}
	s = strings.TrimSpace(s)
	if len(s) > 20 && s[0] >= 'A' && s[0] <= 'Z' {
		if loc := syslogPrefix.FindStringIndex(s); loc != nil {
			s = strings.TrimSpace(s[loc[1]:])
		}
	}
	return s
}

// device is one attachment: "em0 at pci6 dev 0 function 0 "Intel I210" ...".
type device struct {
	parent string // "pci6"; "root" for devices at root
	desc   string // the product name printed, if any
}

// boot is the state of one boot being read.
type boot struct {
	f Facts

	devs     map[string]device
	disks    []*Disk
	diskAt   map[string]*Disk
	nics     []*NIC
	nicAt    map[string]*NIC
	gone     map[string]int // device -> line it detached on, while it stays detached
	cpus     map[string]bool
	fw, plat map[string]bool

	cpuDefer  bool   // cpu0's attach line had no model: take the next "cpu0: " line
	cpuLine   string // cpu0's model text as printed
	drm       string // first DRM driver attached
	fb        string // first console framebuffer attached
	wsParent  string // driver wsdisplay0 attached to
	efi0      bool
	efifb     bool
	coreboot  bool
	bios      bool
	memSeen   bool
	twoSpace  bool   // "real mem  =" (i386, arm64, ...)
	armCore   string // arm "cpu0 at mainbus0 mpidr 0: ARM Cortex-A53 r0p4"
	full      bool   // maxDevices reached
	warnings  []string
	nwarnings int
}

func newBoot(line int, release, kernel string) *boot {
	return &boot{
		f:      Facts{Release: release, Kernel: kernel, BootLine: line},
		devs:   map[string]device{},
		diskAt: map[string]*Disk{},
		nicAt:  map[string]*NIC{},
		gone:   map[string]int{},
		cpus:   map[string]bool{},
		fw:     map[string]bool{},
		plat:   map[string]bool{},
	}
}

func (b *boot) warnf(format string, args ...any) {
	b.nwarnings++
	if b.nwarnings < maxWarnings {
		b.warnings = append(b.warnings, fmt.Sprintf(format, args...))
	}
}

var (
	realMem  = regexp.MustCompile(`^real mem\s*=\s*(\d+)`)
	availMem = regexp.MustCompile(`^avail mem\s*=\s*(\d+)`)
	kernPath = regexp.MustCompile(`/arch/([a-z0-9]+)/compile/([A-Za-z0-9_.-]+)`)
	rootOn   = regexp.MustCompile(`^root on (\S+)`)
	quoted   = regexp.MustCompile(`(vendor )?"([^"]*)"(, unknown product (0x[0-9a-f]+))?`)
	bareDesc = regexp.MustCompile(`(?:function|interface|port) \d+ ([^"]+?) rev (?:0x|\d)`)
)

// driverOf strips the unit number: "scsibus1" -> "scsibus".
func driverOf(dev string) string {
	return strings.TrimRightFunc(dev, func(r rune) bool { return r >= '0' && r <= '9' })
}

// isDevName reports whether s is a device name: a driver name (lower case
// letters and digits, starting with a letter) and a unit number.
func isDevName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] < '0' || s[len(s)-1] > '9' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// parentOf splits "pci6 dev 0 ..." into the parent device ("pci6", or
// "root") and the rest: lower case letters and digits, starting with a
// letter.
func parentOf(s string) (parent, rest string) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || i > 0 && s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return s[:i], s[i:]
}

func (b *boot) firmware(pkg string, platform bool) {
	if platform {
		b.plat[pkg] = true
	} else {
		b.fw[pkg] = true
	}
}

// line reads one line of the boot. The kernel prints three kinds of
// device lines (sys/kern/subr_autoconf.c, the drivers' printf's):
// "name at parent...: details" when a device attaches, "name: message"
// after that, and "name detached".
func (b *boot) line(s string, n int) {
	for _, p := range fwSpecial {
		if p.match(s) {
			b.firmware(p.pkg, p.platform)
		}
	}
	if pkg := gpuFirmware(pciDeviceName(s)); pkg != "" {
		b.fw[pkg] = true
	}

	switch {
	case strings.HasPrefix(s, "real mem"):
		if m := realMem.FindStringSubmatch(s); m != nil && !b.memSeen {
			b.memSeen = true
			b.twoSpace = strings.HasPrefix(s, "real mem  =")
			b.f.PhysMem = b.number(m[1], "real mem", n)
		}
		return
	case strings.HasPrefix(s, "avail mem"):
		if m := availMem.FindStringSubmatch(s); m != nil && b.f.AvailMem == 0 {
			b.f.AvailMem = b.number(m[1], "avail mem", n)
		}
		return
	case strings.HasPrefix(s, "root on "):
		if m := rootOn.FindStringSubmatch(s); m != nil && b.f.RootDev == "" {
			b.f.RootDev = clip(m[1])
		}
		return
	case s == "efifb at mainbus0 not configured":
		// amd64 mainbus.c rev 1.32 offers efifb only when the boot loader
		// passed EFI information (bios_efiinfo != NULL); later revisions
		// also for a coreboot framebuffer (efifb_cb_found()).
		b.efifb = true
		return
	}
	if b.f.Arch == "" && strings.Contains(s, "/compile/") {
		if m := kernPath.FindStringSubmatch(s); m != nil {
			b.f.Arch = clip(m[1])
			if b.f.Kernel == "" {
				b.f.Kernel = clip(m[2])
			}
			return
		}
	}
	sp := strings.IndexByte(s, ' ')
	if sp <= 0 || sp > maxName {
		return
	}
	first, after := s[:sp], s[sp:]
	switch {
	case strings.HasPrefix(after, " at ") && isDevName(first):
		if parent, rest := parentOf(after[4:]); parent != "" && len(parent) <= maxName {
			first, parent = strings.Clone(first), strings.Clone(parent) // kept as map keys
			b.attach(driverOf(first), first, parent, rest, s, n)
		}
	case after == " detached" && isDevName(first):
		if _, ok := b.devs[first]; ok {
			b.gone[strings.Clone(first)] = n
		}
	case strings.HasSuffix(first, ":") && isDevName(first[:sp-1]):
		b.message(first[:sp-1], s[sp+1:], n)
	}
}

// number parses a decimal count; a value that does not fit is a warning.
func (b *boot) number(s, what string, n int) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		b.warnf("line %d: %s %s does not fit in 64 bits, ignored", n, what, s)
		return 0
	}
	return v
}

// descOf returns the product name an attach line prints, if any.
func descOf(rest string) string {
	if !strings.Contains(rest, " rev ") && !strings.Contains(rest, `"`) {
		return ""
	}
	if m := quoted.FindStringSubmatch(rest); m != nil {
		if m[1] != "" && m[3] != "" {
			return m[2] + " unknown product " + m[4]
		}
		return m[2]
	}
	if m := bareDesc.FindStringSubmatch(rest); m != nil {
		return m[1]
	}
	return ""
}

// afterColon is the text after the first ": " of an attach line's rest.
func afterColon(rest string) string {
	if i := strings.Index(rest, ": "); i >= 0 {
		return strings.TrimSpace(rest[i+2:])
	}
	return ""
}

func (b *boot) attach(driver, name, parent, rest, s string, n int) {
	if _, known := b.devs[name]; !known && len(b.devs) >= maxDevices {
		if !b.full {
			b.full = true
			b.warnf("line %d: more than %d devices; the rest are ignored", n, maxDevices)
		}
		return
	}
	b.devs[name] = device{parent: parent, desc: clip(descOf(rest))}
	delete(b.gone, name)
	if p, ok := fwDrivers[driver]; ok && len(name) == len(driver)+1 {
		b.firmware(p.pkg, p.platform) // "<driver><digit> at ": see fwPattern
	}

	if strings.HasSuffix(rest, ": console") {
		b.serial(name)
	}
	switch {
	case driver == "cpu":
		b.cpus[name] = true
		if name == "cpu0" {
			text := afterColon(rest)
			if text == "" || strings.HasPrefix(text, "apid") || strings.HasPrefix(text, "(") {
				b.cpuDefer = true
			} else {
				b.cpuLine = clip(text)
				if strings.Contains(rest, "mpidr") {
					b.armCore = clip(text)
				}
			}
		}
	case driver == "vmm":
		b.f.VMM = true
	case driver == "efi":
		b.efi0 = true
	case driver == "bios":
		b.bios = true
	case driver == "pvbus":
		if f := strings.Fields(afterColon(rest)); len(f) > 0 && b.f.Hypervisor == "" {
			b.f.Hypervisor = clip(f[0])
		}
	case driver == "mainbus" && parent == "root":
		if t := afterColon(rest); t != "" && b.f.Machine == "" {
			b.f.Machine = clip(t)
		}
	case driver == "sd":
		if m := sdAttach.FindStringSubmatch(s); m != nil {
			b.sdAttach(m, n)
		}
	case driver == "wd":
		if m := wdAttach.FindStringSubmatch(s); m != nil {
			b.wdAttach(m, n)
		}
	case driver == "wsdisplay":
		if b.wsParent == "" {
			b.wsParent = driverOf(parent)
		}
	case driver == "amdgpu" || (strings.HasSuffix(driver, "drm") && driver != "drm"):
		if b.drm == "" {
			b.drm = driver
		}
	case driver == "efifb" || driver == "simplefb" || driver == "vga":
		if driver == "efifb" {
			b.efifb = true
		}
		if b.fb == "" {
			b.fb = driver
		}
	}
	if wireless, ok := nicDrivers[driver]; ok {
		b.nicAttach(driver, name, parent, rest, wireless, n)
	}
}

func (b *boot) serial(name string) {
	if !b.f.Serial {
		b.f.Serial = true
		b.f.Console = name
	}
}

// message handles "deviceN: text" lines.
func (b *boot) message(name, text string, n int) {
	if text == "console" {
		b.serial(name)
		return
	}
	switch {
	case name == "cpu0":
		if b.cpuDefer && b.cpuLine == "" {
			b.cpuLine = clip(text)
		}
	case name == "bios0":
		switch {
		case strings.HasPrefix(text, "vendor "):
			if strings.HasPrefix(text, "vendor coreboot") {
				b.coreboot = true
			}
		case strings.HasPrefix(text, "ROM list"):
		default:
			if b.f.Machine == "" {
				b.f.Machine = clip(text)
			}
		}
	case strings.HasPrefix(name, "sd"):
		if d := b.diskAt[name]; d != nil {
			if m := sdSize.FindStringSubmatch(name + ": " + text); m != nil {
				d.SizeMB = b.number(m[2], name+" size", n)
				d.Sectors = b.number(m[4], name+" sectors", n)
				if ss := b.number(m[3], name+" sector size", n); ss >= 512 && ss <= 1<<16 {
					d.SectorSize = int(ss)
				} else {
					b.warnf("line %d: %s: sector size %s not believed, 512 used", n, name, m[3])
				}
				for _, flag := range strings.Split(m[5], ",") {
					switch strings.TrimSpace(flag) {
					case "thin":
						d.Thin = true
					case "readonly":
						d.ReadOnly = true
					}
				}
			}
		}
	case strings.HasPrefix(name, "wd"):
		if d := b.diskAt[name]; d != nil {
			if m := wdSize.FindStringSubmatch(name + ": " + text); m != nil {
				d.SizeMB = b.number(m[2], name+" size", n)
				d.Sectors = b.number(m[3], name+" sectors", n)
			}
		}
	}
	if nic := b.nicAt[name]; nic != nil && nic.MAC == "" {
		if m := macAddr.FindStringSubmatch(text); m != nil {
			nic.MAC = strings.ToLower(m[1])
		}
	}
}

// chain walks up from a disk's controller and returns the bus, and whether
// umass(4) is on the way.
func (b *boot) chain(controller string) (bus string, usb bool) {
	cur := controller
	for depth := 0; cur != "" && depth < 32; depth++ {
		drv := driverOf(cur)
		if drv == "umass" {
			usb = true
		}
		if v, ok := busByDriver[drv]; ok && bus == "" {
			bus = v
		}
		d, ok := b.devs[cur]
		if !ok {
			break
		}
		cur = d.parent
	}
	return bus, usb
}

func (b *boot) addDisk(d *Disk) {
	if old := b.diskAt[d.Name]; old != nil {
		*old = *d // attached again (softraid re-assembly, re-plug): the last one counts
		return
	}
	b.disks = append(b.disks, d)
	b.diskAt[d.Name] = d
}

func (b *boot) sdAttach(m []string, n int) {
	name, scsibus := m[1], m[2]
	vendor, product, rev := splitInquiry(m[3])
	d := &Disk{Name: clip(name), Vendor: clip(vendor), Model: clip(product), Rev: clip(rev), SectorSize: 512, Line: n}
	for _, w := range strings.Fields(m[4]) {
		if w == "removable" {
			d.Removable = true
		}
	}
	if bus, ok := b.devs[scsibus]; ok && bus.parent != "" {
		d.Controller = bus.parent
		d.Bus, d.USB = b.chain(bus.parent)
		if d.Bus == "" {
			d.Bus = "scsi"
		}
	}
	if vendor == "OPENBSD" && strings.HasPrefix(product, "SR ") {
		d.Bus = "softraid"
	}
	if d.Bus == "softraid" {
		d.Softraid = true
		d.RAIDLevel = clip(raidLevel(product))
	}
	b.addDisk(d)
}

func (b *boot) wdAttach(m []string, n int) {
	d := &Disk{Name: clip(m[1]), Model: clip(strings.TrimSpace(m[3])), SectorSize: 512, Controller: clip(m[2]), Line: n}
	d.Bus, d.USB = b.chain(m[2])
	if d.Bus == "" {
		d.Bus = "ide"
	}
	b.addDisk(d)
}

func (b *boot) nicAttach(driver, name, parent, rest string, wireless bool, n int) {
	nic := &NIC{Name: name, Driver: driver, Wireless: wireless, Bus: nicBus(driverOf(parent)), Desc: clip(descOf(rest)), Line: n}
	if nic.Desc == "" {
		nic.Desc = b.devs[parent].desc // "vio0 at virtio1": virtio1 names the device
	}
	if m := macAddr.FindStringSubmatch(rest); m != nil {
		nic.MAC = strings.ToLower(m[1])
	}
	if old := b.nicAt[name]; old != nil {
		*old = *nic
		return
	}
	b.nics = append(b.nics, nic)
	b.nicAt[name] = nic
}

// cpuModel trims cpu0's line to the model: "Intel(R) Xeon(R) E-2278G CPU @
// 3.40GHz, 3393.93 MHz, 06-9e-0d" and i386's "AMD-K6(tm)-III Processor
// ("AuthenticAMD" 586-class) 552 MHz, 05-0d-04" lose the clock and the rest.
var cpuClock = regexp.MustCompile(`(?:,\s*| \()[\d.]+ [MG]Hz\b|\s+\("[A-Za-z]+" [0-9]+-class\)`)

func cpuModel(line string) string {
	if loc := cpuClock.FindStringIndex(line); loc != nil {
		line = line[:loc[0]]
	}
	return strings.TrimSpace(line)
}

// Cores of arm64 and armv7 as "cpu0 at mainbus0 mpidr 0: ARM Cortex-A53"
// names them, for dmesgs that lack the kernel path line.
var (
	arm64Core = regexp.MustCompile(`Cortex-A(?:3[45]|5[357]|6[05]|7[2-9])\b|Neoverse|Apple|Kryo|ThunderX|Oryon`)
	armv7Core = regexp.MustCompile(`Cortex-A(?:5|7|8|9|12|15|17)\b`)
)

// arch guesses the architecture when the kernel path line is missing.
func (b *boot) guessArch() string {
	switch {
	case b.bios && (b.twoSpace || strings.Contains(b.cpuLine, "-class)")):
		return "i386" // i386 prints "real mem  =" (two blanks; amd64 one) and the CPU class ("686-class")
	case b.bios:
		return "amd64"
	case arm64Core.MatchString(b.armCore):
		return "arm64"
	case armv7Core.MatchString(b.armCore):
		return "armv7"
	}
	return ""
}

// facts finishes the boot.
func (b *boot) facts(source string, boots int) *Facts {
	f := b.f
	f.Source = source
	f.Boots = boots
	if boots > 1 {
		b.warnf("%d boots in the input: facts are from the last one, at line %d", boots, f.BootLine)
	}
	if strings.HasPrefix(f.Kernel, "RAMDISK") {
		b.warnf("kernel %s is the installer's: it lacks drm, vmm(4) and other drivers, so graphics and firmware come from device names", f.Kernel)
	}
	if f.Arch == "" {
		f.Arch = b.guessArch()
		if f.Arch != "" {
			b.warnf("no kernel path line (.../arch/ARCH/compile/KERNEL): architecture %s guessed from the attach lines", f.Arch)
		} else {
			b.warnf("no kernel path line (.../arch/ARCH/compile/KERNEL): architecture unknown")
		}
	}
	if !b.memSeen {
		b.warnf(`no "real mem" line: memory size unknown`)
	}
	if f.RootDev == "" {
		b.warnf(`no "root on" line: the dmesg may be cut short`)
	}

	f.NCPU = len(b.cpus)
	f.CPUModel = cpuModel(b.cpuLine)
	switch {
	case strings.Contains(b.cpuLine, "Intel"):
		f.CPUVendor = "intel"
	case strings.Contains(b.cpuLine, "AMD"):
		f.CPUVendor = "amd"
	}
	f.EFI = b.efi0 || (b.efifb && !b.coreboot)

	switch {
	case b.drm != "":
		f.Graphics = b.drm
	case b.wsParent != "": // wsdisplay(4) attaches only to display drivers
		f.Graphics = b.wsParent
	case b.fb != "":
		f.Graphics = b.fb
	default:
		f.Graphics = "none"
	}

	f.Disks = []Disk{}
	for _, d := range b.disks {
		if line, ok := b.gone[d.Name]; ok {
			b.warnf("%s (%s %s) detached at line %d and did not come back: left out", d.Name, d.Vendor, d.Model, line)
			continue
		}
		classify(d)
		if d.SizeMB == 0 && d.Sectors == 0 {
			b.warnf("%s (%s %s): no size line, no medium?", d.Name, d.Vendor, d.Model)
		}
		if d.Type == HDD && d.Thin {
			b.warnf("%s (%s %s): a rotating disk that reports thin provisioning (SMR?); typed hdd", d.Name, d.Vendor, d.Model)
		}
		f.Disks = append(f.Disks, *d)
	}
	f.NICs = []NIC{}
	for _, nic := range b.nics {
		if line, ok := b.gone[nic.Name]; ok {
			b.warnf("%s detached at line %d and did not come back: left out", nic.Name, line)
			continue
		}
		f.NICs = append(f.NICs, *nic)
	}
	f.Firmware = sortedKeys(b.fw)
	f.PlatformFirmware = sortedKeys(b.plat)
	if b.nwarnings >= maxWarnings {
		b.warnings = append(b.warnings, fmt.Sprintf("%d more warnings not shown", b.nwarnings-len(b.warnings)))
	}
	f.Warnings = b.warnings
	return &f
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
