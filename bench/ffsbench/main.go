// Command ffsbench times fugu's FFS writer against NetBSD's makefs on the
// same trees, in one run: a 1 GiB tree of mixed file sizes and a tree of
// 50,000 small files. It prints wall time and peak resident memory of
// each tool and the fugu/makefs ratios. Run it through bench/ffs-bench.
//
// Both tools write FFS1, then FFS2, with the same block size, fragment size, inode
// density, minfree and image size; each is run -rounds times, alternating,
// and the fastest run counts (the trees stay in the page cache). Peak
// memory is the child's ru_maxrss.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	work := flag.String("work", filepath.Join(os.TempDir(), "ffsbench"), "work directory (trees are kept there between runs)")
	fugu := flag.String("fugu", "", "fugu binary (required)")
	makefs := flag.String("makefs", "makefs", "makefs binary")
	rounds := flag.Int("rounds", 3, "runs of each tool per tree")
	only := flag.String("only", "", "run only the tree with this name (mixed-1g or small-50k)")
	flag.Parse()
	if *fugu == "" {
		fmt.Fprintln(os.Stderr, "ffsbench: -fugu is required")
		os.Exit(2)
	}
	if err := run(*work, *fugu, *makefs, *rounds, *only); err != nil {
		fmt.Fprintln(os.Stderr, "ffsbench:", err)
		os.Exit(1)
	}
}

// tree is a generated input.
type tree struct {
	name  string
	files int
	gen   func(dir string) (int64, error) // makes the tree, returns its bytes
}

var trees = []tree{
	{"mixed-1g", 0, genMixed},
	{"small-50k", 50000, genSmall},
}

func run(work, fugu, makefs string, rounds int, only string) error {
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	fmt.Printf("%-10s %-5s %-7s %9s %9s %12s  %s\n", "tree", "fs", "tool", "wall s", "peak MiB", "image bytes", "fugu ffs check")
	var summary []string
	for _, t := range trees {
		if only != "" && t.name != only {
			continue
		}
		dir := filepath.Join(work, t.name)
		stamp := dir + ".done"
		var total int64
		if b, err := os.ReadFile(stamp); err == nil {
			fmt.Sscan(string(b), &total)
		} else {
			os.RemoveAll(dir)
			start := time.Now()
			if total, err = t.gen(dir); err != nil {
				return err
			}
			os.WriteFile(stamp, []byte(fmt.Sprint(total)), 0o644)
			fmt.Fprintf(os.Stderr, "ffsbench: generated %s (%d bytes) in %v\n", t.name, total, time.Since(start).Round(time.Millisecond))
		}
		for _, version := range []string{"1", "2"} {
			line, err := bench(work, fugu, makefs, rounds, t.name, dir, version, total)
			if err != nil {
				return err
			}
			summary = append(summary, line)
		}
	}
	fmt.Println()
	fmt.Println(strings.Join(summary, "\n"))
	return nil
}

// bench times both tools on one tree and format and returns the summary
// line.
func bench(work, fugu, makefs string, rounds int, name, dir, version string, total int64) (string, error) {
	format := "--ffs" + version
	// One size for both: fugu's smallest fit plus 15%, whole MiB.
	probe := filepath.Join(work, "probe.img")
	if _, _, err := measure(fugu, "ffs", "mkfs", "-o", probe, format, "-b", "16384", "-f", "2048", "-i", "8192", "-m", "5", dir); err != nil {
		return "", err
	}
	st, err := os.Stat(probe)
	if err != nil {
		return "", err
	}
	os.Remove(probe)
	size := (st.Size()*115/100 + 1<<20 - 1) / (1 << 20) * (1 << 20)
	img := filepath.Join(work, name+".img")
	defer os.Remove(img)
	cmds := map[string][]string{
		"makefs": {makefs, "-t", "ffs", "-B", "le", "-s", fmt.Sprint(size),
			"-o", "version=" + version + ",bsize=16384,fsize=2048,density=8192,minfree=5", img, dir},
		"fugu": {fugu, "ffs", "mkfs", "-o", img, format, "--size", fmt.Sprint(size),
			"-b", "16384", "-f", "2048", "-i", "8192", "-m", "5", dir},
	}
	best := map[string]time.Duration{}
	peak := map[string]int64{}
	checks := map[string]string{}
	for r := 0; r < rounds; r++ {
		for _, tool := range []string{"makefs", "fugu"} {
			os.Remove(img)
			wall, rss, err := measure(cmds[tool][0], cmds[tool][1:]...)
			if err != nil {
				return "", err
			}
			if best[tool] == 0 || wall < best[tool] {
				best[tool] = wall
			}
			peak[tool] = max(peak[tool], rss)
			// fugu's checker reads both tools' images.
			out, err := exec.Command(fugu, "ffs", "check", img).CombinedOutput()
			checks[tool] = "clean"
			if err != nil {
				lines := strings.Split(strings.TrimSpace(string(out)), "\n")
				checks[tool] = "FAILS: " + strings.TrimSpace(lines[min(1, len(lines)-1)])
			}
		}
	}
	for _, tool := range []string{"makefs", "fugu"} {
		fmt.Printf("%-10s %-5s %-7s %9.2f %9.1f %12d  %s\n", name, "FFS"+version, tool, best[tool].Seconds(),
			float64(peak[tool])/(1<<20), size, checks[tool])
	}
	return fmt.Sprintf("%s FFS%s (%d bytes of files, %d-byte images): fugu/makefs wall time %.2f; peak memory fugu %.1f MiB, makefs %.1f MiB",
		name, version, total, size, best["fugu"].Seconds()/best["makefs"].Seconds(),
		float64(peak["fugu"])/(1<<20), float64(peak["makefs"])/(1<<20)), nil
}

// measure runs a command and returns its wall time and peak resident
// memory in bytes.
func measure(name string, args ...string) (time.Duration, int64, error) {
	cmd := exec.Command(name, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %v\n%s", name, err, out.String())
	}
	return wall, maxRSS(cmd.ProcessState), nil
}

// genMixed writes about 1 GiB in files of mixed sizes: many small ones,
// some of a few hundred KiB, a few of tens of MiB.
func genMixed(dir string) (int64, error) {
	rng := rand.New(rand.NewPCG(7, 8))
	const target = 1 << 30
	var total int64
	for i := 0; total < target; i++ {
		var size int64
		switch r := rng.IntN(100); {
		case r < 70:
			size = rng.Int64N(16 << 10)
		case r < 95:
			size = 64<<10 + rng.Int64N(1<<20)
		default:
			size = 8<<20 + rng.Int64N(48<<20)
		}
		size = min(size, target-total)
		p := filepath.Join(dir, fmt.Sprintf("d%02d/s%02d", i%37, i%11), fmt.Sprintf("f%06d", i))
		if err := writeFile(p, uint64(i), size); err != nil {
			return 0, err
		}
		total += size
	}
	return total, nil
}

// genSmall writes 50,000 files of 0 to 4 KiB in 250 directories.
func genSmall(dir string) (int64, error) {
	rng := rand.New(rand.NewPCG(9, 10))
	var total int64
	for i := 0; i < 50000; i++ {
		size := rng.Int64N(4097)
		p := filepath.Join(dir, fmt.Sprintf("d%03d", i%250), fmt.Sprintf("file-%05d.txt", i))
		if err := writeFile(p, uint64(i)+1e6, size); err != nil {
			return 0, err
		}
		total += size
	}
	return total, nil
}

func writeFile(p string, seed uint64, size int64) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	if _, err := io.CopyN(f, rand.NewChaCha8(key), size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
