// Package tmpl names the root data type as GoReleaser's does, so type names in messages match.
package tmpl

// Fields is GoReleaser's template data: internal/tmpl.Fields.
type Fields map[string]any
