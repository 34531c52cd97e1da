// Package lang reads the bpftrace language and compiles it to BPF
// instructions with github.com/cilium/ebpf/asm: no LLVM, no C compiler.
//
// It is a pipeline of passes, as bpftrace's is, each in its own files:
//
//   - preprocess (preprocess*.go): the shebang, #include (kernel headers
//     from BTF, others from -I/--include), #define, #if/#ifdef/#else;
//   - lex (lex.go) and parse (parse*.go, parse_decl.go for struct
//     definitions) into the AST of ast.go;
//   - positional parameters (params.go): $1..$N and $# become literals;
//   - struct layout (structs.go): the program's struct definitions as BTF;
//   - probe resolution (resolve.go, target.go, usdt.go): attach points to
//     the targets they name here, missing ones warned about;
//   - semantic analysis (sema_*.go): builtins, expression, variable and
//     map types, checked for the whole program before any code exists.
//     It walks the AST with the code generator's walker in typing mode
//     (gen.typing), so what is typed and what is generated cannot drift;
//   - code generation (gen_*.go, emit.go): one BPF program per probe
//     target (gen_probe.go), statements, expressions, builtins, output
//     records;
//   - resource layout (layout.go): the BPF maps the programs refer to.
//
// compile.go runs them in that order. A new language feature adds to the
// pass it belongs to, or a pass of its own, rather than to gen_expr.go.
//
// The trace applet loads, attaches and prints the results the way
// bpftrace does.
package lang
