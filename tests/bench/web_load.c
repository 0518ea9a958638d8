/*
 * web_load - the web server's figures for `make bench`: the bot runs as it
 * would (drillbot console, its web server on a free port), and 50
 * keep-alive clients on one poll loop ask for pages as fast as it
 * answers. Printed per page: requests/s, latency p50/p99 (request written
 * to response read), the server's CPU time per 1,000 requests; at the end
 * its peak RSS. Usage: web_load DRILLBOT_BINARY [SECONDS_PER_PHASE]
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLIENTS  50
#define RESP_MAX (256 * 1024)
#define LAT_MAX  (4 * 1024 * 1024)

struct client {
	int fd;
	char buf[RESP_MAX];
	size_t len;
	int64_t sent_at;
};

struct server {
	pid_t pid;
	int in;  /* the console's stdin, kept open so it keeps running */
	int out; /* its stdout, to read the private link */
	int port;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "web_load: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The server's user+system CPU time in clock ticks, from /proc. */
static long cpu_ticks(pid_t pid)
{
	char path[64], line[1024];
	unsigned long ut = 0, st = 0;
	FILE *f;
	char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
		if (f != NULL)
			fclose(f);
		return 0;
	}
	fclose(f);
	p = strrchr(line, ')'); /* the command name may hold spaces */
	if (p == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	return (long)(ut + st);
}

static long peak_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Reads the child's stderr until the "web pages on" line gives the port. */
static int read_port(int fd)
{
	char buf[8192];
	size_t len = 0;
	int64_t end = now_ns() + 10 * 1000000000LL;

	while (now_ns() < end && len < sizeof(buf) - 1) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;
		char *at;
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		at = strstr(buf, "web pages on http://127.0.0.1:");
		if (at != NULL)
			return atoi(at + strlen("web pages on http://127.0.0.1:"));
	}
	fprintf(stderr, "web_load: the bot printed no \"web pages on\" line:\n%s\n", buf);
	exit(1);
}

static void start(struct server *s, const char *bin, const char *dir)
{
	int in[2], out[2], err[2];
	char db[512], cfg[512];

	snprintf(db, sizeof(db), "%s/bench.db", dir);
	snprintf(cfg, sizeof(cfg), "%s/none.ini", dir);
	fclose(fopen(cfg, "w"));
	if (pipe(in) || pipe(out) || pipe(err))
		die("pipe");
	s->pid = fork();
	if (s->pid < 0)
		die("fork");
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		/* Without this the child holds its own stdin's write end, and never sees EOF. */
		close(in[1]);
		close(out[0]);
		close(err[0]);
		setenv("DRILLBOT_DATABASE", db, 1);
		setenv("DRILLBOT_CONFIG", cfg, 1);
		setenv("DRILLBOT_WEB_LISTEN", "127.0.0.1:0", 1);
		execl(bin, bin, "console", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	s->in = in[1];
	s->out = out[0];
	s->port = read_port(err[0]);
	close(err[0]);
}

/* Asks the console for /stats and returns the private page's path. */
static void me_path(struct server *s, char *path, size_t size)
{
	static const char cmd[] = "/stats\n";
	char buf[16384];
	size_t len = 0;
	int64_t end = now_ns() + 10 * 1000000000LL;

	if (write(s->in, cmd, sizeof(cmd) - 1) != (ssize_t)(sizeof(cmd) - 1))
		die("write to the console");
	while (now_ns() < end && len < sizeof(buf) - 1) {
		struct pollfd p = {s->out, POLLIN, 0};
		ssize_t n;
		char *at;
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(s->out, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		at = strstr(buf, "/me/");
		if (at != NULL && strpbrk(at, " \n") != NULL) {
			snprintf(path, size, "%.*s", (int)strcspn(at, " \n"), at);
			return;
		}
	}
	fprintf(stderr, "web_load: /stats gave no private link\n");
	exit(1);
}

static int connect_to(int port)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		die("connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Length of a complete response at the start of buf, or 0 if more is to come. */
static size_t complete(const char *buf, size_t len, int *status)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4);
	const char *p;
	size_t head, body = 0;

	if (end == NULL)
		return 0;
	head = (size_t)(end - buf) + 4;
	*status = atoi(buf + 9);
	for (p = buf; p < end; p = strchr(p, '\n') + 1) {
		if (strncasecmp(p, "content-length:", 15) == 0)
			body = (size_t)strtoul(p + 15, NULL, 10);
		if (strchr(p, '\n') == NULL || strchr(p, '\n') > end)
			break;
	}
	return len >= head + body ? head + body : 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/*
 * A person at the console while the pages are loaded: /stats every 20 ms,
 * timed from the line written to the end of its reply ("Type a number",
 * the buttons' prompt). The console and the web server share one loop.
 */
struct probe {
	int in, out;
	char buf[65536];
	size_t len;
	int64_t sent_at, next_at;
	int64_t lat[100000];
	size_t n;
};

static void probe_tick(struct probe *pr, int64_t now)
{
	static const char cmd[] = "/stats\n";

	if (pr->sent_at != 0 || now < pr->next_at)
		return;
	if (write(pr->in, cmd, sizeof(cmd) - 1) != (ssize_t)(sizeof(cmd) - 1))
		die("write to the console");
	pr->sent_at = now;
}

static void probe_read(struct probe *pr)
{
	ssize_t r = read(pr->out, pr->buf + pr->len, sizeof(pr->buf) - 1 - pr->len);

	if (r <= 0)
		die("read from the console");
	pr->len += (size_t)r;
	pr->buf[pr->len] = '\0';
	if (strstr(pr->buf, "Type a number") == NULL) {
		if (pr->len > sizeof(pr->buf) / 2)
			pr->len = 0; /* a reply is far smaller; never overflow */
		return;
	}
	if (pr->sent_at != 0 && pr->n < sizeof(pr->lat) / sizeof(pr->lat[0]))
		pr->lat[pr->n++] = now_ns() - pr->sent_at;
	pr->sent_at = 0;
	pr->next_at = now_ns() + 20 * 1000000;
	pr->len = 0;
}

static void probe_print(struct probe *pr, const char *when)
{
	qsort(pr->lat, pr->n, sizeof(pr->lat[0]), cmp_i64);
	if (pr->n > 0)
		printf("  console /stats %-18s p50 %6.3f ms  p99 %6.3f ms  (%zu replies)\n", when,
		       (double)pr->lat[pr->n / 2] / 1e6, (double)pr->lat[pr->n * 99 / 100] / 1e6,
		       pr->n);
	pr->n = 0;
}

/* The console alone, for the figure under load to be compared with. */
static void probe_idle(struct probe *pr, double seconds)
{
	int64_t end = now_ns() + (int64_t)(seconds * 1e9);

	while (now_ns() < end) {
		struct pollfd p = {pr->out, POLLIN, 0};
		probe_tick(pr, now_ns());
		if (poll(&p, 1, 5) > 0)
			probe_read(pr);
	}
	probe_print(pr, "with no page load");
}

/* One phase: CLIENTS connections asking for req until seconds have passed. */
static void phase(const struct server *s, const char *name, const char *req, int want,
                  double seconds, struct probe *pr)
{
	static struct client c[CLIENTS];
	static int64_t lat[LAT_MAX];
	struct pollfd p[CLIENTS + 1];
	size_t n = 0, reqlen = strlen(req), wrong = 0;
	int64_t t0, end;
	long cpu0;
	int i;

	for (i = 0; i < CLIENTS; i++) {
		c[i].fd = connect_to(s->port);
		c[i].len = 0;
	}
	cpu0 = cpu_ticks(s->pid);
	t0 = now_ns();
	end = t0 + (int64_t)(seconds * 1e9);
	for (i = 0; i < CLIENTS; i++) {
		c[i].sent_at = now_ns();
		if (write(c[i].fd, req, reqlen) != (ssize_t)reqlen)
			die("write");
	}
	while (now_ns() < end) {
		for (i = 0; i < CLIENTS; i++)
			p[i] = (struct pollfd){c[i].fd, POLLIN, 0};
		p[CLIENTS] = (struct pollfd){pr != NULL ? pr->out : -1, POLLIN, 0};
		if (pr != NULL)
			probe_tick(pr, now_ns());
		if (poll(p, CLIENTS + 1, 5) < 0)
			die("poll");
		if (pr != NULL && (p[CLIENTS].revents & POLLIN))
			probe_read(pr);
		for (i = 0; i < CLIENTS; i++) {
			ssize_t r;
			size_t whole;
			int status = 0;
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(c[i].fd, c[i].buf + c[i].len, sizeof(c[i].buf) - c[i].len);
			if (r <= 0) {
				fprintf(stderr, "web_load: %s: the server closed a connection\n",
				        name);
				exit(1);
			}
			c[i].len += (size_t)r;
			whole = complete(c[i].buf, c[i].len, &status);
			if (whole == 0)
				continue;
			if (n < LAT_MAX)
				lat[n++] = now_ns() - c[i].sent_at;
			wrong += status != want;
			memmove(c[i].buf, c[i].buf + whole, c[i].len - whole);
			c[i].len -= whole;
			c[i].sent_at = now_ns();
			if (write(c[i].fd, req, reqlen) != (ssize_t)reqlen)
				die("write");
		}
	}
	{
		double secs = (double)(now_ns() - t0) / 1e9;
		double cpu = (double)(cpu_ticks(s->pid) - cpu0) / (double)sysconf(_SC_CLK_TCK);
		qsort(lat, n, sizeof(lat[0]), cmp_i64);
		printf("%-34s %8.0f req/s  p50 %6.3f ms  p99 %6.3f ms  server CPU %.3f s/1000"
		       "%s\n",
		       name, (double)n / secs, n ? (double)lat[n / 2] / 1e6 : 0,
		       n ? (double)lat[n * 99 / 100] / 1e6 : 0, n ? cpu * 1000.0 / (double)n : 0,
		       wrong ? "  (UNEXPECTED STATUS)" : "");
		if (wrong)
			fprintf(stderr, "web_load: %s: %zu responses were not %d\n", name, wrong,
			        want);
	}
	for (i = 0; i < CLIENTS; i++)
		close(c[i].fd);
	if (pr != NULL)
		probe_print(pr, "meanwhile");
}

/* The ETag of a page, for the conditional phase. */
static void etag_of(const struct server *s, const char *path, char *out, size_t size)
{
	char req[512], buf[RESP_MAX];
	size_t len = 0;
	int fd = connect_to(s->port), status;
	char *e;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		die("write");
	while (complete(buf, len, &status) == 0) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r <= 0)
			die("read");
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(fd);
	e = strcasestr(buf, "\r\netag: ");
	if (e == NULL) {
		fprintf(stderr, "web_load: %s has no ETag\n", path);
		exit(1);
	}
	e += 8;
	snprintf(out, size, "%.*s", (int)strcspn(e, "\r"), e);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/drillbot-web-load-XXXXXX", etag[128], me[256], req[1024], rm[512];
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	static struct probe pr;
	struct server s;
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: web_load DRILLBOT_BINARY [SECONDS_PER_PHASE]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(dir) == NULL)
		die("mkdtemp");
	start(&s, argv[1], dir);
	me_path(&s, me, sizeof(me));
	etag_of(&s, "/q/caching-stampede", etag, sizeof(etag));
	printf("%d keep-alive clients, %.0f s a page, one server process on 127.0.0.1\n", CLIENTS,
	       secs);
	pr.in = s.in;
	pr.out = s.out;
	probe_idle(&pr, 1.0);
	phase(&s, "GET /q/caching-stampede",
	      "GET /q/caching-stampede HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200, secs, &pr);
	snprintf(req, sizeof(req),
	         "GET /q/caching-stampede HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: "
	         "%s\r\n\r\n",
	         etag);
	phase(&s, "GET /q/caching-stampede (304)", req, 304, secs, NULL);
	phase(&s, "GET / (index)", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200, secs, NULL);
	phase(&s, "GET /search?q=cache+stampede",
	      "GET /search?q=cache+stampede HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200, secs, NULL);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", me);
	phase(&s, "GET /me/<token> (store, SVG)", req, 200, secs, &pr);
	phase(&s, "GET /healthz", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200, secs,
	      NULL);
	printf("server peak RSS %.1f MB\n", (double)peak_rss_kb(s.pid) / 1024.0);
	close(s.in); /* end of input: the console quits */
	waitpid(s.pid, &status, 0);
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "web_load: could not remove %s\n", dir);
	return 0;
}
