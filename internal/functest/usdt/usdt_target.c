/* test-program: pbx-usdt -O2 */
/* The USDT tests' traced program: after a line on stdin, it fires
 * pbx:tick N times with three arguments, and pbx:guarded only while
 * its semaphore says a tracer is attached. */
#define _SDT_HAS_SEMAPHORES 1
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>

/* Every note then names a semaphore; pbx:tick fires whatever its says,
 * pbx:guarded only when the kernel counted a tracer in. */
unsigned short pbx_tick_semaphore __attribute__((section(".probes")));
unsigned short pbx_guarded_semaphore __attribute__((section(".probes")));

static char names[3][16] = {"pbx-zero", "pbx-one", "pbx-two"};

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	char line[16];
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	for (int i = 0; i < n; i++) {
		long long big = -1000000000000LL * (i + 1);
		STAP_PROBE3(pbx, tick, i, big, names[i % 3]);
		if (pbx_guarded_semaphore)
			STAP_PROBE1(pbx, guarded, i + 100);
	}
	return 0;
}
