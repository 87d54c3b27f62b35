module goship.local/template-oracle

go 1.26

require (
	github.com/Masterminds/semver/v3 v3.4.0
	golang.org/x/crypto v0.49.0
	golang.org/x/text v0.35.0
	lukechampine.com/blake3 v1.4.1
)

require (
	github.com/klauspost/cpuid/v2 v2.0.9 // indirect
	golang.org/x/sys v0.42.0 // indirect
)
