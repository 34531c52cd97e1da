/* test-program: pbx-resolver -O1 */
/* gethostlatency's live test target: after a line on stdin, resolves
 * "localhost" (from /etc/hosts: no network) with getaddrinfo,
 * gethostbyname and gethostbyname2, says which succeeded, and waits for
 * the end of stdin. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int main(void)
{
	struct addrinfo hints, *res = NULL;
	char line[16];
	int gai;

	puts("ready");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	gai = getaddrinfo("localhost", NULL, &hints, &res);
	if (res)
		freeaddrinfo(res);
	printf("%d %d %d\n", gai, gethostbyname("localhost") != NULL,
	       gethostbyname2("localhost", AF_INET) != NULL);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}
