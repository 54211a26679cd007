// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * bench_common: options, timing and statistics of the C clients' bench mode; see
 * bench_common.h. Each sample includes one CLOCK_MONOTONIC read, and total_ns is
 * the sum of the samples; p50/p99 are nearest-rank percentiles.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime() under -std=c11 */

#include "bench_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gnl_foobar_xmpl.h"

static const char *const mode_names[] = {
	[MODE_CYCLE] = "cycle",
	[MODE_ECHO] = "echo",
	[MODE_DUMP] = "dump",
	[MODE_BATCH] = "batch",
	[MODE_SET] = "set",
};

struct bench_summary {
	uint64_t total_ns, mean_ns, p50_ns, p99_ns, min_ns, max_ns;
	double item_ns;
};

void bench_print_common_usage(FILE *out)
{
	fprintf(out,
		"        mean_ns=M p50_ns=P p99_ns=Q min_ns=A max_ns=B item_ns=X\n"
		"  cycle           per operation: open a socket, resolve the family, echo, close\n"
		"  echo            one socket: echo round trips back to back\n"
		"  dump            one socket: a dump of --count messages (the kernel's text)\n"
		"  batch           one socket: --batch echo requests in one datagram, then their\n"
		"                  replies\n"
		"  set             one socket: config-sets of a new dump count each (with\n"
		"                  NLM_F_ECHO, as the set operation sends them): the sender of\n"
		"                  the notification measurement; needs CAP_NET_ADMIN\n"
		"  --iterations N  timed operations, 1..%u (default 1000)\n"
		"  --size BYTES    cycle, echo, batch: GNL_FOOBAR_XMPL_A_MSG length without its\n"
		"                  NUL, 0..%d (default 16)\n"
		"  --count N       dump: messages per dump, %d..%d (default 100)\n"
		"  --batch K       batch: requests per datagram, 1..%u (default 8)\n",
		BENCH_MAX_ITERATIONS, GNL_FOOBAR_XMPL_MSG_MAX_LEN, GNL_FOOBAR_XMPL_DUMP_MIN_COUNT,
		GNL_FOOBAR_XMPL_DUMP_MAX_COUNT, BENCH_MAX_BATCH);
}

__attribute__((format(printf, 2, 3)))
static int bench_usage_error(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	fputs(prefix, stderr);
	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see bench --help)\n", stderr);
	return -1;
}

/* A decimal number from @min to @max, for option @name. */
static int parse_bounded(const char *prefix, const char *name, const char *text, uint32_t min,
			 uint32_t max, uint32_t *value)
{
	unsigned long long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return bench_usage_error(prefix, "%s needs a number from %u to %u, not '%s'",
					 name, min, max, text);
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return bench_usage_error(prefix, "%s needs a number from %u to %u, not '%s'",
					 name, min, max, text);
	*value = (uint32_t)v;
	return 0;
}

static int parse_mode(const char *prefix, const char *name, enum bench_mode *mode)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (!strcmp(name, mode_names[i])) {
			*mode = (enum bench_mode)i;
			return 0;
		}
	}
	return bench_usage_error(prefix,
				 "unknown mode '%s': expected cycle, echo, dump, batch or set", name);
}

/* Which options the command line gave, to refuse those the mode does not use. */
enum { GIVEN_SIZE = 1, GIVEN_COUNT = 2, GIVEN_BATCH = 4 };

/* Parses one "--name value" pair at @argv[*i]; advances *i past the value. */
static int parse_option(const char *prefix, int argc, char **argv, int *i,
			struct bench_options *o, unsigned int *given)
{
	const char *name = argv[*i];

	if (*i + 1 >= argc)
		return bench_usage_error(prefix, "%s needs a value", name);
	(*i)++;
	if (!strcmp(name, "--iterations"))
		return parse_bounded(prefix, name, argv[*i], 1, BENCH_MAX_ITERATIONS,
				     &o->iterations);
	if (!strcmp(name, "--size")) {
		*given |= GIVEN_SIZE;
		return parse_bounded(prefix, name, argv[*i], 0, GNL_FOOBAR_XMPL_MSG_MAX_LEN,
				     &o->size);
	}
	if (!strcmp(name, "--count")) {
		*given |= GIVEN_COUNT;
		return parse_bounded(prefix, name, argv[*i], GNL_FOOBAR_XMPL_DUMP_MIN_COUNT,
				     GNL_FOOBAR_XMPL_DUMP_MAX_COUNT, &o->count);
	}
	if (!strcmp(name, "--batch")) {
		*given |= GIVEN_BATCH;
		return parse_bounded(prefix, name, argv[*i], 1, BENCH_MAX_BATCH, &o->batch);
	}
	return bench_usage_error(prefix, "unknown option '%s'", name);
}

/*
 * Returns 0 to run @o, 1 if --help was asked for, -1 after a usage error.
 * An option that the mode does not use is refused rather than ignored.
 */
static int bench_parse_args(int argc, char **argv, const char *prefix, struct bench_options *o,
		     bench_client_flag_fn client_flag, void *ctx)
{
	unsigned int given = 0;
	int have_mode = 0;
	int i;

	*o = (struct bench_options){ .iterations = 1000, .size = 16, .count = 100, .batch = 8 };
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if (client_flag && client_flag(argv[i], ctx)) {
			continue;
		} else if (argv[i][0] == '-') {
			if (parse_option(prefix, argc, argv, &i, o, &given))
				return -1;
		} else if (have_mode) {
			return bench_usage_error(prefix, "unexpected argument '%s'", argv[i]);
		} else if (parse_mode(prefix, argv[i], &o->mode)) {
			return -1;
		} else {
			have_mode = 1;
		}
	}
	if (!have_mode)
		return bench_usage_error(prefix,
					 "no mode given: expected cycle, echo, dump, batch or set");
	if ((given & GIVEN_SIZE) && (o->mode == MODE_DUMP || o->mode == MODE_SET))
		return bench_usage_error(prefix, "--size applies to cycle, echo and batch only");
	if ((given & GIVEN_COUNT) && o->mode != MODE_DUMP)
		return bench_usage_error(prefix, "--count applies to dump only");
	if ((given & GIVEN_BATCH) && o->mode != MODE_BATCH)
		return bench_usage_error(prefix, "--batch applies to batch only");
	return 0;
}

int bench_prepare(int argc, char **argv, const char *prefix, struct bench_options *o,
		  bench_client_flag_fn client_flag, void *ctx, void (*print_usage)(FILE *out),
		  uint64_t **samples)
{
	switch (bench_parse_args(argc, argv, prefix, o, client_flag, ctx)) {
	case 1:
		print_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	case -1:
		return BENCH_EXIT_USAGE;
	}
	*samples = calloc(o->iterations, sizeof(**samples));
	if (!*samples) {
		fprintf(stderr, "%serror: out of memory for the samples\n", prefix);
		return EXIT_FAILURE;
	}
	return -1;
}

static int now_ns(uint64_t *ns)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return -1;
	*ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return 0;
}

void bench_fill_payload(char *buf, uint32_t size)
{
	uint32_t i;

	for (i = 0; i < size; i++)
		buf[i] = (char)('0' + i % 10);
	buf[size] = '\0';
}

/* The clock is read once before the first timed operation and once after each. */
int bench_time(uint32_t iterations, uint64_t *samples, int (*op)(void *arg), void *arg)
{
	uint64_t before, after;
	uint32_t i;

	if (op(arg))
		return BENCH_OP_FAILED;
	if (now_ns(&before))
		return BENCH_CLOCK_FAILED;
	for (i = 0; i < iterations; i++) {
		if (op(arg))
			return BENCH_OP_FAILED;
		if (now_ns(&after))
			return BENCH_CLOCK_FAILED;
		samples[i] = after - before;
		before = after;
	}
	return 0;
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

/* An item is a round trip (cycle, echo), a dump message (dump) or an echo (batch). */
static uint32_t items_per_operation(const struct bench_options *o)
{
	switch (o->mode) {
	case MODE_DUMP:
		return o->count;
	case MODE_BATCH:
		return o->batch;
	case MODE_CYCLE:
	case MODE_ECHO:
	case MODE_SET:
		break;
	}
	return 1;
}

void bench_print_summary(const char *client, const struct bench_options *o, uint64_t *samples)
{
	int sends_msg = o->mode != MODE_DUMP && o->mode != MODE_SET;
	struct bench_summary s;

	summarize(samples, o->iterations, items_per_operation(o), &s);
	printf("bench client=%s mode=%s iterations=%u size=%u count=%u batch=%u"
	       " total_ns=%llu mean_ns=%llu p50_ns=%llu p99_ns=%llu min_ns=%llu max_ns=%llu"
	       " item_ns=%.1f\n",
	       client, mode_names[o->mode], o->iterations, sends_msg ? o->size : 0,
	       o->mode == MODE_DUMP ? o->count : 0, o->mode == MODE_BATCH ? o->batch : 1,
	       (unsigned long long)s.total_ns, (unsigned long long)s.mean_ns,
	       (unsigned long long)s.p50_ns, (unsigned long long)s.p99_ns,
	       (unsigned long long)s.min_ns, (unsigned long long)s.max_ns, s.item_ns);
}
