/* The bench's C workloads (built with gcc when the bench runs): the Go
 * helper cannot make C library calls or be a C program's function.
 * Usage: cworkload MODE COUNT; it says "ready" (libc is mapped), waits for
 * one byte on stdin (the tracer is attached), runs, and prints the Go helper's report line:
 * "ns=<elapsed> cpu=<its CPU time, ns> n=<produced> csw=<switches>".
 *   mallocloop: COUNT malloc(64)/free pairs through libc (memleak)
 *   callloop:   COUNT calls of pbx_hot, a function that does almost
 *               nothing (funccount on a user function) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timeval tv)
{
	return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

static long long cpu(struct rusage *r)
{
	return ns(r->ru_utime) + ns(r->ru_stime);
}

volatile long pbx_sink;

__attribute__((noinline)) void pbx_hot(long i)
{
	pbx_sink += i;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void pbx_malloc_free(void)
{
	char *volatile p = malloc(64);
	p[0] = 1;
	free(p);
}

int main(int argc, char **argv)
{
	struct rusage before, after;
	struct timespec t0, t1;
	long n, i;
	char go;

	if (argc != 3 || (n = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: cworkload mallocloop|callloop COUNT\n");
		return 2;
	}
	if (strcmp(argv[1], "mallocloop") && strcmp(argv[1], "callloop")) {
		fprintf(stderr, "cworkload: unknown mode %s\n", argv[1]);
		return 2;
	}
	puts("ready");
	fflush(stdout);
	if (read(0, &go, 1) != 1)
		return 1;
	getrusage(RUSAGE_SELF, &before);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!strcmp(argv[1], "mallocloop"))
		for (i = 0; i < n; i++)
			pbx_malloc_free();
	else
		for (i = 0; i < n; i++)
			pbx_hot(i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &after);
	printf("ns=%lld cpu=%lld n=%ld csw=%ld\n",
	       (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec),
	       cpu(&after) - cpu(&before), n,
	       (after.ru_nvcsw + after.ru_nivcsw) - (before.ru_nvcsw + before.ru_nivcsw));
	return 0;
}
