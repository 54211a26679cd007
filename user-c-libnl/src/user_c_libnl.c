// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * user-c-libnl: a client of the gnl_foobar_xmpl Generic Netlink family written
 * with libnl-3 and libnl-genl-3. Runs one operation (echo, dump or error) and
 * prints what the kernel answered, including its extended ACK on errors.
 */
#define _GNU_SOURCE /* strerrorname_np() */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "bench.h"
#include "gnl_foobar_xmpl.h"

#define PREFIX "[User-C-libnl]: "
#define DEFAULT_MSG "Hello from User-C-libnl"

/* Exit status of a command line the program does not understand. */
#define EXIT_USAGE 2

/*
 * The longest --msg sent, in bytes without the NUL. The kernel takes
 * GNL_FOOBAR_XMPL_MSG_MAX_LEN bytes; longer texts, up to this, still go out so
 * that the kernel's own check and its extended ACK can be seen. The three
 * clients share this limit; it keeps the error that carries the largest
 * request back inside the --fast receive buffer (see below).
 */
#define MSG_ARG_MAX (4 * GNL_FOOBAR_XMPL_MSG_MAX_LEN)

/* The largest request: headers, GNL_FOOBAR_XMPL_A_MSG and _A_DUMP_COUNT. */
#define REQUEST_MAX_SIZE \
	(NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + NLA_ALIGN(MSG_ARG_MAX + 1) + NLA_HDRLEN + 4)

/*
 * Receive buffer of the --fast configuration. Without MSG_PEEK, libnl reads each
 * datagram with one recvmsg() into a buffer of this size, and fails with
 * NLE_MSG_TRUNC if a datagram is larger. Ours never are: dump datagrams are at
 * most SKB_WITH_OVERHEAD(32768) bytes (netlink_recvmsg() caps what the kernel
 * allocates for them), and the largest other one is an NLMSG_ERROR carrying the
 * largest request back, plus extended ACK TLVs (a short message, an offset and
 * the policy of the rejected attribute: less than 1 KiB).
 */
#define FAST_RECV_BUF_SIZE 32768
_Static_assert(NLMSG_HDRLEN + sizeof(struct nlmsgerr) + REQUEST_MAX_SIZE + 1024 <=
	       FAST_RECV_BUF_SIZE, "an error echoing the largest request must fit");

/* The longest extended ACK message kept; the kernel's are well under this. */
#define EXTACK_MSG_SIZE 256

enum operation {
	OP_ECHO,
	OP_DUMP,
	OP_ERROR,
};

/*
 * How the libnl socket is set up. libnl's defaults suit a program that knows
 * nothing of the protocol; a client that knows how each exchange ends can skip
 * the extra work (see fast_config and libnl_default_config below).
 *
 * nl_send_auto() passes each request to nl_complete_msg(), which sets
 * NLM_F_REQUEST, and NLM_F_ACK unless nl_socket_disable_auto_ack() was called.
 * nl_recvmsgs() reads with MSG_PEEK|MSG_TRUNC first to size its buffer, unless
 * nl_socket_disable_msg_peek() was called (then it reads once, into a buffer
 * of nl_socket_set_msg_buf_size() bytes).
 */
struct sock_config {
	/* nl_send_auto() adds NLM_F_ACK to every request (libnl default: on). */
	bool auto_ack;
	/* nl_recv() peeks at each datagram's size before reading it (default: on). */
	bool msg_peek;
	/* NETLINK_CAP_ACK: error messages do not carry the request back. */
	bool cap_ack;
};

/*
 * --fast: no NLM_F_ACK, because every operation already has a last message
 * (the doit reply, NLMSG_DONE, or the NLMSG_ERROR carrying the failure), and no
 * MSG_PEEK, because FAST_RECV_BUF_SIZE holds any datagram of this family. One
 * sendmsg() and one recvmsg() per echo.
 */
static const struct sock_config fast_config = {
	.auto_ack = false,
	.msg_peek = false,
};

/*
 * --libnl-defaults: what nl_socket_alloc() gives. Each request carries
 * NLM_F_ACK, so a doit is answered by its reply and then by an ACK in a second
 * datagram, and every datagram is read twice (MSG_PEEK|MSG_TRUNC for its size,
 * then for real).
 */
static const struct sock_config libnl_default_config = {
	.auto_ack = true,
	.msg_peek = true,
};

struct options {
	enum operation op;
	const char *msg;	/* GNL_FOOBAR_XMPL_A_MSG to send, or NULL */
	bool has_count;
	uint32_t count;		/* GNL_FOOBAR_XMPL_A_DUMP_COUNT, if has_count */
	struct sock_config sock;
};

/* An error the kernel reported, in NLMSG_ERROR or in NLMSG_DONE. */
struct kernel_error {
	int errnum;			/* positive errno */
	char msg[EXTACK_MSG_SIZE];	/* NLMSGERR_ATTR_MSG, or "" */
	bool has_offset;
	uint32_t offset;		/* NLMSGERR_ATTR_OFFS: byte offset in the request */
	bool has_missing;
	uint32_t missing_type;		/* NLMSGERR_ATTR_MISS_TYPE: attribute not sent */
};

/* One request and everything the callbacks learn from its answer. */
struct exchange {
	int family_id;
	uint8_t cmd;
	const char *sent;		/* echo: the MSG sent, which must come back */
	bool quiet;			/* check the answer, print nothing (bench) */
	/* Filled in when the request is sent. */
	uint32_t seq;
	bool ack_expected;
	/* Filled in by the callbacks. */
	bool done;
	unsigned int messages;		/* replies, or dump messages */
	bool kernel_failed;
	struct kernel_error kerr;
	const char *bad_answer;		/* why a message from the kernel was rejected */
};

/*
 * Policy of the attributes the kernel sends us: nla_parse() checks each one's
 * type and length, so a callback can use nla_get_u32()/nla_get_string() on
 * anything it finds. The table has one entry per attribute type, 0 to
 * GNL_FOOBAR_XMPL_A_MAX; types above it (from a newer module) are ignored.
 */
static const struct nla_policy reply_policy[GNL_FOOBAR_XMPL_A_MAX + 1] = {
	/* libnl's maxlen counts the NUL; NLA_STRING requires it to be there. */
	[GNL_FOOBAR_XMPL_A_MSG] = { .type = NLA_STRING,
				    .maxlen = GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1 },
	[GNL_FOOBAR_XMPL_A_DUMP_COUNT] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[GNL_FOOBAR_XMPL_A_DUMP_INDEX] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
};

/* The extended ACK attributes this program prints (include/uapi/linux/netlink.h). */
static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
};

static void print_usage(FILE *out)
{
	fprintf(out,
		"Usage: user-c-libnl echo|dump|error [--msg TEXT|--no-msg] [--count N]\n"
		"                    [--fast|--libnl-defaults] [--cap-ack]\n"
		"       user-c-libnl bench cycle|echo|dump|batch [OPTIONS] (see bench --help)\n"
		"Talks to the " GNL_FOOBAR_XMPL_FAMILY_NAME
		" Generic Netlink family through libnl-genl-3.\n"
		"\n"
		"  echo    GNL_FOOBAR_XMPL_CMD_ECHO_MSG; prints the kernel's reply\n"
		"  dump    GNL_FOOBAR_XMPL_CMD_ECHO_MSG with NLM_F_DUMP; prints every message\n"
		"  error   GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR; prints the kernel's error\n"
		"          and extended ACK, and exits 0 if the kernel did fail the request\n"
		"\n"
		"  --msg TEXT         GNL_FOOBAR_XMPL_A_MSG to send, at most %d bytes (echo\n"
		"                     default: \"" DEFAULT_MSG "\"; dump and error\n"
		"                     send none unless given; the kernel accepts %d bytes)\n"
		"  --no-msg           echo only: send no GNL_FOOBAR_XMPL_A_MSG, to see the\n"
		"                     kernel refuse\n"
		"  --count N          dump only: GNL_FOOBAR_XMPL_A_DUMP_COUNT (default: none,\n"
		"                     the kernel then sends %d messages)\n"
		"  --fast             (default) no NLM_F_ACK, no MSG_PEEK: one recvmsg() per\n"
		"                     datagram\n"
		"  --libnl-defaults   libnl's default socket: NLM_F_ACK on every request and\n"
		"                     MSG_PEEK before every read\n"
		"  --cap-ack          set NETLINK_CAP_ACK: errors do not echo the request back\n"
		"  -h, --help         show this help\n"
		"\n"
		"Exit status: 0 on success, 1 on failure (one line on stderr), 2 on a bad\n"
		"command line.\n",
		MSG_ARG_MAX, GNL_FOOBAR_XMPL_MSG_MAX_LEN, GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT);
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
		report("no operation given: expected echo, dump or error (see --help)");
		return EXIT_USAGE;
	}
	if (opts->has_count && opts->op != OP_DUMP) {
		report("--count applies to dump only (see --help)");
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
	if (opts->msg && strlen(opts->msg) > MSG_ARG_MAX) {
		report("--msg takes at most %d bytes, not %zu; the kernel itself accepts %d "
		       "(see --help)", MSG_ARG_MAX, strlen(opts->msg), GNL_FOOBAR_XMPL_MSG_MAX_LEN);
		return EXIT_USAGE;
	}
	if (opts->op == OP_ECHO && !opts->msg && !no_msg)
		opts->msg = DEFAULT_MSG;
	opts->sock = libnl_defaults ? libnl_default_config : fast_config;
	opts->sock.cap_ack = cap_ack;
	return 0;
}

/* Writes the name of attribute @type into @buf: its C name, or "attribute type N". */
static const char *attr_name(uint32_t type, char *buf, size_t len)
{
	switch (type) {
	case GNL_FOOBAR_XMPL_A_MSG:
		return "GNL_FOOBAR_XMPL_A_MSG";
	case GNL_FOOBAR_XMPL_A_DUMP_COUNT:
		return "GNL_FOOBAR_XMPL_A_DUMP_COUNT";
	case GNL_FOOBAR_XMPL_A_DUMP_INDEX:
		return "GNL_FOOBAR_XMPL_A_DUMP_INDEX";
	default:
		snprintf(buf, len, "attribute type %u", type);
		return buf;
	}
}

/*
 * NLMSG_ALIGN() for a size_t: the macro's mask is an unsigned int, which would
 * clear the upper half of a 64-bit length.
 */
static size_t align4(size_t len)
{
	return (len + NLMSG_ALIGNTO - 1) & ~(size_t)(NLMSG_ALIGNTO - 1);
}

/* Copies a kernel string for one line of output: control characters become '?'. */
static void copy_printable(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i] != '\0'; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? '?' : src[i];
	dst[i] = '\0';
}

static const char *errno_name(int errnum)
{
	const char *name = strerrorname_np(errnum);

	return name ? name : "unknown errno";
}

/*
 * Parses the extended ACK TLVs that start @tlv_offset bytes into the payload of
 * @nlh (an NLMSG_ERROR or NLMSG_DONE) into @kerr. The message must carry
 * NLM_F_ACK_TLVS; TLVs that fail the policy are ignored, as the errno alone
 * still says what went wrong.
 */
static void parse_extack(const struct nlmsghdr *nlh, size_t tlv_offset,
			 struct kernel_error *kerr)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t payload_len = nlh->nlmsg_len - NLMSG_HDRLEN;
	unsigned char *tlvs;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	tlv_offset = align4(tlv_offset);
	if (tlv_offset >= payload_len)
		return;
	tlvs = (unsigned char *)nlmsg_data(nlh) + tlv_offset;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlvs,
		      (int)(payload_len - tlv_offset), extack_policy) < 0)
		return;

	if (tb[NLMSGERR_ATTR_MSG])
		copy_printable(kerr->msg, sizeof(kerr->msg), nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		kerr->has_offset = true;
		kerr->offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		kerr->has_missing = true;
		kerr->missing_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
}

/* Records that the kernel's answer is not what the protocol promises. */
static int reject(struct exchange *ex, const char *why, int nl_err)
{
	ex->bad_answer = why;
	return nl_err;
}

/*
 * NL_CB_SEQ_CHECK: every message of the answer, replies, NLMSG_DONE and
 * NLMSG_ERROR alike, carries the request's sequence number. libnl's own check
 * only runs with auto-ACK on; this one runs in both configurations.
 */
static int check_seq(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	if (nlmsg_hdr(msg)->nlmsg_seq != ex->seq)
		return reject(ex, "a message with another request's sequence number",
			      -NLE_SEQ_MISMATCH);
	return NL_OK;
}

/*
 * nl_cb_err(): called for an NLMSG_ERROR with a non-zero error. libnl hands
 * over the struct nlmsgerr, which is the payload of the message, and has
 * checked that the message is long enough to hold it; its nlmsghdr is right
 * before it, and the extended ACK TLVs follow:
 *
 *   nlmsghdr | error | request's nlmsghdr | request's payload | TLVs
 *
 * The request's payload is left out when the kernel set NLM_F_CAPPED (we asked
 * for NETLINK_CAP_ACK), and the TLVs are only present with NLM_F_ACK_TLVS.
 * Otherwise the request's own nlmsg_len says where the TLVs start: it must
 * hold at least a header and fit in what was received, or the message is
 * rejected as malformed. Returning NL_STOP ends nl_recvmsgs(), which then
 * returns the error as an NLE_* code; the errno and the message are kept in
 * the exchange.
 */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	const struct nlmsghdr *nlh =
		(const struct nlmsghdr *)((unsigned char *)err - NLMSG_HDRLEN);
	/* libnl checked nlmsg_len against the datagram before calling us. */
	size_t payload_len = nlh->nlmsg_len - NLMSG_HDRLEN;
	struct exchange *ex = arg;
	size_t tlv_offset = sizeof(*err);
	size_t quoted;

	(void)who;
	ex->done = true;
	/* libnl checks this too; a test calls this function directly. */
	if (nlh->nlmsg_len < NLMSG_HDRLEN || payload_len < sizeof(*err))
		return reject(ex, "an NLMSG_ERROR shorter than struct nlmsgerr", -NLE_MSG_TOOSHORT);
	quoted = err->msg.nlmsg_len;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (quoted < NLMSG_HDRLEN || quoted > payload_len - sizeof(err->error))
			return reject(ex, "an NLMSG_ERROR quoting a request longer than itself or "
				      "shorter than a header", -NLE_MSG_OVERFLOW);
		tlv_offset = sizeof(err->error) + quoted;
	}
	ex->kernel_failed = true;
	ex->kerr.errnum = -err->error;
	parse_extack(nlh, tlv_offset, &ex->kerr);
	return NL_STOP;
}

/* NL_CB_ACK: an NLMSG_ERROR with error 0, the ACK asked for with NLM_F_ACK. */
static int on_ack(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	(void)msg;
	ex->done = true;
	return NL_STOP;
}

/*
 * NL_CB_FINISH: NLMSG_DONE ends a dump. Its payload is an int: 0, or the
 * negative errno the dump failed with, which may be followed by extended ACK
 * TLVs (NLM_F_ACK_TLVS). libnl's default handling ignores the payload, so a
 * dump that failed half way would look complete.
 */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct exchange *ex = arg;
	int dump_err;

	ex->done = true;
	if (nlmsg_datalen(nlh) < (int)sizeof(dump_err))
		return reject(ex, "an NLMSG_DONE without its error code", -NLE_MSG_TOOSHORT);
	memcpy(&dump_err, nlmsg_data(nlh), sizeof(dump_err));
	if (dump_err < 0) {
		ex->kernel_failed = true;
		ex->kerr.errnum = -dump_err;
		parse_extack(nlh, sizeof(dump_err), &ex->kerr);
	}
	return NL_STOP;
}

/*
 * Checks that @msg is a message of our family and command and parses its
 * attributes into @tb (GNL_FOOBAR_XMPL_A_MAX + 1 entries).
 */
static int parse_answer(struct nl_msg *msg, struct exchange *ex, struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	if (nlh->nlmsg_type != ex->family_id)
		return reject(ex, "a message of another family", -NLE_MSGTYPE_NOSUPPORT);
	/* Checks that the genlmsghdr is there, then each attribute against the policy. */
	err = genlmsg_parse(nlh, 0, tb, GNL_FOOBAR_XMPL_A_MAX, reply_policy);
	if (err < 0)
		return reject(ex, "attributes that fail the policy", err);
	if (genlmsg_hdr(nlh)->cmd != ex->cmd)
		return reject(ex, "a reply to another command", -NLE_MSGTYPE_NOSUPPORT);
	return 0;
}

/* NL_CB_VALID of echo: the reply. */
static int on_echo_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	struct exchange *ex = arg;
	int err;

	err = parse_answer(msg, ex, tb);
	if (err < 0)
		return err;
	if (!tb[GNL_FOOBAR_XMPL_A_MSG])
		return reject(ex, "a reply without GNL_FOOBAR_XMPL_A_MSG", -NLE_MISSING_ATTR);
	if (ex->messages)
		return reject(ex, "a second reply to one echo request", -NLE_PARSE_ERR);
	if (ex->sent && strcmp(nla_get_string(tb[GNL_FOOBAR_XMPL_A_MSG]), ex->sent) != 0)
		return reject(ex, "back another message than the one sent", -NLE_PARSE_ERR);

	if (!ex->quiet)
		printf(PREFIX "Received from kernel: '%s'\n",
		       nla_get_string(tb[GNL_FOOBAR_XMPL_A_MSG]));
	ex->messages++;
	/* With NLM_F_ACK, the ACK follows in its own datagram and ends the exchange. */
	if (!ex->ack_expected)
		ex->done = true;
	return NL_OK;
}

/* NL_CB_VALID of dump: one message of the dump, flagged NLM_F_MULTI. */
static int on_dump_message(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	struct exchange *ex = arg;
	uint32_t index;
	int err;

	err = parse_answer(msg, ex, tb);
	if (err < 0)
		return err;
	if (!tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX] || !tb[GNL_FOOBAR_XMPL_A_MSG])
		return reject(ex, "a dump message without GNL_FOOBAR_XMPL_A_DUMP_INDEX or _A_MSG",
			      -NLE_MISSING_ATTR);
	index = nla_get_u32(tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX]);
	if (index != ex->messages)
		return reject(ex, "a dump message out of order", -NLE_PARSE_ERR);

	if (!ex->quiet)
		printf(PREFIX "dump message %u: '%s'\n", index,
		       nla_get_string(tb[GNL_FOOBAR_XMPL_A_MSG]));
	ex->messages++;
	return NL_OK;
}

/* NL_CB_VALID of error: the command must fail, so any reply is wrong. */
static int on_unexpected_reply(struct nl_msg *msg, void *arg)
{
	(void)msg;
	return reject(arg, "a reply instead of an error", -NLE_MSGTYPE_NOSUPPORT);
}

/*
 * Points the socket's own callback set at @ex: @on_valid for replies, ours for
 * the rest. Setting callbacks allocates nothing, unlike a callback set of the
 * exchange's own (nl_cb_alloc()), which a loop of exchanges would pay for each
 * time.
 */
static int exchange_callbacks_set(struct nl_sock *sk, nl_recvmsg_msg_cb_t on_valid,
				  struct exchange *ex)
{
	if (nl_socket_modify_cb(sk, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, check_seq, ex) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, ex) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, on_done, ex) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, on_ack, ex) < 0 ||
	    nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, on_error, ex) < 0)
		return -NLE_RANGE;
	return 0;
}

/*
 * Puts libnl's default handlers back, so that no callback points at an
 * exchange that is over (genl_ctrl_resolve(), for one, copies the set).
 */
static int exchange_callbacks_clear(struct nl_sock *sk)
{
	if (nl_socket_modify_cb(sk, NL_CB_SEQ_CHECK, NL_CB_DEFAULT, NULL, NULL) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_DEFAULT, NULL, NULL) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_DEFAULT, NULL, NULL) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_DEFAULT, NULL, NULL) < 0 ||
	    nl_socket_modify_err_cb(sk, NL_CB_DEFAULT, NULL, NULL) < 0)
		return -NLE_RANGE;
	return 0;
}

/*
 * Reads the answer to request ex->seq until the exchange is over. nl_recvmsgs()
 * reads one datagram, and keeps reading only while a dump (NLM_F_MULTI) has
 * not reached NLMSG_DONE; it does not know that an ACK is still to come. So:
 *  - a doit without NLM_F_ACK ends with its reply, or with an NLMSG_ERROR;
 *  - a doit with NLM_F_ACK ends with the ACK, one datagram after the reply;
 *  - a dump ends with NLMSG_DONE, and never gets an ACK: once the dump has
 *    started, __netlink_dump_start() returns -EINTR, which tells
 *    netlink_rcv_skb() not to send one even if NLM_F_ACK asked for it.
 * Returns 0 or a negative NLE_* code; the answer is in @ex.
 */
static int exchange_receive(struct nl_sock *sk, nl_recvmsg_msg_cb_t on_valid,
			    struct exchange *ex)
{
	int cleared;
	int err;

	err = exchange_callbacks_set(sk, on_valid, ex);
	while (err == 0 && !ex->done) {
		err = nl_recvmsgs_default(sk);
		/* A kernel error makes nl_recvmsgs() fail too; ex says which. */
		if (ex->kernel_failed) {
			err = 0;
			break;
		}
		if (err > 0)
			err = 0;
	}
	cleared = exchange_callbacks_clear(sk);
	return err < 0 ? err : cleared;
}

/* Whether the kernel answers request @nlh with an ACK after its reply. */
static bool expects_ack(const struct nlmsghdr *nlh)
{
	return (nlh->nlmsg_flags & NLM_F_ACK) && (nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP;
}

/* Sends @req and reads its whole answer (see exchange_receive()). */
static int exchange_run(struct nl_sock *sk, struct nl_msg *req,
			nl_recvmsg_msg_cb_t on_valid, struct exchange *ex)
{
	struct nlmsghdr *nlh = nlmsg_hdr(req);
	int err;

	/* Fills in the port, the next sequence number and NLM_F_REQUEST (+ACK). */
	err = nl_send_auto(sk, req);
	if (err < 0)
		return err;
	ex->seq = nlh->nlmsg_seq;
	ex->ack_expected = expects_ack(nlh);
	return exchange_receive(sk, on_valid, ex);
}

/*
 * Builds a request of @cmd with @flags, carrying GNL_FOOBAR_XMPL_A_MSG if @text
 * and GNL_FOOBAR_XMPL_A_DUMP_COUNT if @count. Returns NULL only when out of
 * memory: the buffer is sized for exactly these attributes.
 */
static struct nl_msg *build_request(int family_id, uint8_t cmd, int flags,
				    const char *text, const uint32_t *count)
{
	int payload = GENL_HDRLEN;
	struct nl_msg *req;

	if (text)
		payload += nla_total_size((int)strlen(text) + 1);
	if (count)
		payload += nla_total_size(sizeof(*count));

	req = nlmsg_alloc_size((size_t)nlmsg_total_size(payload));
	if (!req)
		return NULL;
	/* NL_AUTO_PORT and NL_AUTO_SEQ: nl_send_auto() fills them in. */
	if (!genlmsg_put(req, NL_AUTO_PORT, NL_AUTO_SEQ, family_id, 0, flags, cmd,
			 GNL_FOOBAR_XMPL_FAMILY_VERSION) ||
	    (text && nla_put_string(req, GNL_FOOBAR_XMPL_A_MSG, text) < 0) ||
	    (count && nla_put_u32(req, GNL_FOOBAR_XMPL_A_DUMP_COUNT, *count) < 0)) {
		nlmsg_free(req);
		return NULL;
	}
	return req;
}

/*
 * Writes into @buf what the kernel's error offset points at in @req: the
 * attribute that covers that byte (normally, the offset of its start), e.g.
 * "points at GNL_FOOBAR_XMPL_A_MSG, byte 20 of the request".
 */
static void describe_offset(char *buf, size_t len, struct nl_msg *req, uint32_t offset)
{
	struct nlmsghdr *nlh = nlmsg_hdr(req);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *nla;
	char name[32];
	int rem;

	nla_for_each_attr(nla, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem) {
		size_t start = (size_t)((unsigned char *)nla - (unsigned char *)nlh);

		if (offset >= start && offset < start + nla->nla_len) {
			snprintf(buf, len, "points at %s, byte %u of the request",
				 attr_name((uint32_t)nla_type(nla), name, sizeof(name)), offset);
			return;
		}
	}
	snprintf(buf, len, "points at byte %u of the request", offset);
}

/*
 * Writes what the extended ACK in @kerr blames in @req, worded as in the other
 * two clients: "points at ...", "names the missing attribute ...", or "".
 */
static void describe_blame(char *buf, size_t len, const struct kernel_error *kerr,
			   struct nl_msg *req)
{
	char name[32];

	buf[0] = '\0';
	if (kerr->has_offset)
		describe_offset(buf, len, req, kerr->offset);
	else if (kerr->has_missing)
		snprintf(buf, len, "names the missing attribute %s",
			 attr_name(kerr->missing_type, name, sizeof(name)));
}

/* Writes @kerr's status: "EINVAL (22): <the extended ACK message, or strerror()>". */
static void describe_status(char *buf, size_t len, const struct kernel_error *kerr)
{
	snprintf(buf, len, "%s (%d): %s", errno_name(kerr->errnum), kerr->errnum,
		 kerr->msg[0] ? kerr->msg : strerror(kerr->errnum));
}

/* Reports why exchange_run() or the exchange it ran failed. */
static void report_exchange_failure(const char *op, int nl_err, const struct exchange *ex,
				    struct nl_msg *req)
{
	char status[EXTACK_MSG_SIZE + 64];
	char blame[128];

	if (ex->kernel_failed) {
		describe_status(status, sizeof(status), &ex->kerr);
		describe_blame(blame, sizeof(blame), &ex->kerr, req);
		report("%s failed: kernel replied with error %s%s%s%s", op, status,
		       blame[0] ? " (" : "", blame, blame[0] ? ")" : "");
	} else if (ex->bad_answer) {
		report("%s failed: the kernel sent %s (%s)", op, ex->bad_answer,
		       nl_geterror(nl_err));
	} else {
		report("%s failed: %s", op, nl_geterror(nl_err));
	}
}

/*
 * One echo of @msg: sends it, checks that the one reply carries it back (and
 * prints it unless @quiet). Reports any failure; returns 0 or -1.
 */
static int echo_exchange(struct nl_sock *sk, int family_id, const char *msg, bool quiet)
{
	struct exchange ex = { .family_id = family_id, .cmd = GNL_FOOBAR_XMPL_CMD_ECHO_MSG,
			       .sent = msg, .quiet = quiet };
	struct nl_msg *req;
	int err;

	req = build_request(family_id, ex.cmd, 0, msg, NULL);
	if (!req) {
		report("echo failed: %s", nl_geterror(-NLE_NOMEM));
		return -1;
	}
	err = exchange_run(sk, req, on_echo_reply, &ex);
	if (err == 0 && !ex.kernel_failed && ex.messages == 0)
		err = reject(&ex, "an ACK without a reply", -NLE_MISSING_ATTR);
	if (err < 0 || ex.kernel_failed) {
		report_exchange_failure("echo", err, &ex, req);
		nlmsg_free(req);
		return -1;
	}
	nlmsg_free(req);
	return 0;
}

static int run_echo(struct nl_sock *sk, int family_id, const struct options *opts)
{
	if (opts->msg)
		printf(PREFIX "Sending to kernel: '%s'\n", opts->msg);
	return echo_exchange(sk, family_id, opts->msg, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * One dump of @count messages (NULL: the kernel's default), each carrying
 * @msg (NULL: the kernel's text), checked in order and printed unless @quiet;
 * it must end after exactly that many messages. Reports any failure; returns
 * 0 or -1, with the number of messages in *@received.
 */
static int dump_exchange(struct nl_sock *sk, int family_id, const char *msg,
			 const uint32_t *count, bool quiet, unsigned int *received)
{
	struct exchange ex = { .family_id = family_id, .cmd = GNL_FOOBAR_XMPL_CMD_ECHO_MSG,
			       .quiet = quiet };
	uint32_t expected = count ? *count : GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT;
	struct nl_msg *req;
	int err;

	req = build_request(family_id, ex.cmd, NLM_F_DUMP, msg, count);
	if (!req) {
		report("dump failed: %s", nl_geterror(-NLE_NOMEM));
		return -1;
	}
	err = exchange_run(sk, req, on_dump_message, &ex);
	if (err < 0 || ex.kernel_failed) {
		report_exchange_failure("dump", err, &ex, req);
		nlmsg_free(req);
		return -1;
	}
	nlmsg_free(req);
	*received = ex.messages;
	if (ex.messages != expected) {
		report("dump failed: the dump ended after %u messages, expected %u", ex.messages,
		       expected);
		return -1;
	}
	return 0;
}

static int run_dump(struct nl_sock *sk, int family_id, const struct options *opts)
{
	unsigned int received;

	if (dump_exchange(sk, family_id, opts->msg, opts->has_count ? &opts->count : NULL, false,
			  &received))
		return EXIT_FAILURE;
	printf(PREFIX "dump done, %u message%s\n", received, received == 1 ? "" : "s");
	return EXIT_SUCCESS;
}

/* Its failures are reported as the other clients do, as "reply_with_error failed". */
static int run_error(struct nl_sock *sk, int family_id, const struct options *opts)
{
	struct exchange ex = { .family_id = family_id,
			       .cmd = GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR };
	char status[EXTACK_MSG_SIZE + 64];
	char blame[128];
	struct nl_msg *req;
	int err;

	req = build_request(family_id, ex.cmd, 0, opts->msg, NULL);
	if (!req) {
		report("reply_with_error failed: %s", nl_geterror(-NLE_NOMEM));
		return EXIT_FAILURE;
	}
	err = exchange_run(sk, req, on_unexpected_reply, &ex);
	if (err < 0) {
		report_exchange_failure("reply_with_error", err, &ex, req);
		nlmsg_free(req);
		return EXIT_FAILURE;
	}
	if (!ex.kernel_failed) {
		report("reply_with_error failed: the kernel acknowledged the request instead of "
		       "failing it");
		nlmsg_free(req);
		return EXIT_FAILURE;
	}
	describe_status(status, sizeof(status), &ex.kerr);
	printf(PREFIX "Kernel replied with error %s\n", status);
	describe_blame(blame, sizeof(blame), &ex.kerr, req);
	if (blame[0])
		printf(PREFIX "The extended ACK %s\n", blame);
	nlmsg_free(req);
	return EXIT_SUCCESS;
}

static int set_sockopt_flag(struct nl_sock *sk, int option)
{
	int one = 1;

	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, option, &one, sizeof(one)) < 0)
		return -nl_syserr2nlerr(errno);
	return 0;
}

/* Allocates, configures and connects a NETLINK_GENERIC socket. */
static int open_socket(const struct sock_config *cfg, struct nl_sock **skp)
{
	struct nl_sock *sk;
	struct nl_cb *cb;
	int err;

	/*
	 * Not nl_socket_alloc(): it takes the callback kind from the NLCB
	 * environment variable, whose verbose and debug kinds print messages to
	 * stderr. The exchanges set their callbacks on this default set.
	 */
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -NLE_NOMEM;
	sk = nl_socket_alloc_cb(cb);
	nl_cb_put(cb);
	if (!sk)
		return -NLE_NOMEM;

	if (!cfg->auto_ack)
		nl_socket_disable_auto_ack(sk);
	if (!cfg->msg_peek) {
		nl_socket_disable_msg_peek(sk);
		err = nl_socket_set_msg_buf_size(sk, FAST_RECV_BUF_SIZE);
		if (err < 0)
			goto fail;
	}
	err = genl_connect(sk);
	if (err < 0)
		goto fail;
	/*
	 * libnl 3.7 (Debian bookworm) has no call for NETLINK_EXT_ACK
	 * (nl_socket_set_ext_ack() came with libnl 3.8), so set it directly:
	 * without it the kernel sends errors with no message and no offset.
	 */
	err = set_sockopt_flag(sk, NETLINK_EXT_ACK);
	if (err < 0)
		goto fail;
	if (cfg->cap_ack) {
		err = set_sockopt_flag(sk, NETLINK_CAP_ACK);
		if (err < 0)
			goto fail;
	}
	*skp = sk;
	return 0;
fail:
	nl_socket_free(sk);
	return err;
}

/*
 * Asks the generic netlink controller for the family's id. genl_ctrl_resolve()
 * sends CTRL_CMD_GETFAMILY and reads CTRL_ATTR_FAMILY_ID from the reply by
 * type; it honours the socket's auto-ACK setting.
 */
static int resolve_family(struct nl_sock *sk)
{
	int id = genl_ctrl_resolve(sk, GNL_FOOBAR_XMPL_FAMILY_NAME);

	if (id == -NLE_OBJ_NOTFOUND)
		report("Generic Netlink family '" GNL_FOOBAR_XMPL_FAMILY_NAME "' not found: load "
		       "the module (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) or run in the VM "
		       "(sh vm/vm run -- <command>)");
	else if (id < 0)
		report("resolving family " GNL_FOOBAR_XMPL_FAMILY_NAME ": %s", nl_geterror(id));
	return id;
}

/* ---- What the benchmark (bench.c) times: the same exchanges, printing nothing ---- */

int bench_client_open(struct bench_client *bc)
{
	int err;

	bc->sk = NULL;
	err = open_socket(bc->libnl_defaults ? &libnl_default_config : &fast_config, &bc->sk);
	if (err < 0) {
		report("opening a generic netlink socket: %s", nl_geterror(err));
		return -1;
	}
	bc->family_id = resolve_family(bc->sk);
	return bc->family_id < 0 ? -1 : 0;
}

void bench_client_close(struct bench_client *bc)
{
	/* Closes the file descriptor too (NULL is fine). */
	nl_socket_free(bc->sk);
	bc->sk = NULL;
}

int bench_client_echo(struct bench_client *bc, const char *msg)
{
	return echo_exchange(bc->sk, bc->family_id, msg, true);
}

int bench_client_dump(struct bench_client *bc, uint32_t count)
{
	unsigned int received;

	return dump_exchange(bc->sk, bc->family_id, NULL, &count, true, &received);
}

/* Frees the @count requests of a batch and their array. */
static void free_batch(struct nl_msg **reqs, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		nlmsg_free(reqs[i]);
	free(reqs);
}

/*
 * Builds @count echo requests of @msg, completed as nl_send_auto() would (port,
 * next sequence number, NLM_F_REQUEST, NLM_F_ACK with auto-ACK), and copies
 * them one after the other into *@buf (*@len bytes, to free()).
 */
static struct nl_msg **build_batch(struct bench_client *bc, const char *msg, uint32_t count,
				   void **buf, size_t *len)
{
	struct nl_msg **reqs = calloc(count, sizeof(*reqs));
	unsigned char *out;
	uint32_t i;

	if (!reqs)
		return NULL;
	*len = 0;
	for (i = 0; i < count; i++) {
		reqs[i] = build_request(bc->family_id, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, 0, msg, NULL);
		if (!reqs[i]) {
			free_batch(reqs, i);
			return NULL;
		}
		nl_complete_msg(bc->sk, reqs[i]);
		*len += NLMSG_ALIGN(nlmsg_hdr(reqs[i])->nlmsg_len);
	}
	out = calloc(1, *len);
	if (!out) {
		free_batch(reqs, count);
		return NULL;
	}
	*buf = out;
	for (i = 0; i < count; i++) {
		struct nlmsghdr *nlh = nlmsg_hdr(reqs[i]);

		memcpy(out, nlh, nlh->nlmsg_len);
		out += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return reqs;
}

/*
 * @count echo requests in one datagram: libnl sends one message per
 * nl_send_auto(), so the batch goes out with nl_sendto(), its raw send. The
 * kernel answers each request in a datagram of its own, read as usual.
 */
int bench_client_batch(struct bench_client *bc, const char *msg, uint32_t count)
{
	struct nl_msg **reqs;
	size_t len;
	void *buf;
	uint32_t i;
	int err;

	reqs = build_batch(bc, msg, count, &buf, &len);
	if (!reqs) {
		report("echo failed: %s", nl_geterror(-NLE_NOMEM));
		return -1;
	}
	err = nl_sendto(bc->sk, buf, len);
	free(buf);
	for (i = 0; err >= 0 && i < count; i++) {
		struct exchange ex = { .family_id = bc->family_id,
				       .cmd = GNL_FOOBAR_XMPL_CMD_ECHO_MSG,
				       .sent = msg, .quiet = true };

		ex.seq = nlmsg_hdr(reqs[i])->nlmsg_seq;
		ex.ack_expected = expects_ack(nlmsg_hdr(reqs[i]));
		err = exchange_receive(bc->sk, on_echo_reply, &ex);
		if (err == 0 && !ex.kernel_failed && ex.messages == 0)
			err = reject(&ex, "an ACK without a reply", -NLE_MISSING_ATTR);
		if (err < 0 || ex.kernel_failed) {
			report_exchange_failure("echo", err, &ex, reqs[i]);
			free_batch(reqs, count);
			return -1;
		}
	}
	if (err < 0)
		report("echo failed: sending the batch: %s", nl_geterror(err));
	free_batch(reqs, count);
	return err < 0 ? -1 : 0;
}

static int run(const struct options *opts)
{
	struct nl_sock *sk;
	int family_id;
	int status;
	int err;

	err = open_socket(&opts->sock, &sk);
	if (err < 0) {
		report("opening a generic netlink socket: %s", nl_geterror(err));
		return EXIT_FAILURE;
	}
	family_id = resolve_family(sk);
	if (family_id < 0) {
		nl_socket_free(sk);
		return EXIT_FAILURE;
	}
	printf(PREFIX "Generic family id: %d\n", family_id);

	switch (opts->op) {
	case OP_ECHO:
		status = run_echo(sk, family_id, opts);
		break;
	case OP_DUMP:
		status = run_dump(sk, family_id, opts);
		break;
	case OP_ERROR:
	default:
		status = run_error(sk, family_id, opts);
		break;
	}
	nl_socket_free(sk);
	return status;
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
