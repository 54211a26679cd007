// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * bench: times the client's operations with CLOCK_MONOTONIC, inside the program,
 * and prints one machine-readable line (the same in the three clients):
 *
 *   bench client=c-libnl-fast mode=echo iterations=N size=S count=C batch=K total_ns=T
 *         mean_ns=M p50_ns=P p99_ns=Q min_ns=A max_ns=B item_ns=X.X
 *
 * One untimed operation runs first (page faults, first-use allocations), then N
 * timed ones. The clock is read once before the first and once after each
 * operation, so each sample includes one clock read, as does total_ns = the sum
 * of the samples. mean_ns = total_ns / N; p50/p99 are nearest-rank percentiles
 * of the N samples; item_ns = total_ns / (N * items per operation), an item
 * being a round trip (cycle, echo), a dump message (dump) or an echo (batch).
 *
 * --fast (the default) and --libnl-defaults choose the socket configuration, as
 * for the other operations; the client is then named c-libnl-fast or
 * c-libnl-defaults.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime() under -std=c11 */

#include "bench.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gnl_foobar_xmpl.h"

#define PREFIX "[User-C-libnl]: "
#define EXIT_USAGE 2

/* Bounds of the options, the same in the three clients. */
#define MAX_ITERATIONS 1000000u
#define MAX_BATCH 1024u

enum bench_mode { MODE_CYCLE, MODE_ECHO, MODE_DUMP, MODE_BATCH };

static const char *const mode_names[] = {
	[MODE_CYCLE] = "cycle",
	[MODE_ECHO] = "echo",
	[MODE_DUMP] = "dump",
	[MODE_BATCH] = "batch",
};

struct bench_options {
	enum bench_mode mode;
	uint32_t iterations;
	uint32_t size;		/* echo payload bytes, without the NUL */
	uint32_t count;		/* messages per dump */
	uint32_t batch;		/* requests per datagram */
	bool libnl_defaults;	/* --libnl-defaults, else --fast */
};

struct bench_summary {
	uint64_t total_ns, mean_ns, p50_ns, p99_ns, min_ns, max_ns;
	double item_ns;
};

/* Everything one run needs, allocated once before the clock starts. */
struct bench_run {
	struct bench_options opts;
	struct bench_client c;
	char payload[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1];
	uint64_t *samples;
};

static void print_bench_usage(FILE *out)
{
	fprintf(out,
		"usage: user-c-libnl bench cycle|echo|dump|batch [--iterations N] [--size BYTES]\n"
		"                          [--count N] [--batch K] [--fast|--libnl-defaults]\n"
		"Times N operations with CLOCK_MONOTONIC after one untimed one, and prints one line:\n"
		"  bench client=c-libnl-fast|c-libnl-defaults mode=M iterations=N size=S count=C batch=K total_ns=T\n"
		"        mean_ns=M p50_ns=P p99_ns=Q min_ns=A max_ns=B item_ns=X\n"
		"  cycle           per operation: open a socket, resolve the family, echo, close\n"
		"  echo            one socket: echo round trips back to back\n"
		"  dump            one socket: a dump of --count messages (the kernel's text)\n"
		"  batch           one socket: --batch echo requests in one datagram, then their\n"
		"                  replies\n"
		"  --iterations N  timed operations, 1..%u (default 1000)\n"
		"  --size BYTES    cycle, echo, batch: GNL_FOOBAR_XMPL_A_MSG length without its\n"
		"                  NUL, 0..%d (default 16)\n"
		"  --count N       dump: messages per dump, %d..%d (default 100)\n"
		"  --batch K       batch: requests per datagram, 1..%u (default 8)\n"
		"  --fast          (default) no NLM_F_ACK, no MSG_PEEK\n"
		"  --libnl-defaults libnl's default socket: NLM_F_ACK and MSG_PEEK\n",
		MAX_ITERATIONS, GNL_FOOBAR_XMPL_MSG_MAX_LEN, GNL_FOOBAR_XMPL_DUMP_MIN_COUNT,
		GNL_FOOBAR_XMPL_DUMP_MAX_COUNT, MAX_BATCH);
}

__attribute__((format(printf, 1, 2)))
static int bench_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PREFIX "error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see bench --help)\n", stderr);
	return -1;
}

/* A decimal number from @min to @max, for option @name. */
static int parse_bounded(const char *name, const char *text, uint32_t min, uint32_t max,
			 uint32_t *value)
{
	unsigned long long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return bench_usage_error("%s needs a number from %u to %u, not '%s'",
					 name, min, max, text);
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return bench_usage_error("%s needs a number from %u to %u, not '%s'",
					 name, min, max, text);
	*value = (uint32_t)v;
	return 0;
}

static int parse_mode(const char *name, enum bench_mode *mode)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (!strcmp(name, mode_names[i])) {
			*mode = (enum bench_mode)i;
			return 0;
		}
	}
	return bench_usage_error("unknown mode '%s': expected cycle, echo, dump or batch", name);
}

/* Which options the command line gave, to refuse those the mode does not use. */
enum { GIVEN_SIZE = 1, GIVEN_COUNT = 2, GIVEN_BATCH = 4 };

/* Parses one "--name value" pair at @argv[*i]; advances *i past the value. */
static int parse_option(int argc, char **argv, int *i, struct bench_options *o,
			unsigned int *given)
{
	const char *name = argv[*i];

	if (*i + 1 >= argc)
		return bench_usage_error("%s needs a value", name);
	(*i)++;
	if (!strcmp(name, "--iterations"))
		return parse_bounded(name, argv[*i], 1, MAX_ITERATIONS, &o->iterations);
	if (!strcmp(name, "--size")) {
		*given |= GIVEN_SIZE;
		return parse_bounded(name, argv[*i], 0, GNL_FOOBAR_XMPL_MSG_MAX_LEN, &o->size);
	}
	if (!strcmp(name, "--count")) {
		*given |= GIVEN_COUNT;
		return parse_bounded(name, argv[*i], GNL_FOOBAR_XMPL_DUMP_MIN_COUNT,
				     GNL_FOOBAR_XMPL_DUMP_MAX_COUNT, &o->count);
	}
	if (!strcmp(name, "--batch")) {
		*given |= GIVEN_BATCH;
		return parse_bounded(name, argv[*i], 1, MAX_BATCH, &o->batch);
	}
	return bench_usage_error("unknown option '%s'", name);
}

/*
 * Returns 0 to run @o, 1 if --help was asked for, -1 after a usage error.
 * An option that the mode does not use is refused rather than ignored.
 */
static int parse_bench_args(int argc, char **argv, struct bench_options *o)
{
	unsigned int given = 0;
	int have_mode = 0;
	int i;

	*o = (struct bench_options){ .iterations = 1000, .size = 16, .count = 100, .batch = 8 };
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if (!strcmp(argv[i], "--fast")) {
			o->libnl_defaults = false;
		} else if (!strcmp(argv[i], "--libnl-defaults")) {
			o->libnl_defaults = true;
		} else if (argv[i][0] == '-') {
			if (parse_option(argc, argv, &i, o, &given))
				return -1;
		} else if (have_mode) {
			return bench_usage_error("unexpected argument '%s'", argv[i]);
		} else if (parse_mode(argv[i], &o->mode)) {
			return -1;
		} else {
			have_mode = 1;
		}
	}
	if (!have_mode)
		return bench_usage_error("no mode given: expected cycle, echo, dump or batch");
	if ((given & GIVEN_SIZE) && o->mode == MODE_DUMP)
		return bench_usage_error("--size applies to cycle, echo and batch only");
	if ((given & GIVEN_COUNT) && o->mode != MODE_DUMP)
		return bench_usage_error("--count applies to dump only");
	if ((given & GIVEN_BATCH) && o->mode != MODE_BATCH)
		return bench_usage_error("--batch applies to batch only");
	return 0;
}

static int now_ns(uint64_t *ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return -1;
	*ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return 0;
}

/* The --size bytes sent: "0123456789012...", so that a cut-off shows. */
static void fill_payload(char *buf, uint32_t size)
{
	uint32_t i;

	for (i = 0; i < size; i++)
		buf[i] = (char)('0' + i % 10);
	buf[size] = '\0';
}

/* The full cycle: everything a one-shot program does, minus the process. */
static int run_cycle_once(struct bench_run *r)
{
	int failed = bench_client_open(&r->c) || bench_client_echo(&r->c, r->payload);

	bench_client_close(&r->c);
	return failed ? -1 : 0;
}

/* One timed operation of the steady modes, on the already open socket. */
static int run_steady_once(struct bench_run *r)
{
	switch (r->opts.mode) {
	case MODE_ECHO:
		return bench_client_echo(&r->c, r->payload);
	case MODE_DUMP:
		return bench_client_dump(&r->c, r->opts.count);
	case MODE_BATCH:
		return bench_client_batch(&r->c, r->payload, r->opts.batch);
	case MODE_CYCLE:
		break;
	}
	return -1;
}

static int run_once(struct bench_run *r)
{
	return r->opts.mode == MODE_CYCLE ? run_cycle_once(r) : run_steady_once(r);
}

/* One untimed operation, then the timed ones, each sample into r->samples. */
static int run_timed(struct bench_run *r)
{
	uint64_t before, after;
	uint32_t i;

	if (run_once(r))
		return -1;
	if (now_ns(&before))
		goto clock_failed;
	for (i = 0; i < r->opts.iterations; i++) {
		if (run_once(r))
			return -1;
		if (now_ns(&after))
			goto clock_failed;
		r->samples[i] = after - before;
		before = after;
	}
	return 0;
clock_failed:
	fprintf(stderr, PREFIX "error: reading CLOCK_MONOTONIC failed: %s\n", strerror(errno));
	return -1;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile @pct of the @n sorted samples: the ceil(pct/100 * n)-th. */
static uint64_t percentile(const uint64_t *sorted, uint32_t n, uint32_t pct)
{
	uint64_t rank = ((uint64_t)pct * n + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

/* Sorts the samples and summarizes them; @items is the number of items per sample. */
static void summarize(uint64_t *samples, uint32_t n, uint32_t items, struct bench_summary *s)
{
	uint64_t total = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		total += samples[i];
	qsort(samples, n, sizeof(*samples), compare_u64);
	s->total_ns = total;
	s->mean_ns = total / n;
	s->p50_ns = percentile(samples, n, 50);
	s->p99_ns = percentile(samples, n, 99);
	s->min_ns = samples[0];
	s->max_ns = samples[n - 1];
	s->item_ns = (double)total / ((double)n * items);
}

static uint32_t items_per_operation(const struct bench_options *o)
{
	switch (o->mode) {
	case MODE_DUMP:
		return o->count;
	case MODE_BATCH:
		return o->batch;
	case MODE_CYCLE:
	case MODE_ECHO:
		break;
	}
	return 1;
}

static void print_summary(const struct bench_options *o, const struct bench_summary *s)
{
	int sends_msg = o->mode != MODE_DUMP;

	printf("bench client=%s mode=%s iterations=%u size=%u count=%u batch=%u"
	       " total_ns=%llu mean_ns=%llu p50_ns=%llu p99_ns=%llu min_ns=%llu max_ns=%llu"
	       " item_ns=%.1f\n",
	       o->libnl_defaults ? "c-libnl-defaults" : "c-libnl-fast", mode_names[o->mode],
	       o->iterations, sends_msg ? o->size : 0,
	       o->mode == MODE_DUMP ? o->count : 0, o->mode == MODE_BATCH ? o->batch : 1,
	       (unsigned long long)s->total_ns, (unsigned long long)s->mean_ns,
	       (unsigned long long)s->p50_ns, (unsigned long long)s->p99_ns,
	       (unsigned long long)s->min_ns, (unsigned long long)s->max_ns, s->item_ns);
}

/* Runs the benchmark of @r->opts; reports any failure once, on stderr. */
static int run_bench(struct bench_run *r)
{
	struct bench_summary s;
	int failed;

	fill_payload(r->payload, r->opts.size);
	r->c = (struct bench_client){ .sk = NULL, .libnl_defaults = r->opts.libnl_defaults };
	if (r->opts.mode != MODE_CYCLE && bench_client_open(&r->c)) {
		bench_client_close(&r->c);
		return -1;
	}
	failed = run_timed(r);
	bench_client_close(&r->c);
	if (failed)
		return -1;
	summarize(r->samples, r->opts.iterations, items_per_operation(&r->opts), &s);
	print_summary(&r->opts, &s);
	return 0;
}

int bench_main(int argc, char **argv)
{
	struct bench_run *r;
	int failed;

	r = calloc(1, sizeof(*r));
	if (!r) {
		fputs(PREFIX "error: out of memory\n", stderr);
		return EXIT_FAILURE;
	}
	switch (parse_bench_args(argc, argv, &r->opts)) {
	case 1:
		free(r);
		print_bench_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	case -1:
		free(r);
		return EXIT_USAGE;
	}
	r->samples = calloc(r->opts.iterations, sizeof(*r->samples));
	if (!r->samples) {
		free(r);
		fputs(PREFIX "error: out of memory for the samples\n", stderr);
		return EXIT_FAILURE;
	}

	failed = run_bench(r);
	if (!failed && fflush(stdout)) {
		fprintf(stderr, PREFIX "error: writing to stdout: %s\n", strerror(errno));
		failed = 1;
	}
	free(r->samples);
	free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
