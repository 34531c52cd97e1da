// Package loader turns a tool's embedded CollectionSpec into running,
// attached BPF programs: it checks privileges, resolves kernel BTF, asks
// core/attach for a plan, rewrites the tool's constants (its in-kernel
// filters), loads only the programs the plan needs and attaches them.
// Every error it returns says what the user can do about it.
package loader
