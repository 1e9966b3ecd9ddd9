package site

import (
	"fmt"
	"strings"
)

// LogFile is where install.site logs what it does, on the new system; the
// admin reads it after the first boot. Mode 0600: it may name secrets'
// files, never their contents.
const LogFile = "/var/log/fugu-install.site.log"

// carry is the directory the set carries its data in, on the new system.
const carry = "/var/fugu"

// prelude is the fixed part of install.site: settings and the functions the
// generated steps call. It is ksh as OpenBSD's /bin/ksh runs it, kept to
// what POSIX sh parses too (sh -n and mksh -n check it in the tests).
//
// Facts it relies on, all from install.sub 1.1288 unless named:
//   - finish_up runs "chroot /mnt /install.site" after MAKEDEV all, the
//     fstab, the user's home (/home/<user> from /etc/skel) and the
//     installer's /etc/rc.firsttime lines (fw_update, syspatch -c, mail) are
//     in place; a non-zero exit makes the installer stop with
//     "install.site failed".
//   - /etc/fstab names partitions by DUID ("<16 hex digits>.a"): the
//     installer writes it from "disklabel -F"; hw.disknames maps disks to
//     DUIDs as "sd0:<duid>,sd1:<duid>" (get_dkdev_name).
//   - newfs and mount accept DUIDs ("newfs -q -O2 <duid>.a" in
//     configure_disk; mount_fs mounts fstab lines); FFS2 is the default
//     for new file systems (MDFSOPT defaults to -O2).
//   - a second disk: whole-disk GPT "fdisk -gy", MBR "fdisk -iy" (fdisk(8);
//     facts 4.1, 4.4); "disklabel -w -A -T template disk" allocates from a
//     template (disklabel_autolayout; "echo 'RAID *' | disklabel -w -A -T-"
//     in encrypt_root); disklabel prints "duid: " and "total sectors: "
//     lines (sbin/disklabel/disklabel.c display()).
//   - fstab options for a non-root FFS: rw,nodev,nosuid, fsck pass 2
//     (do_install).
//   - "doas -C file" parses a doas.conf and fails on errors (doas(1)).
//   - install(1) -o/-g take names, resolved in the new system's passwd and
//     group files since this runs chrooted.
//   - pkg_add -l reads package names, one per line (pkg_add(1); facts 11.1).
//   - "install /dev/null file" makes an empty file (install(1): a source
//     of /dev/null is special).
//   - the admin user's home is /home/<login>, its group the user's own
//     (do_install: "<login>:*:1000:" in /etc/group); the installer writes
//     only the first ssh key it is given (autoinstall(8)).
const prelude = `# Tests run this script outside OpenBSD with ROOT set to a scratch tree and
# PATH leading to recording stand-ins for fdisk, disklabel, newfs, mount,
# umount, sysctl, install, fw_update; on the new system ROOT is empty and
# every command is the real one.
R=${ROOT:-}
LOG=$R/var/log/fugu-install.site.log
FUGU=$R/var/fugu
PROBLEMS=
HOME_MOUNTED=

umask 077
: >>"$LOG" || { echo "install.site: cannot write $LOG" >&2; exit 1; }
chmod 600 "$LOG"

log() { printf '%s\n' "$*" >>"$LOG"; }

say() {
	printf 'install.site: %s\n' "$*"
	log "== $*"
}

fail() {
	log "FAILED: $*"
	printf 'install.site: FAILED: %s\n' "$*" >&2
	printf 'install.site: what was done is in /var/log/fugu-install.site.log\n' >&2
	exit 1
}

warn() {
	log "WARNING: $*"
	printf 'install.site: WARNING: %s\n' "$*" >&2
	PROBLEMS="$PROBLEMS
  $*"
}

# run CMD ARGS...: log the command, run it with its output in the log, stop
# the install if it fails.
run() {
	log "+ $*"
	"$@" >>"$LOG" 2>&1 || fail "$* (exit $?)"
}

# disk_duid DISK: the disk's DUID from hw.disknames ("sd0:<duid>,...").
disk_duid() {
	local IFS=, d
	for d in $(sysctl -n hw.disknames); do
		[ "${d%%:*}" = "$1" ] && { printf '%s\n' "${d#*:}"; return 0; }
	done
	return 1
}

# duid_disk DUID: the disk that has this DUID.
duid_disk() {
	local IFS=, d
	for d in $(sysctl -n hw.disknames); do
		[ "${d#*:}" = "$1" ] && { printf '%s\n' "${d%%:*}"; return 0; }
	done
	return 1
}

# root_disk: the disk / is on, from /etc/fstab (a DUID or /dev/sdNa).
root_disk() {
	local dev mp rest
	while read -r dev mp rest; do
		case $dev in '#'*|'') continue ;; esac
		[ "$mp" = / ] || continue
		dev=${dev#/dev/}
		case $dev in
		????????????????.?) duid_disk "${dev%.?}"; return ;;
		[sw]d*[a-p]) printf '%s\n' "${dev%?}"; return 0 ;;
		esac
	done <"$R/etc/fstab"
	return 1
}

# in_use DISK: whether a partition of DISK is in /etc/fstab or mounted.
in_use() {
	local disk=$1 duid dev rest
	duid=$(disk_duid "$disk")
	while read -r dev rest; do
		case ${dev#/dev/} in
		"$disk"[a-p]) return 0 ;;
		esac
		case $duid in
		''|0000000000000000) ;;
		*) case $dev in "$duid".[a-p]) return 0 ;; esac ;;
		esac
	done <"$R/etc/fstab"
	mount | while read -r dev rest; do
		case ${dev#/dev/} in
		"$disk"[a-p]) exit 1 ;;
		esac
		case $duid in
		''|0000000000000000) ;;
		*) case $dev in "$duid".[a-p]) exit 1 ;; esac ;;
		esac
	done
	[ $? -ne 0 ]
}

# set_fstab LINE: put LINE in /etc/fstab in place of a /home line, or at
# its end.
set_fstab() {
	local line=$1 fstab=$R/etc/fstab l replaced=
	while IFS= read -r l; do
		set -f
		set -- $l
		set +f
		if [ "${2:-}" = /home ] && [ "${1#\#}" = "$1" ]; then
			log "fstab: replacing: $l"
			[ -n "$replaced" ] || printf '%s\n' "$line"
			replaced=y
		else
			printf '%s\n' "$l"
		fi
	done <"$fstab" >"$fstab.fugu" || fail "cannot write $fstab.fugu"
	[ -n "$replaced" ] || printf '%s\n' "$line" >>"$fstab.fugu"
	cat "$fstab.fugu" >"$fstab" || fail "cannot write $fstab"
	rm -f "$fstab.fugu"
	log "fstab: $line"
}

# home_disk DISK TABLE SECTORS MODE: give /home a disk of its own, mounted
# by DUID in /etc/fstab. With MODE keep, a disk whose label already has a
# 4.2BSD 'a' partition (a reinstall) keeps that file system: it is checked,
# mounted, and the home directories the installer made move onto it unless
# the disk has one of that name already (those stay in /var/fugu/home.new).
# Otherwise, and always with MODE wipe, DISK is labelled whole and newfs'd.
# It stops before touching anything when DISK is the root disk, when a
# partition of it is in /etc/fstab or mounted, when its size differs from
# the plan's (the kernel named the disks differently this time), or when
# the file system to keep is an old root file system rather than a /home.
home_disk() {
	local disk=$1 table=$2 want=$3 mode=$4 root have duid f name

	root=$(root_disk) || fail "cannot tell the root disk from /etc/fstab; not touching $disk"
	[ -n "$root" ] || fail "cannot tell the root disk from /etc/fstab; not touching $disk"
	[ "$disk" != "$root" ] || fail "$disk is the root disk; refusing to repartition it for /home"
	! in_use "$disk" || fail "$disk has partitions in /etc/fstab or mounted; refusing to repartition it"
	have=$(disklabel "$disk" 2>/dev/null | sed -n 's/^total sectors: //p')
	[ -n "$have" ] || fail "$disk: no such disk (disklabel $disk printed no size)"
	[ "$want" = 0 ] || [ "$have" = "$want" ] ||
		fail "$disk has $have sectors, the plan expected $want: the disks are named differently than in the dmesg fugu planned from; not touching $disk"
	[ -d "$R/mnt" ] || fail "no /mnt to mount /home on while moving it"
	for f in "$R"/mnt/* "$R"/mnt/.[!.]* "$R"/mnt/..?*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		fail "/mnt is not empty ($f); cannot use it to move /home"
	done
	log "the label $disk has now, for the record:"
	disklabel "$disk" >>"$LOG" 2>&1
	if [ "$mode" = keep ] && disklabel "$disk" 2>/dev/null | grep -q '^  a: .*4\.2BSD '; then
		say "/home: $disk already holds a file system in ${disk}a: keeping it (disks.home.wipe: true starts it afresh)"
		duid=$(disklabel "$disk" 2>>"$LOG" | sed -n 's/^duid: //p')
		case $duid in
		''|0000000000000000) fail "$disk has no disklabel UID; not using it" ;;
		esac
		run fsck -p "/dev/r${disk}a"
		run mount -t ffs "$duid.a" "$R/mnt"
		if [ -d "$R/mnt/etc" ] && [ -d "$R/mnt/bin" ] && [ -d "$R/mnt/sbin" ]; then
			run umount "$R/mnt"
			fail "${disk}a holds an old root file system, not a /home: not mounting it on /home (disks.home.wipe: true reuses the disk)"
		fi
		for f in "$R"/home/* "$R"/home/.[!.]* "$R"/home/..?*; do
			[ -e "$f" ] || [ -L "$f" ] || continue
			name=${f##*/}
			if [ -e "$R/mnt/$name" ] || [ -L "$R/mnt/$name" ]; then
				say "/home: kept the existing /home/$name; the new one the installer made is in /var/fugu/home.new/$name"
				run mkdir -p "$FUGU/home.new"
				run mv "$f" "$FUGU/home.new/"
			else
				run mv "$f" "$R/mnt/"
			fi
		done
	else
		say "/home: labelling $disk whole ($table) for /home"
		case $table in
		gpt) run fdisk -gy "$disk" ;;
		mbr) run fdisk -iy "$disk" ;;
		*) fail "BUG: partition table $table" ;;
		esac
		run disklabel -w -A -T "$FUGU/home.template" "$disk"
		duid=$(disklabel "$disk" 2>>"$LOG" | sed -n 's/^duid: //p')
		case $duid in
		''|0000000000000000) fail "$disk has no disklabel UID after labelling" ;;
		esac
		run newfs -q -O2 "$duid.a"
		run mount -t ffs "$duid.a" "$R/mnt"
		for f in "$R"/home/* "$R"/home/.[!.]* "$R"/home/..?*; do
			[ -e "$f" ] || [ -L "$f" ] || continue
			run mv "$f" "$R/mnt/"
		done
	fi
	run umount "$R/mnt"
	set_fstab "$duid.a /home ffs rw,nodev,nosuid 1 2"
	run mount -t ffs -o rw,nodev,nosuid "$duid.a" "$R/home"
	HOME_MOUNTED=$R/home
}

# put_file PATH OWNER GROUP MODE: install the carried copy of PATH.
put_file() {
	local dst=$R$1 src=$FUGU/files$1
	[ -d "${dst%/*}" ] || run install -d -o root -g wheel -m 0755 "${dst%/*}"
	run install -o "$2" -g "$3" -m "$4" "$src" "$dst"
}

# put_doas PATH OWNER GROUP MODE: install a doas.conf only if doas -C
# accepts it; otherwise keep the one there is and say so.
put_doas() {
	local src=$FUGU/files$1
	log "+ doas -C $src"
	if doas -C "$src" >>"$LOG" 2>&1; then
		put_file "$@"
	else
		mkdir -p "$FUGU/rejected" && cp "$src" "$FUGU/rejected/${1##*/}"
		warn "$1 from the profile fails doas -C; kept the old one (a fresh install has none); the rejected file is /var/fugu/rejected/${1##*/}"
	fi
}

# add_lines PATH LIST OWNER GROUP MODE: append each line of the carried
# LIST to PATH unless PATH has it already; a missing PATH is made empty
# first with OWNER, GROUP and MODE.
add_lines() {
	local dst=$R$1 l
	[ -e "$dst" ] || run install -o "$3" -g "$4" -m "$5" /dev/null "$dst"
	while IFS= read -r l; do
		if grep -qxF -- "$l" "$dst"; then
			log "$1 has already: $l"
		else
			printf '%s\n' "$l" >>"$dst" || fail "cannot write $1"
			log "$1: added: $l"
		fi
	done <"$FUGU/$2"
}

# add_keys PATH OWNER GROUP LIST: add the carried public keys in LIST to
# the authorized_keys file PATH, each once; the .ssh directory is made
# (mode 0700) if it is missing.
add_keys() {
	local dir=$R${1%/*}
	[ -d "$dir" ] || run install -d -o "$2" -g "$3" -m 0700 "$dir"
	add_lines "$1" "$4" "$2" "$3" 0600
}

# firmware FILE...: install carried fw_update(8) packages, so that wireless
# works on the first boot without a cable. A failure only warns: the
# installer's fw_update in /etc/rc.firsttime tries again over the network.
firmware() {
	local f files=
	for f; do files="$files $FUGU/firmware/$f"; done
	say "firmware: installing$files"
	log "+ fw_update$files"
	fw_update $files >>"$LOG" 2>&1 || warn "fw_update failed (exit $?); the first boot's fw_update tries again"
}

# first_boot: queue the carried /etc/rc.firsttime lines.
first_boot() {
	say "first boot: adding to /etc/rc.firsttime"
	cat "$FUGU/rc.firsttime" >>"$R/etc/rc.firsttime" || fail "cannot append to /etc/rc.firsttime"
	log "appended $FUGU/rc.firsttime to /etc/rc.firsttime"
}

finish() {
	[ -z "$HOME_MOUNTED" ] || run umount "$HOME_MOUNTED"
	run rm -rf "$FUGU/files" "$FUGU/firmware"
	: >"$FUGU/done"
	if [ -n "$PROBLEMS" ]; then
		say "done, with warnings:$PROBLEMS"
	else
		say "done"
	fi
	log "install.site finished $(date)"
}

if [ -e "$FUGU/done" ]; then
	say "ran before ($FUGU/done exists); nothing to do"
	exit 0
fi
`

// step is one call in the generated part of install.site.
type step struct {
	comment string
	args    []string // function and arguments
}

// script renders install.site.
func script(host, rel, arch, setName string, steps []step) []byte {
	var b strings.Builder
	b.WriteString("#!/bin/ksh\n")
	fmt.Fprintf(&b, "# install.site for %s: OpenBSD %s/%s, from the site set %s.\n", host, rel, arch, setName)
	b.WriteString(`# Written by fugu; render the profile again rather than edit it.
#
# The installer runs it once, chrooted into the new system, at the end of
# the install (install.sub finish_up); a non-zero exit stops the install.
# Everything it does goes to /var/log/fugu-install.site.log (mode 0600).
#
`)
	b.WriteString(prelude)
	fmt.Fprintf(&b, "\nlog \"install.site for %s started $(date)\"\n", host)
	for _, s := range steps {
		b.WriteString("\n")
		for _, l := range strings.Split(s.comment, "\n") {
			if l != "" {
				b.WriteString("# " + l + "\n")
			}
		}
		for i, a := range s.args {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(shQuote(a))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nfinish\n")
	return []byte(b.String())
}

// shQuote quotes s as one word for sh: bare when that is safe, else in
// single quotes.
func shQuote(s string) string {
	if s == "" {
		return "''"
	}
	plain := true
	for i := 0; i < len(s); i++ {
		if !plainByte(s[i]) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
