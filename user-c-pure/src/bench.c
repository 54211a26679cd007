// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * bench: times the client's operations with CLOCK_MONOTONIC, inside the program,
 * and prints one machine-readable line (the same in the three clients):
 *
 *   bench client=c-pure mode=echo iterations=N size=S count=C batch=K total_ns=T
 *         mean_ns=M p50_ns=P p99_ns=Q min_ns=A max_ns=B item_ns=X.X
 *
 * One untimed operation runs first (page faults, first-use allocations), then N
 * timed ones. The clock is read once before the first and once after each
 * operation, so each sample includes one clock read, as does total_ns = the sum
 * of the samples. mean_ns = total_ns / N; p50/p99 are nearest-rank percentiles
 * of the N samples; item_ns = total_ns / (N * items per operation), an item
 * being a round trip (cycle, echo), a dump message (dump) or an echo (batch).
 */
#include "bench.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "client.h"
#include "gnl_foobar_xmpl.h"

#define PREFIX "[User-C-Pure]: "

/* Everything one run needs, allocated once before the clock starts. */
struct bench_run {
	struct bench_options opts;
	struct client c;
	char payload[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1];
	uint32_t sets;		/* made so far: each sets a count of its own */
	uint64_t *samples;
};

static void print_bench_usage(FILE *out)
{
	fputs("usage: user-c-pure bench cycle|echo|dump|batch|set [--iterations N] [--size BYTES]\n"
	      "                         [--count N] [--batch K]\n"
	      "Times N operations with CLOCK_MONOTONIC after one untimed one, and prints one line:\n"
	      "  bench client=c-pure mode=M iterations=N size=S count=C batch=K total_ns=T\n",
	      out);
	bench_print_common_usage(out);
}

/* A dump message: the client has checked its index and text already. */
static void count_dump_message(void *arg, uint32_t index, const char *msg)
{
	(void)arg;
	(void)index;
	(void)msg;
}

/* The full cycle: everything a one-shot program does, minus the process. */
static int run_cycle_once(struct bench_run *r)
{
	int failed = client_open(&r->c) || client_resolve_family(&r->c) ||
		     client_echo(&r->c, r->payload, NULL);

	return client_close(&r->c) || failed ? -1 : 0;
}

/*
 * One config-set, of a dump count that differs from the previous set's, so that
 * every notification it causes carries news.
 */
static int run_set_once(struct bench_run *r)
{
	uint32_t count = GNL_FOOBAR_XMPL_DUMP_MIN_COUNT + r->sets++ % 1000;
	struct nlm_config cfg;

	return client_config_set(&r->c, &count, NULL, &cfg);
}

/* One timed operation of the steady modes, on the already open socket. */
static int run_steady_once(struct bench_run *r)
{
	uint32_t received;

	switch (r->opts.mode) {
	case MODE_SET:
		return run_set_once(r);
	case MODE_ECHO:
		return client_echo(&r->c, r->payload, NULL);
	case MODE_DUMP:
		return client_dump(&r->c, 1, r->opts.count, NULL, count_dump_message, NULL,
				   &received);
	case MODE_BATCH:
		return client_echo_batch(&r->c, r->payload, r->opts.batch);
	case MODE_CYCLE:
		break;
	}
	return -1;
}

/* One operation of @arg, a struct bench_run, for bench_time(). */
static int run_once(void *arg)
{
	struct bench_run *r = arg;

	return r->opts.mode == MODE_CYCLE ? run_cycle_once(r) : run_steady_once(r);
}

/* Runs the benchmark of @r->opts; on failure the reason is in r->c.err. */
static int run_bench(struct bench_run *r)
{
	int failed;

	bench_fill_payload(r->payload, r->opts.size);
	r->c.fd = -1;
	r->c.err[0] = '\0';
	if (r->opts.mode != MODE_CYCLE &&
	    (client_open(&r->c) || client_resolve_family(&r->c))) {
		client_close(&r->c);
		return -1;
	}
	failed = bench_time(r->opts.iterations, r->samples, run_once, r);
	if (client_close(&r->c) || failed) {
		/* Only a failed clock read leaves no reason of the client's. */
		if (!r->c.err[0])
			snprintf(r->c.err, sizeof(r->c.err), "reading CLOCK_MONOTONIC failed: %s",
				 strerror(errno));
		return -1;
	}
	bench_print_summary("c-pure", &r->opts, r->samples);
	return 0;
}

int bench_main(int argc, char **argv)
{
	struct bench_run *r;
	int status, failed;

	r = calloc(1, sizeof(*r));
	if (!r) {
		fputs(PREFIX "error: out of memory\n", stderr);
		return EXIT_FAILURE;
	}
	status = bench_prepare(argc, argv, PREFIX, &r->opts, NULL, NULL, print_bench_usage,
			       &r->samples);
	if (status >= 0) {
		free(r);
		return status;
	}

	failed = run_bench(r);
	if (!failed && fflush(stdout)) {
		snprintf(r->c.err, sizeof(r->c.err), "writing the output failed: %s",
			 strerror(errno));
		failed = 1;
	}
	if (failed)
		fprintf(stderr, PREFIX "error: %s\n", r->c.err);
	free(r->samples);
	free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
