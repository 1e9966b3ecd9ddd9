package ufsoracle

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// listScript lists the tree under the current directory on standard
// output, every name as hex so that any byte (a newline, a byte that is
// not UTF-8) survives: "@@N" the hex of find's NUL-separated names,
// then one "@@S" stat line per name in the same order; "@@F" and "@@H"
// the regular files' names and sha256sum's output for them; "@@LN" and
// "@@LT" the symbolic links' names and their targets, each followed by
// readlink's newline and a NUL. The three finds walk the same read-only
// tree, so their orders agree.
const listScript = `hex() { od -An -v -tx1 | tr -d ' \n'; echo; }
printf '@@N '; find . -print0 | hex
find . -print0 | xargs -0 -r stat -c '@@S %f %u %g %h %s %Y %t %T'
printf '@@F '; find . -type f -print0 | hex
printf '@@H '; find . -type f -print0 | xargs -0 -r sha256sum | hex
printf '@@LN '; find . -type l -print0 | hex
printf '@@LT '; find . -type l -print0 | xargs -0 -r sh -c 'for p; do readlink "$p"; printf "\0"; done' sh | hex
`

// initScript runs as /init in the guest. It loads the modules (in
// several passes, so their order does not matter), mounts each image
// read-only with the ufs type given in /types, lists it with /list, and
// writes the listing to the last virtio disk.
const initScript = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo 1 > /proc/sys/kernel/printk
for pass in 1 2 3; do
	for m in $(cat /modules/order); do
		[ -d /sys/module/$m ] || insmod /modules/$m.ko 2>/dev/null
	done
done
letters="a b c d e f g h i j k l m n o p q r s t u v"
n=$(wc -l < /types)
i=0
outdev=
for l in $letters; do
	if [ $i -eq $n ]; then outdev=/dev/vd$l; break; fi
	i=$((i+1))
done
w=0
while [ ! -b $outdev ] && [ $w -lt 200 ]; do sleep 0.05; w=$((w+1)); done
out=/tmp/out
: > $out
i=0
for l in $letters; do
	[ $i -lt $n ] || break
	t=$(sed -n "$((i+1))p" /types)
	echo "@@DISK $i" >> $out
	if mount -t ufs -o ro,ufstype=$t /dev/vd$l /mnt 2>/tmp/err; then
		(cd /mnt && sh /list) >> $out 2>/tmp/lerr
		[ -s /tmp/lerr ] && echo "@@MOUNTFAIL lister: $(tr '\n' ' ' < /tmp/lerr)" >> $out
		umount /mnt
	else
		echo "@@MOUNTFAIL $(tr '\n' ' ' < /tmp/err) $(dmesg | grep -i ufs | tail -n 3 | tr '\n' ' ')" >> $out
	fi
	i=$((i+1))
done
echo "@@END" >> $out
dd if=$out of=$outdev bs=65536 conv=fsync 2>/dev/null
sync
poweroff -f
`

// buildInitramfs returns a newc cpio archive with busybox, the modules,
// /init and the ufs type of each disk.
func buildInitramfs(k *Kernel, busybox string, disks []Disk) ([]byte, error) {
	var w cpioWriter
	for _, d := range []string{"bin", "dev", "proc", "sys", "mnt", "tmp", "modules"} {
		w.dir(d)
	}
	bb, err := os.ReadFile(busybox)
	if err != nil {
		return nil, err
	}
	w.file("bin/busybox", 0o755, bb)
	var order []string
	for _, m := range k.Modules {
		b, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(m), ".ko")
		w.file("modules/"+name+".ko", 0o644, b)
		order = append(order, name)
	}
	w.file("modules/order", 0o644, []byte(strings.Join(order, "\n")+"\n"))
	var types strings.Builder
	for _, d := range disks {
		if d.Type != "44bsd" && d.Type != "ufs2" {
			return nil, fmt.Errorf("ufsoracle: disk %s: type %q (want 44bsd or ufs2)", d.Path, d.Type)
		}
		types.WriteString(d.Type + "\n")
	}
	w.file("types", 0o644, []byte(types.String()))
	w.file("init", 0o755, []byte(initScript))
	w.file("list", 0o755, []byte(listScript))
	return w.finish(), nil
}

// cpioWriter writes the "newc" cpio format the kernel unpacks as an
// initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
type cpioWriter struct {
	b   bytes.Buffer
	ino int
}

func (w *cpioWriter) header(name string, mode uint32, size int) {
	w.ino++
	fmt.Fprintf(&w.b, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		w.ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name)+1, 0)
	w.b.WriteString(name)
	w.b.WriteByte(0)
	w.pad()
}

func (w *cpioWriter) pad() {
	for w.b.Len()%4 != 0 {
		w.b.WriteByte(0)
	}
}

func (w *cpioWriter) dir(name string) { w.header(name, 0o040755, 0) }

func (w *cpioWriter) file(name string, perm uint32, data []byte) {
	w.header(name, 0o100000|perm, len(data))
	w.b.Write(data)
	w.pad()
}

func (w *cpioWriter) finish() []byte {
	w.header("TRAILER!!!", 0, 0)
	return w.b.Bytes()
}

func sortFiles(fs []File) { sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path }) }
