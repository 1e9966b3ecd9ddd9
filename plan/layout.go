package plan

// Layout is how one disk is partitioned: the partition table, the OpenBSD
// area, and the disklabel partitions in sectors.
type Layout struct {
	Disk       string `json:"disk"`
	Table      string `json:"table"` // "gpt" or "mbr"
	Sectors    int64  `json:"sectors"`
	SectorSize int    `json:"sector_size"`
}

// layouts computes the root and /home disk layouts.
func (b *builder) layouts() {}
