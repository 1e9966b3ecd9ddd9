// Package ffs writes and reads OpenBSD's Berkeley Fast File System:
// FFS1 (UFS1) and FFS2 (UFS2), little-endian, as OpenBSD's newfs(8) lays
// them out (sbin/newfs/mkfs.c 1.102, sys/ufs/ffs/fs.h 1.45,
// sys/ufs/ufs/dinode.h 1.19, sys/ufs/ufs/dir.h 1.13).
//
// Writing is plan, then act. A Tree collects entries (from a host
// directory, an fs.FS, or one by one); Build computes the geometry newfs
// would (block and fragment size, inode density, minfree, cylinder
// groups; all overridable), picks the smallest size that fits when none
// is given, and assigns every inode and block without reading any file.
// Image.WriteTo or Image.WriteFile then streams the image front to back,
// copying each file from its reader once: memory depends on the number
// of files, never on their sizes or the image size.
//
// Reading: Open (or OpenFile) gives an FS that implements io/fs (FS,
// StatFS, ReadDirFS, ReadFileFS, ReadLinkFS), reads images made by fugu,
// newfs or NetBSD's makefs, and checks every address it computes, so
// corrupt images give errors, not panics or hangs. FS.Check verifies
// a whole file system like fsck_ffs would, without repairing. FFS names
// are bytes, io/fs paths UTF-8: FS leaves other names out of ReadDir
// with ErrNameNotUTF8, and FS.RawNames gives a view that takes and
// lists every name as it is. The writer, AddDir and Rebuild keep names
// byte for byte.
//
// Rebuild edits an image by rebuilding it: it reads the old tree,
// applies additions, replacements and removals, and writes a new image
// of the same size, parameters and cylinder groups. Hard links name a
// file, not a path (as link(2)), so replacing or removing one name
// leaves the file's other names as they were.
//
// Deliberate limits:
//   - Little-endian only (amd64, arm64, i386 ...); no big-endian images.
//   - The writer lays files out contiguously in one pass; it does not
//     imitate the kernel's allocation policy (directories spread over
//     cylinder groups, maxbpg). The result is a valid, fully consistent
//     file system, not a byte copy of what newfs plus cp would produce.
//   - No holes: every block of a file is allocated. No extended
//     attributes, snapshots, soft-updates or WAPBL state; fugu writes
//     clean file systems.
//   - Fragment tails of small files share blocks; a file with indirect
//     blocks uses whole blocks only, as FFS requires.
//   - Inode generation numbers and the file system id are derived from
//     Options.Time, not random, so equal inputs give equal bytes.
//   - Defaults follow newfs on a disklabel partition: 2048-byte
//     fragments (4096 above 128 GiB, 8192 above 512 GiB), 8 fragments
//     per block, one inode per 4 fragments, minfree 5%, FFS2. Linux's
//     ufs driver reads only fragment sizes 512 to 4096.
//   - The FFS2 superblock is at 65536 as newfs puts it (makefs uses 8192;
//     the reader accepts both, Rebuild moves it to 65536, where
//     OpenBSD's boot loader looks).
//   - Symbolic link targets are 1 to 1023 bytes without NUL, as
//     symlink(2) makes them; the reader and Check refuse others (makefs
//     copies longer ones from Linux hosts), which fsck_ffs lets pass.
//   - Device numbers must fit OpenBSD's dev_t (major up to 255, minor up
//     to 2^24-1). AddDir and AddFS skip sockets (Tree.Skipped).
//   - Times before 1901-12-13T20:45:52Z or after 2038-01-19T03:14:07Z
//     do not fit FFS1's 32-bit fields: Build refuses them, naming the
//     file and its time, rather than let them wrap.
//   - Memory: the writer keeps a few hundred bytes per file (about 45
//     MiB peak for 50,000 files) and one copy buffer; FS.Check keeps a
//     bit per fragment, a few bytes per inode and every cylinder group
//     block, which is fine for install media, not for terabytes.
//   - Rebuild keeps the old image's boot area and trailing bytes but not
//     atime, ctime or birth time (they become the modification time),
//     nor inode numbers.
package ffs
