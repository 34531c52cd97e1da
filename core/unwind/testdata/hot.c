/* The unwinder's test program: built -O2 -fomit-frame-pointer, it spends
 * its time in cmp_hot, which libc's qsort calls, so a stack sampled there
 * crosses code without frame pointers on both sides of libc. With the
 * argument "block", qsort's comparator is cmp_block instead, which reads
 * stdin a byte at a time (blocked off-CPU in read until the test writes)
 * and exits at its end. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned sink;
static int blocking;

__attribute__((noinline)) static int cmp_hot(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b, h = x ^ y;
	for (int i = 0; i < 64; i++) /* the hot loop */
		h = h * 2654435761u + (unsigned)i;
	sink = h;
	return (x > y) - (x < y);
}

__attribute__((noinline)) static int cmp_block(const void *a, const void *b)
{
	char c;

	if (read(0, &c, 1) != 1)
		exit(0);
	return (*(const unsigned *)a > *(const unsigned *)b) - (*(const unsigned *)a < *(const unsigned *)b);
}

__attribute__((noinline)) static void sort_round(unsigned *v, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (seed = seed * 1103515245u + 12345u);
	qsort(v, n, sizeof(*v), blocking ? cmp_block : cmp_hot);
}

int main(int argc, char **argv)
{
	static unsigned v[4096];
	unsigned seed = (unsigned)getpid();
	long rounds = -1;

	if (argc > 1 && strcmp(argv[1], "block") == 0)
		blocking = 1;
	else if (argc > 1)
		rounds = atol(argv[1]);

	for (long r = 0; rounds < 0 || r < rounds; r++)
		sort_round(v, sizeof(v) / sizeof(v[0]), seed + (unsigned)r);
	return 0;
}
