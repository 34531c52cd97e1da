package lang

import (
	"fmt"

	"github.com/cilium/ebpf/btf"
)

// fakeTypes is a small kernel BTF for the corpus: a task_struct with a
// pointer to itself (a forward declaration, as the real environment
// builds one struct at a time), a char array, an embedded struct, an anonymous
// union and a bitfield, at offsets unlike any real kernel's.
func fakeTypes() map[string]btf.Type {
	u8 := &btf.Int{Name: "unsigned char", Size: 1}
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	s32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	u64 := &btf.Int{Name: "long long unsigned int", Size: 8}
	pidT := &btf.Typedef{Name: "pid_t", Type: s32}
	se := &btf.Struct{Name: "sched_entity", Size: 16, Members: []btf.Member{
		{Name: "load", Type: u64, Offset: 0}, {Name: "vruntime", Type: u64, Offset: 64},
	}}
	task := &btf.Struct{Name: "task_struct", Size: 128}
	task.Members = []btf.Member{
		{Name: "state", Type: &btf.Volatile{Type: u32}, Offset: 0},
		{Name: "sched_reset_on_fork", Type: u32, Offset: 35, BitfieldSize: 1},
		{Name: "pid", Type: pidT, Offset: 64},
		{Name: "tgid", Type: pidT, Offset: 96},
		{Name: "real_parent", Type: &btf.Pointer{Target: &btf.Fwd{Name: "task_struct"}}, Offset: 128},
		{Name: "comm", Type: &btf.Array{Type: char, Nelems: 16}, Offset: 192},
		{Name: "se", Type: se, Offset: 320},
		{Name: "", Type: &btf.Union{Size: 8, Members: []btf.Member{
			{Name: "utime", Type: u64}, {Name: "flags8", Type: u8},
		}}, Offset: 448},
		{Name: "files", Type: &btf.Pointer{Target: &btf.Struct{Name: "files_struct"}}, Offset: 512},
	}
	return map[string]btf.Type{"struct task_struct": task, "struct sched_entity": se, "struct file": fakeFile()}
}

// fakeFile is struct file down to f_path.dentry->d_name.name, the
// classic fentry:vfs_read chain, with a qstr's anonymous union.
func fakeFile() *btf.Struct {
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	u64 := &btf.Int{Name: "long long unsigned int", Size: 8}
	uchar := &btf.Int{Name: "unsigned char", Size: 1}
	qstr := &btf.Struct{Name: "qstr", Size: 16, Members: []btf.Member{
		{Type: &btf.Union{Size: 8, Members: []btf.Member{
			{Type: &btf.Struct{Size: 8, Members: []btf.Member{{Name: "hash", Type: u32}, {Name: "len", Type: u32, Offset: 32}}}},
			{Name: "hash_len", Type: u64},
		}}},
		{Name: "name", Type: &btf.Pointer{Target: &btf.Const{Type: uchar}}, Offset: 64},
	}}
	dentry := &btf.Struct{Name: "dentry", Size: 64, Members: []btf.Member{
		{Name: "d_flags", Type: u32}, {Name: "d_name", Type: qstr, Offset: 256},
	}}
	path := &btf.Struct{Name: "path", Size: 16, Members: []btf.Member{
		{Name: "mnt", Type: &btf.Pointer{Target: &btf.Struct{Name: "vfsmount"}}},
		{Name: "dentry", Type: &btf.Pointer{Target: dentry}, Offset: 64},
	}}
	return &btf.Struct{Name: "file", Size: 64, Members: []btf.Member{
		{Name: "f_mode", Type: u32}, {Name: "f_path", Type: path, Offset: 128},
		{Name: "f_pos", Type: &btf.Typedef{Name: "loff_t", Type: &btf.Int{Name: "long long int", Size: 8, Encoding: btf.Signed}}, Offset: 256},
	}}
}

// fakeVfsReadParams are vfs_read's parameters, as BTF types them.
func fakeVfsReadParams() []Param {
	char := &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	sizeT := &btf.Typedef{Name: "size_t", Type: &btf.Int{Name: "long unsigned int", Size: 8}}
	loff := &btf.Typedef{Name: "loff_t", Type: &btf.Int{Name: "long long int", Size: 8, Encoding: btf.Signed}}
	return []Param{
		{"file", &btf.Pointer{Target: fakeFile()}},
		{"buf", &btf.Pointer{Target: char}},
		{"count", sizeT},
		{"pos", &btf.Pointer{Target: loff}},
	}
}

// fakeIPRcvParams are ip_rcv()'s first two parameters: an sk_buff down
// to its len, and the receiving device.
func fakeIPRcvParams() []Param {
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	skb := &btf.Struct{Name: "sk_buff", Size: 232, Members: []btf.Member{
		{Name: "len", Type: u32, Offset: 112 * 8}, {Name: "data_len", Type: u32, Offset: 116 * 8},
	}}
	return []Param{
		{"skb", &btf.Pointer{Target: skb}},
		{"dev", &btf.Pointer{Target: &btf.Struct{Name: "net_device"}}},
	}
}

func (f *fakeEnv) KernelType(name string) (btf.Type, error) {
	if t, ok := fakeTypes()[name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("unknown type %s: it is not in the kernel's BTF", name)
}

func (f *fakeEnv) KernelAddr(name string) (uint64, error) {
	if name == "vfs_read" {
		return 0xffffffff81400000, nil
	}
	return 0, fmt.Errorf("kaddr(%q): no such kernel symbol", name)
}

func (f *fakeEnv) UserSymbol(binary, name string) (uint64, uint64, error) {
	if name == "fake_counter" {
		return 0x4c1000, 4, nil
	}
	return 0, 0, fmt.Errorf("no symbol %s in %s", name, binary)
}

func (f *fakeEnv) KernelEnum(name string) (int64, bool) {
	v, ok := map[string]int64{"TCP_CLOSE": 7, "TCP_LISTEN": 10}[name]
	return v, ok
}
