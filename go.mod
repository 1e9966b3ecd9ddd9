module github.com/fugu-tool/fugu

go 1.26.8
