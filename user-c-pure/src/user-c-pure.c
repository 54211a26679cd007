// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * user-c-pure: a client of the gnl_foobar_xmpl Generic Netlink family that
 * speaks to the kernel over a raw AF_NETLINK socket, with no netlink library.
 *
 * Every run: open a NETLINK_GENERIC socket, ask the controller ("nlctrl") for
 * the family's id, then send one request of that family (echo, dump, or the
 * command that always fails) and check every message of the answer.
 */
#define _GNU_SOURCE /* strerrorname_np() */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "gnl_foobar_xmpl.h"
#include "nl_msg.h"

#define PREFIX "[User-C-Pure]: "
#define DEFAULT_MSG "Hello from User-C-Pure"
#define EXIT_USAGE 2

/*
 * Receive buffer size. The kernel builds each dump skb as large as the largest
 * buffer this socket has passed to recvmsg() so far, capped at 32 KiB
 * (SKB_WITH_OVERHEAD(32768) in netlink_recvmsg()), and packs as many dump
 * messages into it as fit. A 32 KiB buffer
 * therefore never truncates a dump datagram, and the family query made first
 * on the same socket already tells the kernel to use big skbs for the dump:
 * fewer system calls. Replies to doit requests and ACKs are much smaller.
 */
#define RX_BUF_SIZE 32768

/*
 * Request buffer size: the headers plus the longest GNL_FOOBAR_XMPL_A_MSG the
 * kernel accepts fit easily, and a somewhat longer MSG still fits, so that the
 * kernel's policy (not this program) is what rejects it.
 */
#define TX_BUF_SIZE 8192

enum operation { OP_ECHO, OP_DUMP, OP_ERROR };

struct options {
	enum operation op;
	const char *msg;	/* NULL: send no GNL_FOOBAR_XMPL_A_MSG */
	int has_count;
	uint32_t count;
};

struct client {
	int fd;
	uint32_t portid;	/* our address, chosen by the kernel at bind() */
	uint32_t seq;		/* sequence number of the request in tx */
	uint16_t family_id;
	char err[512];		/* what failed, reported once by main() */
	/* The unions keep both buffers aligned for struct nlmsghdr. */
	union {
		struct nlmsghdr hdr;
		unsigned char bytes[TX_BUF_SIZE];
	} tx;
	union {
		struct nlmsghdr hdr;
		unsigned char bytes[RX_BUF_SIZE];
	} rx;
};

/* What the controller's reply may carry, up to the attributes used here. */
static const struct nlm_attr_policy ctrl_policy[CTRL_ATTR_MAXATTR + 1] = {
	[CTRL_ATTR_FAMILY_ID]	= { NLM_ATTR_U16, 0, "CTRL_ATTR_FAMILY_ID" },
	[CTRL_ATTR_FAMILY_NAME]	= { NLM_ATTR_STRING, GENL_NAMSIZ, "CTRL_ATTR_FAMILY_NAME" },
	[CTRL_ATTR_VERSION]	= { NLM_ATTR_U32, 0, "CTRL_ATTR_VERSION" },
	[CTRL_ATTR_HDRSIZE]	= { NLM_ATTR_U32, 0, "CTRL_ATTR_HDRSIZE" },
	[CTRL_ATTR_MAXATTR]	= { NLM_ATTR_U32, 0, "CTRL_ATTR_MAXATTR" },
};

/* What the family's replies may carry: DUMP_COUNT only ever goes to the kernel. */
static const struct nlm_attr_policy foobar_policy[GNL_FOOBAR_XMPL_A_MAX + 1] = {
	[GNL_FOOBAR_XMPL_A_MSG]		= { NLM_ATTR_STRING, GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1,
					    "GNL_FOOBAR_XMPL_A_MSG" },
	[GNL_FOOBAR_XMPL_A_DUMP_COUNT]	= { NLM_ATTR_UNEXPECTED, 0,
					    "GNL_FOOBAR_XMPL_A_DUMP_COUNT" },
	[GNL_FOOBAR_XMPL_A_DUMP_INDEX]	= { NLM_ATTR_U32, 0, "GNL_FOOBAR_XMPL_A_DUMP_INDEX" },
};

/* Called for each message of the answer that is not NLMSG_ERROR or NLMSG_DONE. */
typedef int (*reply_fn)(struct client *c, const struct nlmsghdr *nlh, void *arg);

__attribute__((format(printf, 2, 3)))
static int fail(struct client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

/* ---- Socket ---- */

static int client_open(struct client *c)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t addrlen = sizeof(addr);
	int one = 1;

	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (c->fd < 0)
		return fail(c, "cannot open a NETLINK_GENERIC socket: %s", strerror(errno));

	/* Extended ACKs: the kernel explains errors and points at the bad attribute. */
	if (setsockopt(c->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)))
		return fail(c, "cannot enable NETLINK_EXT_ACK: %s", strerror(errno));

	/* nl_pid 0 lets the kernel pick a free port id; read back which one. */
	if (bind(c->fd, (struct sockaddr *)&addr, sizeof(addr)))
		return fail(c, "cannot bind the netlink socket: %s", strerror(errno));
	if (getsockname(c->fd, (struct sockaddr *)&addr, &addrlen))
		return fail(c, "cannot read the socket's port id: %s", strerror(errno));
	if (addrlen != sizeof(addr) || addr.nl_family != AF_NETLINK)
		return fail(c, "getsockname() returned no netlink address");
	c->portid = addr.nl_pid;
	return 0;
}

static int client_send(struct client *c)
{
	/* nl_pid 0 addresses the kernel. */
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t sent;

	sent = sendto(c->fd, c->tx.bytes, c->tx.hdr.nlmsg_len, 0,
		      (struct sockaddr *)&kernel, sizeof(kernel));
	if (sent < 0)
		return fail(c, "sending the request failed: %s", strerror(errno));
	if ((size_t)sent != c->tx.hdr.nlmsg_len)
		return fail(c, "sending the request failed: %zd of %u bytes sent",
			    sent, c->tx.hdr.nlmsg_len);
	return 0;
}

/* Receives one datagram (one or more messages) into c->rx. */
static int client_recv(struct client *c, size_t *len)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = c->rx.bytes, .iov_len = sizeof(c->rx.bytes) };
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t got;

	/* With MSG_TRUNC, recvmsg() returns the datagram's full length even if it was cut. */
	got = recvmsg(c->fd, &msg, MSG_TRUNC);
	if (got < 0)
		return fail(c, "receiving the reply failed: %s", strerror(errno));
	if (msg.msg_flags & MSG_TRUNC)
		return fail(c, "reply truncated: a %zd-byte datagram does not fit the %zu-byte buffer",
			    got, sizeof(c->rx.bytes));
	if (msg.msg_namelen != sizeof(from) || from.nl_family != AF_NETLINK)
		return fail(c, "received a datagram without a netlink source address");
	/* Another process may send to our port id too: only the kernel (0) answers. */
	if (from.nl_pid != 0)
		return fail(c, "received a datagram from port id %u, not from the kernel",
			    from.nl_pid);
	if (got == 0)
		return fail(c, "malformed reply: empty datagram");
	*len = (size_t)got;
	return 0;
}

/* ---- Requests and their answers ---- */

static int start_request(struct client *c, uint16_t type, uint16_t flags,
			 uint8_t cmd, uint8_t version)
{
	c->seq++;
	if (!nlm_put_genl_header(c->tx.bytes, sizeof(c->tx.bytes), type,
				 NLM_F_REQUEST | flags, c->seq, cmd, version))
		return fail(c, "the request buffer cannot hold a Generic Netlink header");
	return 0;
}

static int is_dump_request(const struct client *c)
{
	return (c->tx.hdr.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/*
 * Checks one message of the answer to the request in c->tx. Returns 1 if it
 * ends the answer (its status is then in @ack), 0 if more follow, -1 on failure.
 */
static int handle_message(struct client *c, const struct nlmsghdr *nlh,
			  reply_fn on_reply, void *arg, struct nlm_ack *ack)
{
	struct nlm_error e;

	/* The kernel copies the request's seq and our port id into every answer. */
	if (nlh->nlmsg_seq != c->seq || nlh->nlmsg_pid != c->portid)
		return fail(c, "unexpected message with seq %u for port id %u (request: seq %u, port id %u)",
			    nlh->nlmsg_seq, nlh->nlmsg_pid, c->seq, c->portid);

	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
		return 0;
	case NLMSG_ERROR:
		/* An ACK (error 0) or an error; for a dump, the dump did not start. */
		if (nlm_parse_error_msg(nlh, ack, &e))
			return fail(c, "%s", e.text);
		return 1;
	case NLMSG_DONE:
		if (!is_dump_request(c))
			return fail(c, "malformed reply: NLMSG_DONE answers a request that is no dump");
		if (nlm_parse_done_msg(nlh, ack, &e))
			return fail(c, "%s", e.text);
		return 1;
	}
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return fail(c, "malformed reply: unexpected control message of type %u",
			    nlh->nlmsg_type);
	/* Generic Netlink replies carry the family id the request was sent to. */
	if (nlh->nlmsg_type != c->tx.hdr.nlmsg_type)
		return fail(c, "malformed reply: message of type %u to a request of type %u",
			    nlh->nlmsg_type, c->tx.hdr.nlmsg_type);
	if (is_dump_request(c)) {
		if (!(nlh->nlmsg_flags & NLM_F_MULTI))
			return fail(c, "malformed reply: dump message without NLM_F_MULTI");
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			return fail(c, "the dump was interrupted by a change in the kernel (NLM_F_DUMP_INTR): run it again");
	}
	return on_reply(c, nlh, arg) ? -1 : 0;
}

/*
 * Sends the request in c->tx and reads its whole answer: the replies, handed to
 * @on_reply, then the message that ends it, which is the ACK of a request sent
 * with NLM_F_ACK, the NLMSG_DONE of a dump, or an NLMSG_ERROR. Returns 0 with
 * the kernel's status in @ack, or -1 if the exchange itself failed.
 */
static int transact(struct client *c, reply_fn on_reply, void *arg, struct nlm_ack *ack)
{
	int done = 0;

	if (client_send(c))
		return -1;
	while (!done) {
		const struct nlmsghdr *nlh;
		struct nlm_walk walk;
		struct nlm_error e;
		size_t len = 0;
		int more;

		if (client_recv(c, &len))
			return -1;
		nlm_walk_init(&walk, c->rx.bytes, len);
		while ((more = nlm_walk_next(&walk, &nlh, &e)) == 1) {
			if (done)
				return fail(c, "malformed reply: message of type %u after the end of the answer",
					    nlh->nlmsg_type);
			done = handle_message(c, nlh, on_reply, arg, ack);
			if (done < 0)
				return -1;
		}
		if (more < 0)
			return fail(c, "%s", e.text);
	}
	return 0;
}

/* Names attribute @type of a request for the user, from a policy table. */
static const char *attr_name(const struct nlm_attr_policy *policy, uint16_t max_type,
			     uint32_t type, char *buf, size_t size)
{
	if (type <= max_type && policy[type].name)
		return policy[type].name;
	snprintf(buf, size, "of type %u", type);
	return buf;
}

/* "EINVAL (22): <the kernel's message, or strerror()>" */
static void describe_status(const struct nlm_ack *ack, char *buf, size_t size)
{
	snprintf(buf, size, "%s (%d): %s", errno_name(ack->error), ack->error,
		 ack->msg[0] ? ack->msg : strerror(ack->error));
}

/* Which request attribute the extended ACK blames, if any: "" when none. */
static void describe_attrs(const struct client *c, const struct nlm_ack *ack,
			   const struct nlm_attr_policy *policy, uint16_t max_type,
			   char *buf, size_t size)
{
	char bad[32], missing[32];
	int type;

	buf[0] = '\0';
	if (ack->has_offs) {
		type = nlm_attr_type_at(&c->tx.hdr, GENL_HDRLEN, ack->offs);
		snprintf(buf, size, "bad attribute %s at byte %u of the request",
			 type < 0 ? "(none)" : attr_name(policy, max_type, type, bad, sizeof(bad)),
			 ack->offs);
	} else if (ack->has_miss_type) {
		snprintf(buf, size, "missing attribute %s",
			 attr_name(policy, max_type, ack->miss_type, missing, sizeof(missing)));
	}
}

/* Fails with the kernel's error for @what, on one line. */
static int fail_kernel(struct client *c, const char *what, const struct nlm_ack *ack,
		       const struct nlm_attr_policy *policy, uint16_t max_type)
{
	char status[320], attrs[96];

	describe_status(ack, status, sizeof(status));
	describe_attrs(c, ack, policy, max_type, attrs, sizeof(attrs));
	return fail(c, "the kernel rejected %s: %s%s%s%s", what, status,
		    attrs[0] ? " (" : "", attrs, attrs[0] ? ")" : "");
}

/* ---- Resolving the family ---- */

static int on_family(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[CTRL_ATTR_MAXATTR + 1];
	uint16_t *id = arg;
	struct nlm_error e;
	uint8_t cmd;

	if (nlm_parse_genl(nlh, &cmd, ctrl_policy, CTRL_ATTR_MAXATTR, tb, &e))
		return fail(c, "%s", e.text);
	if (cmd != CTRL_CMD_NEWFAMILY)
		return fail(c, "malformed reply: controller command %u, expected CTRL_CMD_NEWFAMILY",
			    cmd);
	if (*id)
		return fail(c, "malformed reply: the controller described more than one family");
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
		return fail(c, "malformed reply: the controller's reply lacks the family's id or name");
	if (strcmp(nlm_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), GNL_FOOBAR_XMPL_FAMILY_NAME))
		return fail(c, "malformed reply: the controller described family '%s'",
			    nlm_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]));
	*id = nlm_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (*id == 0)
		return fail(c, "malformed reply: family id 0");
	return 0;
}

/* Asks the controller (nlctrl, fixed id GENL_ID_CTRL) for the family's id. */
static int resolve_family(struct client *c)
{
	struct nlm_ack ack;
	uint16_t id = 0;

	if (start_request(c, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1))
		return -1;
	if (nlm_put_strz(&c->tx.hdr, sizeof(c->tx.bytes), CTRL_ATTR_FAMILY_NAME,
			 GNL_FOOBAR_XMPL_FAMILY_NAME))
		return fail(c, "the family name does not fit the request buffer");
	if (transact(c, on_family, &id, &ack))
		return -1;
	if (ack.error == ENOENT)
		return fail(c, "Generic Netlink family '%s' not found: load the module (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) or run in the VM (sh vm/vm run -- <command>)",
			    GNL_FOOBAR_XMPL_FAMILY_NAME);
	if (ack.error)
		return fail_kernel(c, "the family query", &ack, ctrl_policy, CTRL_ATTR_MAXATTR);
	if (!id)
		return fail(c, "the controller acknowledged the family query without describing the family");

	c->family_id = id;
	printf(PREFIX "Generic family id: %u\n", id);
	return 0;
}

/* ---- The three operations ---- */

static int start_foobar_request(struct client *c, uint16_t flags, uint8_t cmd, const char *msg)
{
	if (start_request(c, c->family_id, flags, cmd, GNL_FOOBAR_XMPL_FAMILY_VERSION))
		return -1;
	if (msg && nlm_put_strz(&c->tx.hdr, sizeof(c->tx.bytes), GNL_FOOBAR_XMPL_A_MSG, msg))
		return fail(c, "--msg is too long: %zu bytes do not fit a %d-byte request",
			    strlen(msg), TX_BUF_SIZE);
	return 0;
}

/* Parses a reply of the family, checking that it belongs to command @want. */
static int parse_foobar_reply(struct client *c, const struct nlmsghdr *nlh, uint8_t want,
			      const struct nlattr **tb)
{
	struct nlm_error e;
	uint8_t cmd;

	if (nlm_parse_genl(nlh, &cmd, foobar_policy, GNL_FOOBAR_XMPL_A_MAX, tb, &e))
		return fail(c, "%s", e.text);
	if (cmd != want)
		return fail(c, "malformed reply: command %u, expected %u", cmd, want);
	if (!tb[GNL_FOOBAR_XMPL_A_MSG])
		return fail(c, "malformed reply: no GNL_FOOBAR_XMPL_A_MSG");
	return 0;
}

struct echo_state {
	const char *sent;
	int replies;
};

static int on_echo(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	struct echo_state *st = arg;
	const char *msg;

	if (parse_foobar_reply(c, nlh, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, tb))
		return -1;
	if (st->replies++)
		return fail(c, "malformed reply: more than one reply to an echo request");
	msg = nlm_attr_get_str(tb[GNL_FOOBAR_XMPL_A_MSG]);
	if (st->sent && strcmp(msg, st->sent))
		return fail(c, "the kernel echoed a different message than it was sent");
	printf(PREFIX "Received from kernel: '%s'\n", msg);
	return 0;
}

static int run_echo(struct client *c, const struct options *opts)
{
	struct echo_state st = { .sent = opts->msg, .replies = 0 };
	struct nlm_ack ack;

	/* NLM_F_ACK: an ACK follows the reply, so the end of the answer is explicit. */
	if (start_foobar_request(c, NLM_F_ACK, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, opts->msg) ||
	    transact(c, on_echo, &st, &ack))
		return -1;
	if (ack.error)
		return fail_kernel(c, "the echo request", &ack, foobar_policy, GNL_FOOBAR_XMPL_A_MAX);
	if (!st.replies)
		return fail(c, "the kernel acknowledged the echo request without replying");
	return 0;
}

static int on_dump_message(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	uint32_t *received = arg;
	uint32_t index;

	if (parse_foobar_reply(c, nlh, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, tb))
		return -1;
	if (!tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX])
		return fail(c, "malformed reply: dump message without GNL_FOOBAR_XMPL_A_DUMP_INDEX");
	index = nlm_attr_get_u32(tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX]);
	if (index != *received)
		return fail(c, "dump message %u arrived where %u was expected", index, *received);
	printf(PREFIX "dump message %u: '%s'\n", index,
	       nlm_attr_get_str(tb[GNL_FOOBAR_XMPL_A_MSG]));
	(*received)++;
	return 0;
}

static int run_dump(struct client *c, const struct options *opts)
{
	uint32_t expected = GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT;
	uint32_t received = 0;
	struct nlm_ack ack;

	if (start_foobar_request(c, NLM_F_DUMP, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, opts->msg))
		return -1;
	if (opts->has_count) {
		expected = opts->count;
		if (nlm_put_u32(&c->tx.hdr, sizeof(c->tx.bytes), GNL_FOOBAR_XMPL_A_DUMP_COUNT,
				opts->count))
			return fail(c, "--count does not fit the request buffer");
	}
	if (transact(c, on_dump_message, &received, &ack))
		return -1;
	if (ack.error)
		return fail_kernel(c, "the dump request", &ack, foobar_policy, GNL_FOOBAR_XMPL_A_MAX);
	if (received != expected)
		return fail(c, "the dump ended after %u messages, expected %u", received, expected);
	printf(PREFIX "dump done, %u message%s\n", received, received == 1 ? "" : "s");
	return 0;
}

static int on_unexpected_reply(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	return fail(c, "malformed reply: message of type %u where only an error was expected",
		    nlh->nlmsg_type);
}

/* The kernel's error is this operation's expected result: it succeeds if one comes. */
static int run_error(struct client *c, const struct options *opts)
{
	char status[320], attrs[96];
	struct nlm_ack ack;

	if (start_foobar_request(c, NLM_F_ACK, GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR,
				 opts->msg) ||
	    transact(c, on_unexpected_reply, NULL, &ack))
		return -1;
	if (!ack.error)
		return fail(c, "the kernel accepted GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, which must always fail");

	describe_status(&ack, status, sizeof(status));
	printf(PREFIX "Kernel replied with error %s\n", status);
	describe_attrs(c, &ack, foobar_policy, GNL_FOOBAR_XMPL_A_MAX, attrs, sizeof(attrs));
	if (attrs[0])
		printf(PREFIX "The extended ACK names the %s\n", attrs);
	return 0;
}

/* ---- Command line ---- */

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: user-c-pure echo|dump|error [--msg TEXT] [--count N] [--no-msg]\n"
		"       user-c-pure --help\n"
		"Talks to the %s Generic Netlink family over a raw AF_NETLINK socket.\n"
		"  echo        send --msg (default \"%s\"); the kernel echoes it back\n"
		"  dump        request a dump of --count messages (default: the kernel's, %d),\n"
		"              each carrying --msg (default: the kernel's)\n"
		"  error       send the command the kernel always answers with an error\n"
		"  --msg TEXT  GNL_FOOBAR_XMPL_A_MSG (the kernel accepts up to %d bytes)\n"
		"  --count N   dump only: GNL_FOOBAR_XMPL_A_DUMP_COUNT (the kernel accepts %d..%d)\n"
		"  --no-msg    echo only: send no GNL_FOOBAR_XMPL_A_MSG, to see the kernel refuse\n",
		GNL_FOOBAR_XMPL_FAMILY_NAME, DEFAULT_MSG, GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT,
		GNL_FOOBAR_XMPL_MSG_MAX_LEN, GNL_FOOBAR_XMPL_DUMP_MIN_COUNT,
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
			return usage_error("unknown operation '%s': expected echo, dump or error", arg);
		} else {
			have_op = 1;
		}
	}

	if (!have_op)
		return usage_error("no operation given: expected echo, dump or error");
	if (opts->has_count && opts->op != OP_DUMP)
		return usage_error("--count applies to dump only");
	if (no_msg && (opts->op != OP_ECHO || opts->msg))
		return usage_error("--no-msg applies to echo without --msg only");
	if (opts->op == OP_ECHO && !opts->msg && !no_msg)
		opts->msg = DEFAULT_MSG;
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
	}
	return fail(c, "unknown operation");
}

int main(int argc, char **argv)
{
	struct options opts;
	struct client c;
	int failed;

	switch (parse_args(argc, argv, &opts)) {
	case 1:
		print_usage(stdout);
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	case -1:
		return EXIT_USAGE;
	}

	c.fd = -1;
	c.seq = 0;
	c.err[0] = '\0';
	failed = client_open(&c) || resolve_family(&c) || run_operation(&c, &opts);
	if (c.fd >= 0 && close(c.fd) && !failed)
		failed = fail(&c, "closing the socket failed: %s", strerror(errno));
	/* Output may sit in stdio's buffer until now: a write error shows up here. */
	if (fflush(stdout) && !failed)
		failed = fail(&c, "writing the output failed: %s", strerror(errno));

	if (failed) {
		fprintf(stderr, PREFIX "error: %s\n", c.err);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
