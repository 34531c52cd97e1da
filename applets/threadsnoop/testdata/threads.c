/* test-program: pbx-threads -O1 -pthread */
/* threadsnoop's live test target: after a line on stdin, starts one
 * thread in pbx_thread_main through the C library's pthread_create, joins
 * it, says "done" and waits for the end of stdin. */
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) void *pbx_thread_main(void *arg)
{
	return arg;
}

int main(void)
{
	char line[16];
	pthread_t t;

	puts("ready");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	if (pthread_create(&t, NULL, pbx_thread_main, NULL) != 0)
		return 2;
	pthread_join(t, NULL);
	puts("done");
	fflush(stdout);
	/* Stay until stdin closes: threadsnoop names the start function from
	 * the process's mappings, which go when it exits. */
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}
