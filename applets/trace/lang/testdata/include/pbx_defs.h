#ifndef PBX_DEFS_H
#define PBX_DEFS_H
#define PBX_LIMIT 42
struct pbx_pair {
	unsigned int first;
	long second;
	struct pbx_pair *next;
};
#endif
