// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * user-c-libnl: a client of the gnl_foobar_xmpl Generic Netlink family written
 * with libnl-3 and libnl-genl-3. Runs one operation (echo, dump, error, config
 * get or set) and prints what the kernel answered, including its extended ACK
 * on errors, or listens to the family's config notifications. The
 * exchanges are in client.c; this file is the command line and the output.
 * "user-c-libnl bench ..." runs the benchmark instead (bench.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "client.h"
#include "gnl_foobar_xmpl.h"

#define PREFIX "[User-C-libnl]: "
#define DEFAULT_MSG "Hello from User-C-libnl"

/* Exit status of a command line the program does not understand. */
#define EXIT_USAGE 2

enum operation {
	OP_ECHO,
	OP_DUMP,
	OP_ERROR,
	OP_GET,
	OP_SET,
	OP_LISTEN,
};

struct options {
	enum operation op;
	const char *msg;	/* GNL_FOOBAR_XMPL_A_MSG (set: _CONFIG_DUMP_MSG) to send, or NULL */
	bool has_count;
	/* If has_count: DUMP_COUNT, CONFIG_DUMP_COUNT, or notifications to wait for. */
	uint32_t count;
	struct client_config sock;
};

static void print_usage(FILE *out)
{
	fprintf(out,
		"Usage: user-c-libnl echo|dump|error [--msg TEXT|--no-msg] [--count N]\n"
		"                    [--fast|--libnl-defaults] [--cap-ack]\n"
		"       user-c-libnl get\n"
		"       user-c-libnl set [--count N] [--msg TEXT]\n"
		"       user-c-libnl listen [--count N]\n"
		"       user-c-libnl bench cycle|echo|dump|batch [OPTIONS] (see bench --help)\n"
		"Talks to the " GNL_FOOBAR_XMPL_FAMILY_NAME
		" Generic Netlink family through libnl-genl-3.\n"
		"\n"
		"  echo    GNL_FOOBAR_XMPL_CMD_ECHO_MSG; prints the kernel's reply\n"
		"  dump    GNL_FOOBAR_XMPL_CMD_ECHO_MSG with NLM_F_DUMP; prints every message\n"
		"  error   GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR; prints the kernel's error\n"
		"          and extended ACK, and exits 0 if the kernel did fail the request\n"
		"  get     GNL_FOOBAR_XMPL_CMD_CONFIG_GET; prints this network namespace's\n"
		"          config: the dump's defaults\n"
		"  set     GNL_FOOBAR_XMPL_CMD_CONFIG_SET of --count, --msg or both (needs\n"
		"          CAP_NET_ADMIN); prints the notification the kernel echoes back\n"
		"  listen  joins the family's multicast group '" GNL_FOOBAR_XMPL_MCGRP_CONFIG "' and\n"
		"          prints every config notification; with --count, stops after N\n"
		"          (received or lost)\n"
		"\n"
		"  --msg TEXT         GNL_FOOBAR_XMPL_A_MSG to send, at most %d bytes (echo\n"
		"                     default: \"" DEFAULT_MSG "\"; dump and error\n"
		"                     send none unless given; the kernel accepts %d bytes)\n"
		"  --no-msg           echo only: send no GNL_FOOBAR_XMPL_A_MSG, to see the\n"
		"                     kernel refuse\n"
		"  --count N          dump: GNL_FOOBAR_XMPL_A_DUMP_COUNT (default: none, the\n"
		"                     kernel then sends the config's count, %d unless set);\n"
		"                     set: _CONFIG_DUMP_COUNT; listen: notifications to wait for\n"
		"  --fast             (default) no NLM_F_ACK, no MSG_PEEK: one recvmsg() per\n"
		"                     datagram\n"
		"  --libnl-defaults   libnl's default socket: NLM_F_ACK on every request and\n"
		"                     MSG_PEEK before every read\n"
		"  --cap-ack          set NETLINK_CAP_ACK: errors do not echo the request back\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 on success, 1 on failure (one line on stderr), 2 on a bad\n"
		"command line.\n",
		CLIENT_MSG_ARG_MAX, GNL_FOOBAR_XMPL_MSG_MAX_LEN,
		GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT);
}

/* Prints the one line that explains why the program fails. */
static void __attribute__((format(printf, 1, 2))) report(const char *fmt, ...)
{
	va_list ap;

	fputs(PREFIX "error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool parse_u32(const char *text, uint32_t *value)
{
	unsigned long long v;
	char *end;

	/* strtoull() would accept "-1" and a leading blank; a count is digits only. */
	if (text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end != '\0' || v > UINT32_MAX)
		return false;
	*value = (uint32_t)v;
	return true;
}

static bool parse_operation(const char *word, enum operation *op)
{
	if (strcmp(word, "echo") == 0)
		*op = OP_ECHO;
	else if (strcmp(word, "dump") == 0)
		*op = OP_DUMP;
	else if (strcmp(word, "error") == 0)
		*op = OP_ERROR;
	else if (strcmp(word, "get") == 0)
		*op = OP_GET;
	else if (strcmp(word, "set") == 0)
		*op = OP_SET;
	else if (strcmp(word, "listen") == 0)
		*op = OP_LISTEN;
	else
		return false;
	return true;
}

/*
 * Fills @opts from the command line. Returns -1 when the program should exit
 * successfully (--help), EXIT_USAGE on a bad command line (reported), else 0.
 */
static int parse_args(int argc, char **argv, struct options *opts)
{
	bool libnl_defaults = false;
	bool cap_ack = false;
	bool no_msg = false;
	bool has_op = false;
	int i;

	*opts = (struct options){ 0 };

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool takes_value = strcmp(arg, "--msg") == 0 || strcmp(arg, "--count") == 0;

		if (takes_value && i + 1 >= argc) {
			report("%s needs a value (see --help)", arg);
			return EXIT_USAGE;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			print_usage(stdout);
			return -1;
		} else if (strcmp(arg, "--msg") == 0) {
			opts->msg = argv[++i];
		} else if (strcmp(arg, "--count") == 0) {
			if (!parse_u32(argv[++i], &opts->count)) {
				report("--count needs a number from 0 to %u, not '%s' (see --help)",
				       UINT32_MAX, argv[i]);
				return EXIT_USAGE;
			}
			opts->has_count = true;
		} else if (strcmp(arg, "--no-msg") == 0) {
			no_msg = true;
		} else if (strcmp(arg, "--fast") == 0) {
			libnl_defaults = false;
		} else if (strcmp(arg, "--libnl-defaults") == 0) {
			libnl_defaults = true;
		} else if (strcmp(arg, "--cap-ack") == 0) {
			cap_ack = true;
		} else if (arg[0] != '-' && !has_op && parse_operation(arg, &opts->op)) {
			has_op = true;
		} else {
			report("unexpected argument '%s' (see --help)", arg);
			return EXIT_USAGE;
		}
	}

	if (!has_op) {
		report("no operation given: expected echo, dump, error, get, set or listen (see --help)");
		return EXIT_USAGE;
	}
	if (opts->has_count && opts->op != OP_DUMP && opts->op != OP_SET &&
	    opts->op != OP_LISTEN) {
		report("--count applies to dump, set and listen only (see --help)");
		return EXIT_USAGE;
	}
	if (opts->msg && (opts->op == OP_GET || opts->op == OP_LISTEN)) {
		report("--msg does not apply to get and listen (see --help)");
		return EXIT_USAGE;
	}
	if (opts->op == OP_SET && !opts->has_count && !opts->msg) {
		report("set needs --count, --msg or both (see --help)");
		return EXIT_USAGE;
	}
	if (no_msg && opts->msg) {
		report("--msg and --no-msg exclude each other (see --help)");
		return EXIT_USAGE;
	}
	if (no_msg && opts->op != OP_ECHO) {
		report("--no-msg applies to echo only (see --help)");
		return EXIT_USAGE;
	}
	if (opts->msg && strlen(opts->msg) > CLIENT_MSG_ARG_MAX) {
		report("--msg takes at most %d bytes, not %zu; the kernel itself accepts %d "
		       "(see --help)", CLIENT_MSG_ARG_MAX, strlen(opts->msg),
		       GNL_FOOBAR_XMPL_MSG_MAX_LEN);
		return EXIT_USAGE;
	}
	if (opts->op == OP_ECHO && !opts->msg && !no_msg)
		opts->msg = DEFAULT_MSG;
	opts->sock = libnl_defaults ? client_libnl_default_config : client_fast_config;
	opts->sock.cap_ack = cap_ack;
	return 0;
}


/* ---- The three operations, with their output ---- */

static void print_echo_reply(void *arg, uint32_t index, const char *msg)
{
	(void)arg;
	(void)index;
	printf(PREFIX "Received from kernel: '%s'\n", msg);
}

static int run_echo(struct client *c, const struct options *opts)
{
	if (opts->msg)
		printf(PREFIX "Sending to kernel: '%s'\n", opts->msg);
	return client_echo(c, opts->msg, print_echo_reply, NULL);
}

/* Prints each dump message as it arrives, while libnl still holds it. */
static void print_dump_message(void *arg, uint32_t index, const char *msg)
{
	(void)arg;
	printf(PREFIX "dump message %u: '%s'\n", index, msg);
}

static int run_dump(struct client *c, const struct options *opts)
{
	unsigned int received;

	if (client_dump(c, opts->msg, opts->has_count ? &opts->count : NULL, print_dump_message,
			NULL, &received))
		return -1;
	printf(PREFIX "dump done, %u message%s\n", received, received == 1 ? "" : "s");
	return 0;
}

/* The kernel's error is this operation's expected result: it succeeds if one comes. */
static int run_error(struct client *c, const struct options *opts)
{
	char status[EXTACK_MSG_SIZE + 64];
	char blame[128];

	if (client_error(c, opts->msg, status, sizeof(status), blame, sizeof(blame)))
		return -1;
	printf(PREFIX "Kernel replied with error %s\n", status);
	if (blame[0])
		printf(PREFIX "The extended ACK %s\n", blame);
	return 0;
}

static void print_config(const char *what, const struct nlm_config *cfg)
{
	printf(PREFIX "%s: dump-count %u, dump-msg '%s'\n", what, cfg->dump_count, cfg->dump_msg);
}

static int run_get(struct client *c)
{
	struct nlm_config cfg;

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

struct listen_state {
	const struct options *opts;
	uint64_t received;
	uint64_t lost;
};

static bool listen_done(const struct listen_state *st)
{
	return st->opts->has_count && st->received + st->lost >= st->opts->count;
}

static bool print_notification(void *arg, const struct nlm_config *cfg, uint32_t portid,
			       uint32_t seq)
{
	struct listen_state *st = arg;

	st->received++;
	printf(PREFIX "notification: dump-count %u, dump-msg '%s' (set by port %u, seq %u)\n",
	       cfg->dump_count, cfg->dump_msg, portid, seq);
	return listen_done(st);
}

/*
 * After lost notifications, the config is read again on a socket of its own:
 * on the listening one, the reply would queue among notifications.
 */
static int print_config_now(struct client *listener, const struct options *opts)
{
	struct nlm_config cfg;
	struct client c;
	int failed;

	failed = client_open(&c, &opts->sock) || client_resolve_family(&c) ||
		 client_config_get(&c, &cfg);
	if (!failed)
		print_config("config now", &cfg);
	else
		snprintf(listener->err, sizeof(listener->err),
			 "listen failed: re-reading the config: %.400s", c.err);
	client_close(&c);
	return failed ? -1 : 0;
}

/* Prints every notification; with --count, stops after that many received or lost. */
static int run_listen(struct client *c, const struct options *opts)
{
	struct listen_state st = { .opts = opts };
	struct listener l = { .family_id = c->family_id, .on_config = print_notification,
			      .arg = &st };
	uint64_t lost;

	if (client_listen_start(c))
		return -1;
	printf(PREFIX "listening to group '%s' (id %u)\n", GNL_FOOBAR_XMPL_MCGRP_CONFIG,
	       c->config_group);
	while (!listen_done(&st)) {
		if (client_listen_receive(c, &l, &lost))
			return -1;
		if (!lost)
			continue;
		st.lost += lost;
		printf(PREFIX "lost %llu notifications: the receive queue overflowed (ENOBUFS)\n",
		       (unsigned long long)lost);
		if (print_config_now(c, opts))
			return -1;
	}
	printf(PREFIX "listen done: %llu received, %llu lost\n", (unsigned long long)st.received,
	       (unsigned long long)st.lost);
	return 0;
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
		return run_get(c);
	case OP_SET:
		return run_set(c, opts);
	case OP_LISTEN:
		return run_listen(c, opts);
	}
	return -1;
}

/* Runs @opts on a fresh socket; reports the failure, if any. */
static int run(const struct options *opts)
{
	struct client c;
	int failed;

	/*
	 * The config operations' lines are read as they come, through pipes, by
	 * whoever waits for a listener to be ready or for its notifications.
	 */
	if (opts->op == OP_GET || opts->op == OP_SET || opts->op == OP_LISTEN)
		setvbuf(stdout, NULL, _IOLBF, 0);

	failed = client_open(&c, &opts->sock) || client_resolve_family(&c);
	if (!failed) {
		printf(PREFIX "Generic family id: %d\n", c.family_id);
		failed = run_operation(&c, opts);
	}
	client_close(&c);
	if (failed) {
		report("%s", c.err);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct options opts;
	int status;

	if (argc > 1 && strcmp(argv[1], "bench") == 0)
		return bench_main(argc - 1, argv + 1);

	status = parse_args(argc, argv, &opts);
	if (status == 0)
		status = run(&opts);
	else if (status < 0)
		status = EXIT_SUCCESS;

	/* Output goes through stdio: a full disk or closed pipe shows up here. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		report("writing to stdout: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	return status;
}
