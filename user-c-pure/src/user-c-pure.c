// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * user-c-pure: a client of the gnl_foobar_xmpl Generic Netlink family that
 * speaks to the kernel over a raw AF_NETLINK socket, with no netlink library.
 *
 * Every run: open a NETLINK_GENERIC socket, ask the controller ("nlctrl") for
 * the family's id, then send one request of that family (echo, dump, the
 * command that always fails, config get or set) and check every message of the
 * answer, or listen to the family's config notifications. The
 * protocol code is in client.c; this file is the command line and the output.
 * "user-c-pure bench ..." runs the benchmark instead (bench.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "client.h"
#include "gnl_foobar_xmpl.h"

#define PREFIX "[User-C-Pure]: "
#define DEFAULT_MSG "Hello from User-C-Pure"
#define EXIT_USAGE 2

enum operation { OP_ECHO, OP_DUMP, OP_ERROR, OP_GET, OP_SET, OP_LISTEN };

struct options {
	enum operation op;
	const char *msg;	/* NULL: send no GNL_FOOBAR_XMPL_A_MSG (set: no _CONFIG_DUMP_MSG) */
	int has_count;
	uint32_t count;		/* dump, set: the count sent; listen: events to wait for */
};

/* ---- The three operations, with their output ---- */

static int run_echo(struct client *c, const struct options *opts)
{
	const char *reply;

	if (opts->msg)
		printf(PREFIX "Sending to kernel: '%s'\n", opts->msg);
	if (client_echo(c, opts->msg, &reply))
		return -1;
	printf(PREFIX "Received from kernel: '%s'\n", reply);
	return 0;
}

/* Prints each dump message as it arrives: even the largest dump needs one buffer. */
static void print_dump_message(void *arg, uint32_t index, const char *msg)
{
	(void)arg;
	printf(PREFIX "dump message %u: '%s'\n", index, msg);
}

static int run_dump(struct client *c, const struct options *opts)
{
	uint32_t received = 0;

	if (client_dump(c, opts->has_count, opts->count, opts->msg, print_dump_message, NULL,
			&received))
		return -1;
	printf(PREFIX "dump done, %u message%s\n", received, received == 1 ? "" : "s");
	return 0;
}

/* The kernel's error is this operation's expected result: it succeeds if one comes. */
static int run_error(struct client *c, const struct options *opts)
{
	char status[320], attrs[96];
	struct nlm_ack ack;

	if (client_error(c, opts->msg, &ack))
		return -1;
	client_describe_status(&ack, status, sizeof(status));
	printf(PREFIX "Kernel replied with error %s\n", status);
	client_describe_attrs(c, &ack, attrs, sizeof(attrs));
	if (attrs[0])
		printf(PREFIX "The extended ACK %s\n", attrs);
	return 0;
}

static void print_config(const char *what, const struct nlm_config *cfg)
{
	printf(PREFIX "%s: dump-count %u, dump-msg '%s'\n", what, cfg->dump_count, cfg->dump_msg);
}

static int run_get(struct client *c, const struct options *opts)
{
	struct nlm_config cfg;

	(void)opts;
	if (client_config_get(c, &cfg))
		return -1;
	print_config("config", &cfg);
	return 0;
}

static int run_set(struct client *c, const struct options *opts)
{
	struct nlm_config cfg;

	if (client_config_set(c, opts->has_count ? &opts->count : NULL, opts->msg, &cfg))
		return -1;
	print_config("config set", &cfg);
	return 0;
}

/*
 * After lost notifications, the config is read again on a socket of its own:
 * on the listening one, the reply would queue among notifications.
 */
static int print_config_now(struct client *listener)
{
	struct nlm_config cfg;
	struct client c;
	int failed;

	failed = client_open(&c) || client_resolve_family(&c) || client_config_get(&c, &cfg);
	if (!failed)
		print_config("config now", &cfg);
	else
		snprintf(listener->err, sizeof(listener->err), "re-reading the config: %.480s",
			 c.err);
	(void)client_close(&c);
	return failed ? -1 : 0;
}

/* Prints every notification; with --count, stops after that many received or lost. */
static int run_listen(struct client *c, const struct options *opts)
{
	uint64_t received = 0, lost = 0;
	struct client_event ev;

	if (client_listen_start(c))
		return -1;
	printf(PREFIX "listening to group '%s' (id %u)\n", GNL_FOOBAR_XMPL_MCGRP_CONFIG,
	       c->config_group);
	while (!opts->has_count || received + lost < opts->count) {
		if (client_listen_next(c, &ev))
			return -1;
		if (ev.kind == CLIENT_EVENT_CONFIG) {
			received++;
			printf(PREFIX "notification: dump-count %u, dump-msg '%s' "
			       "(set by port %u, seq %u)\n", ev.config.dump_count, ev.config.dump_msg,
			       ev.portid, ev.seq);
			continue;
		}
		lost += ev.lost;
		printf(PREFIX "lost %llu notifications: the receive queue overflowed (ENOBUFS)\n",
		       (unsigned long long)ev.lost);
		if (print_config_now(c))
			return -1;
	}
	printf(PREFIX "listen done: %llu received, %llu lost\n", (unsigned long long)received,
	       (unsigned long long)lost);
	return 0;
}

/* ---- Command line ---- */

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: user-c-pure echo|dump|error [--msg TEXT] [--count N] [--no-msg]\n"
		"       user-c-pure get\n"
		"       user-c-pure set [--count N] [--msg TEXT]\n"
		"       user-c-pure listen [--count N]\n"
		"       user-c-pure bench cycle|echo|dump|batch [OPTIONS] (see bench --help)\n"
		"       user-c-pure --help\n"
		"Talks to the %s Generic Netlink family over a raw AF_NETLINK socket.\n"
		"  echo        send --msg (default \"%s\"); the kernel echoes it back\n"
		"  dump        request a dump of --count messages (default: the config's,\n"
		"              %d unless set), each carrying --msg (default: the config's)\n"
		"  error       send the command the kernel always answers with an error, with\n"
		"              --msg if given (the error then points at it)\n"
		"  get         print the config of this network namespace: the dump's defaults\n"
		"  set         change the config (needs CAP_NET_ADMIN): --count, --msg or both;\n"
		"              prints the notification the kernel echoes back\n"
		"  listen      join the family's multicast group '%s' and print every config\n"
		"              notification; with --count, stop after N (received or lost)\n"
		"  --msg TEXT  GNL_FOOBAR_XMPL_A_MSG (set: _CONFIG_DUMP_MSG): at most %d bytes\n"
		"              are sent, the kernel accepts %d\n"
		"  --count N   dump: GNL_FOOBAR_XMPL_A_DUMP_COUNT, set: _CONFIG_DUMP_COUNT (the\n"
		"              kernel accepts %d..%d); listen: notifications to wait for\n"
		"  --no-msg    echo only: send no GNL_FOOBAR_XMPL_A_MSG, to see the kernel refuse\n"
		"Exit status: 0 on success, 1 on failure, 2 on a bad command line; a failure\n"
		"is one line on stderr.\n",
		GNL_FOOBAR_XMPL_FAMILY_NAME, DEFAULT_MSG, GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT,
		GNL_FOOBAR_XMPL_MCGRP_CONFIG, CLIENT_MSG_ARG_MAX, GNL_FOOBAR_XMPL_MSG_MAX_LEN,
		GNL_FOOBAR_XMPL_DUMP_MIN_COUNT,
		GNL_FOOBAR_XMPL_DUMP_MAX_COUNT);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PREFIX "error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see --help)\n", stderr);
	return -1;
}

/* Any u32 in decimal: the kernel, not this program, enforces the protocol's range. */
static int parse_u32(const char *text, uint32_t *value)
{
	unsigned long long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end != '\0' || v > UINT32_MAX)
		return -1;
	*value = (uint32_t)v;
	return 0;
}

static int parse_operation(const char *name, enum operation *op)
{
	if (!strcmp(name, "echo"))
		*op = OP_ECHO;
	else if (!strcmp(name, "dump"))
		*op = OP_DUMP;
	else if (!strcmp(name, "error"))
		*op = OP_ERROR;
	else if (!strcmp(name, "get"))
		*op = OP_GET;
	else if (!strcmp(name, "set"))
		*op = OP_SET;
	else if (!strcmp(name, "listen"))
		*op = OP_LISTEN;
	else
		return -1;
	return 0;
}

/* Returns 0 to run @opts, 1 if --help was asked for, -1 after a usage error. */
static int parse_args(int argc, char **argv, struct options *opts)
{
	int have_op = 0, no_msg = 0;
	int i;

	memset(opts, 0, sizeof(*opts));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
			return 1;
		if (!strcmp(arg, "--no-msg")) {
			no_msg = 1;
		} else if (!strcmp(arg, "--msg") || !strcmp(arg, "--count")) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", arg);
			if (arg[2] == 'm') {
				opts->msg = argv[++i];
			} else {
				opts->has_count = 1;
				if (parse_u32(argv[++i], &opts->count))
					return usage_error("--count needs a number from 0 to %u, not '%s'",
							   UINT32_MAX, argv[i]);
			}
		} else if (arg[0] == '-') {
			return usage_error("unknown option '%s'", arg);
		} else if (have_op) {
			return usage_error("unexpected argument '%s'", arg);
		} else if (parse_operation(arg, &opts->op)) {
			return usage_error("unknown operation '%s': expected echo, dump, error, get, set or listen", arg);
		} else {
			have_op = 1;
		}
	}

	if (!have_op)
		return usage_error("no operation given: expected echo, dump, error, get, set or listen");
	if (opts->has_count && opts->op != OP_DUMP && opts->op != OP_SET &&
	    opts->op != OP_LISTEN)
		return usage_error("--count applies to dump, set and listen only");
	if (opts->msg && (opts->op == OP_GET || opts->op == OP_LISTEN))
		return usage_error("--msg does not apply to get and listen");
	if (opts->op == OP_SET && !opts->has_count && !opts->msg)
		return usage_error("set needs --count, --msg or both");
	if (no_msg && opts->msg)
		return usage_error("--msg and --no-msg exclude each other");
	if (no_msg && opts->op != OP_ECHO)
		return usage_error("--no-msg applies to echo only");
	if (opts->msg && strlen(opts->msg) > CLIENT_MSG_ARG_MAX)
		return usage_error("--msg takes at most %d bytes, not %zu; the kernel itself accepts %d",
				   CLIENT_MSG_ARG_MAX, strlen(opts->msg),
				   GNL_FOOBAR_XMPL_MSG_MAX_LEN);
	if (opts->op == OP_ECHO && !opts->msg && !no_msg)
		opts->msg = DEFAULT_MSG;
	return 0;
}

/* The operation's name in the failure line, the same in the three clients. */
static const char *operation_name(enum operation op)
{
	switch (op) {
	case OP_ECHO:
		return "echo";
	case OP_DUMP:
		return "dump";
	case OP_ERROR:
		return "reply_with_error";
	case OP_GET:
		return "config_get";
	case OP_SET:
		return "config_set";
	case OP_LISTEN:
		return "listen";
	}
	return "?";
}

static int run_operation(struct client *c, const struct options *opts)
{
	switch (opts->op) {
	case OP_ECHO:
		return run_echo(c, opts);
	case OP_DUMP:
		return run_dump(c, opts);
	case OP_ERROR:
		return run_error(c, opts);
	case OP_GET:
		return run_get(c, opts);
	case OP_SET:
		return run_set(c, opts);
	case OP_LISTEN:
		return run_listen(c, opts);
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *failed_op = NULL;
	struct options opts;
	struct client c;
	int failed;

	if (argc > 1 && !strcmp(argv[1], "bench"))
		return bench_main(argc - 1, argv + 1);

	switch (parse_args(argc, argv, &opts)) {
	case 1:
		print_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	case -1:
		return EXIT_USAGE;
	}

	/*
	 * The config operations' lines are read as they come, through pipes, by
	 * whoever waits for a listener to be ready or for its notifications.
	 */
	if (opts.op == OP_GET || opts.op == OP_SET || opts.op == OP_LISTEN)
		setvbuf(stdout, NULL, _IOLBF, 0);

	failed = client_open(&c) || client_resolve_family(&c);
	if (!failed) {
		printf(PREFIX "Generic family id: %u\n", c.family_id);
		failed = run_operation(&c, &opts);
		if (failed)
			failed_op = operation_name(opts.op);
	}
	if (!failed)
		failed = client_close(&c);
	else
		(void)client_close(&c);	/* the first failure is reported, not this one */
	/* Output may sit in stdio's buffer until now: a write error shows up here. */
	if (fflush(stdout) && !failed) {
		snprintf(c.err, sizeof(c.err), "writing the output failed: %s", strerror(errno));
		failed = 1;
	}

	if (failed) {
		fprintf(stderr, PREFIX "error: %s%s%s\n", failed_op ? failed_op : "",
			failed_op ? " failed: " : "", c.err);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
