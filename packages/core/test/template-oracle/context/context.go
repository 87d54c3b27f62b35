// Package context names GoReleaser's context types that reach templates.
package context

// Env is GoReleaser's context.Env.
type Env map[string]string

// Runtime is GoReleaser's context.Runtime.
type Runtime struct {
	Goos   string
	Goarch string
}
