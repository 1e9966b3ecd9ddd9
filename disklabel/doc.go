// Package disklabel simulates OpenBSD's disklabel(8) automatic partitioning
// so that a plan can show, before anything boots, which partition letters,
// offsets and sizes the installer will create on a given disk.
//
// It has three parts:
//
//   - ParseTemplate reads an autopartitioning template (the file given to
//     "disklabel -T", which the installer fetches for the question "URL to
//     autopartitioning template for disklabel?") exactly as
//     sbin/disklabel/editor.c parse_autotable() reads it, and String prints
//     it back in a canonical form.
//   - Allocate re-implements editor_allocspace() and its helpers sector for
//     sector: the built-in tables (big, medium, small, stupid) of each
//     editor.c revision with the physmem increments of the big table, or
//     one template table.
//   - WholeDisk computes the OpenBSD area that the installer's fdisk(8)
//     invocation ("fdisk -iy" for MBR, "fdisk -gy -b 532480" for GPT) leaves
//     on a blank disk, and the partitions the kernel spoofs into the default
//     label (the EFI System partition becomes 'i', so auto-allocated letters
//     after 'h' shift by one).
//
// Per-release behaviour lives in data (releases.go): each OpenBSD release maps
// to the editor.c revision whose tables, allocation algorithm and template
// dialect it ships. Which revisions were read and which mappings are
// UNVERIFIED is stated there.
//
// What is simulated: an empty label on a disk whose OpenBSD area is free
// except for the partitions the kernel spoofs (or any partitions passed in as
// Existing), 512-byte and larger sectors (the unit conversions of
// DL_BLKTOSEC/DL_SECTOBLK are applied), the rounding of 4.2BSD partitions to
// their block size, and all failure paths of the allocator.
//
// What is not simulated, deliberately: the SUN_CYLCHECK cylinder rounding of
// sparc64, interactive editing (the 'R' resize), labels that already hold
// OpenBSD partitions the user wants to keep (the installer only auto-allocates
// a fresh label), disks with foreign MBR/GPT partitions other than the ones
// WholeDisk itself creates, and the cpg/fragment values newfs(8) writes later
// (the label's fsize/bsize are what is simulated). Results for 4K-sector disks
// follow the code but were not checked against a real disk. Like editor.c
// free_chunks(), the first free chunk is not clipped at the area's end when
// an Existing partition starts beyond it.
//
// Verified against: every regress/sbin/disklabel *.ok file of editor.c 1.422
// (24 disks), 1.372 and 1.360 (see testdata/disklabel/regress), and a real
// auto-allocated label (testdata/disklabel/corpus).
package disklabel
