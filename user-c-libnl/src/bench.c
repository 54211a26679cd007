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
#include "bench.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "client.h"
#include "gnl_foobar_xmpl.h"

#define PREFIX "[User-C-libnl]: "

/* Everything one run needs, allocated once before the clock starts. */
struct bench_run {
	struct bench_options opts;
	bool libnl_defaults;	/* --libnl-defaults, else --fast */
	struct client c;
	char payload[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1];
	uint32_t sets;		/* made so far: each sets a count of its own */
	uint64_t *samples;
};

static void print_bench_usage(FILE *out)
{
	fputs("usage: user-c-libnl bench cycle|echo|dump|batch|set [--iterations N] [--size BYTES]\n"
	      "                          [--count N] [--batch K] [--fast|--libnl-defaults]\n"
	      "Times N operations with CLOCK_MONOTONIC after one untimed one, and prints one line:\n"
	      "  bench client=c-libnl-fast|c-libnl-defaults mode=M iterations=N size=S count=C batch=K total_ns=T\n",
	      out);
	bench_print_common_usage(out);
	fputs("  --fast          (default) no NLM_F_ACK, no MSG_PEEK\n"
	      "  --libnl-defaults libnl's default socket: NLM_F_ACK and MSG_PEEK\n",
	      out);
}

/* --fast and --libnl-defaults, for bench_prepare(); sets the bool @libnl_defaults. */
static int parse_socket_flag(const char *arg, void *libnl_defaults)
{
	if (!strcmp(arg, "--fast")) {
		*(bool *)libnl_defaults = false;
		return 1;
	}
	if (!strcmp(arg, "--libnl-defaults")) {
		*(bool *)libnl_defaults = true;
		return 1;
	}
	return 0;
}

/* The socket configuration of this run. */
static const struct client_config *run_config(const struct bench_run *r)
{
	return r->libnl_defaults ? &client_libnl_default_config : &client_fast_config;
}

/* The full cycle: everything a one-shot program does, minus the process. */
static int run_cycle_once(struct bench_run *r)
{
	int failed = client_open(&r->c, run_config(r)) || client_resolve_family(&r->c) ||
		     client_echo(&r->c, r->payload, NULL, NULL);

	client_close(&r->c);
	return failed ? -1 : 0;
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
	unsigned int received;

	switch (r->opts.mode) {
	case MODE_SET:
		return run_set_once(r);
	case MODE_ECHO:
		return client_echo(&r->c, r->payload, NULL, NULL);
	case MODE_DUMP:
		return client_dump(&r->c, NULL, &r->opts.count, NULL, NULL, &received);
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

/* Runs the benchmark of @r->opts; reports any failure once, on stderr. */
static int run_bench(struct bench_run *r)
{
	int failed = 0;

	bench_fill_payload(r->payload, r->opts.size);
	r->c = (struct client){ .sk = NULL };
	if (r->opts.mode != MODE_CYCLE)
		failed = client_open(&r->c, run_config(r)) || client_resolve_family(&r->c);
	if (!failed)
		failed = bench_time(r->opts.iterations, r->samples, run_once, r);
	client_close(&r->c);
	if (failed == BENCH_CLOCK_FAILED)
		fprintf(stderr, PREFIX "error: reading CLOCK_MONOTONIC failed: %s\n",
			strerror(errno));
	else if (failed)
		fprintf(stderr, PREFIX "error: %s\n", r->c.err);
	if (failed)
		return -1;
	bench_print_summary(r->libnl_defaults ? "c-libnl-defaults" : "c-libnl-fast", &r->opts,
			    r->samples);
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
	status = bench_prepare(argc, argv, PREFIX, &r->opts, parse_socket_flag,
			       &r->libnl_defaults, print_bench_usage, &r->samples);
	if (status >= 0) {
		free(r);
		return status;
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
