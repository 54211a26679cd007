// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * client: the raw-socket protocol code of user-c-pure (see client.h). Open a
 * NETLINK_GENERIC socket, ask the controller ("nlctrl") for the family's id,
 * then send requests of that family and check every message of each answer.
 */
#define _GNU_SOURCE /* strerrorname_np() */

#include "client.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "gnl_foobar_xmpl.h"
#include "proc_netlink.h"

/* What the family's replies may carry: DUMP_COUNT only ever goes to the kernel. */
static const struct nlm_attr_policy foobar_policy[GNL_FOOBAR_XMPL_A_MAX + 1] = {
	[GNL_FOOBAR_XMPL_A_MSG]		= { NLM_ATTR_STRING, GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1,
					    "GNL_FOOBAR_XMPL_A_MSG" },
	[GNL_FOOBAR_XMPL_A_DUMP_COUNT]	= { NLM_ATTR_UNEXPECTED, 0,
					    "GNL_FOOBAR_XMPL_A_DUMP_COUNT" },
	[GNL_FOOBAR_XMPL_A_DUMP_INDEX]	= { NLM_ATTR_U32, 0, "GNL_FOOBAR_XMPL_A_DUMP_INDEX" },
};

/* A request with the longest --msg, and the error that carries it back, must fit. */
_Static_assert(NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + NLA_ALIGN(CLIENT_MSG_ARG_MAX + 1) +
	       NLA_HDRLEN + sizeof(uint32_t) <= CLIENT_TX_BUF_SIZE,
	       "the request buffer must hold the longest --msg and a DUMP_COUNT");
_Static_assert(NLMSG_HDRLEN + sizeof(int) + CLIENT_TX_BUF_SIZE + 1024 <= CLIENT_RX_BUF_SIZE,
	       "an error carrying the largest request back, and its extended ACK, must fit");

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

	return name ? name : "unknown errno";
}

/* ---- Socket ---- */

int client_open(struct client *c)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t addrlen = sizeof(addr);
	int one = 1;

	c->seq = 0;
	c->family_id = 0;
	c->config_group = 0;
	c->drops = 0;
	c->draining = 0;
	nlm_walk_init(&c->pending, c->rx.bytes, 0);
	c->err[0] = '\0';
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

int client_close(struct client *c)
{
	int fd = c->fd;

	if (fd < 0)
		return 0;
	c->fd = -1;
	if (close(fd))
		return fail(c, "closing the socket failed: %s", strerror(errno));
	return 0;
}

/* Sends the first @len bytes of c->tx: one request, or a batch of them. */
static int client_send(struct client *c, size_t len)
{
	/* nl_pid 0 addresses the kernel. */
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t sent;

	sent = sendto(c->fd, c->tx.bytes, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	if (sent < 0)
		return fail(c, "sending the request failed: %s", strerror(errno));
	if ((size_t)sent != len)
		return fail(c, "sending the request failed: %zd of %zu bytes sent", sent, len);
	return 0;
}

/*
 * Receives one datagram (one or more messages) into c->rx. If @overrun is not
 * NULL, ENOBUFS (the kernel dropped messages for this socket) is no failure:
 * *@overrun is set instead. @flags: 0, or MSG_DONTWAIT, with which an empty
 * queue is no failure either: *@len is then 0 and *@overrun unset.
 */
static int client_recv(struct client *c, int flags, size_t *len, int *overrun)
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
	got = recvmsg(c->fd, &msg, MSG_TRUNC | flags);
	if (got < 0 && errno == ENOBUFS && overrun) {
		*overrun = 1;
		*len = 0;
		return 0;
	}
	if (got < 0 && (flags & MSG_DONTWAIT) && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		*len = 0;
		return 0;
	}
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

/*
 * Starts a request at @offset bytes into c->tx, with the next sequence number.
 * Returns its header, or NULL (after fail()) if the headers do not fit.
 */
static struct nlmsghdr *start_request_at(struct client *c, size_t offset, uint16_t type,
					 uint16_t flags, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;

	c->seq++;
	nlh = nlm_put_genl_header(c->tx.bytes + offset, sizeof(c->tx.bytes) - offset, type,
				  NLM_F_REQUEST | flags, c->seq, cmd, version);
	if (!nlh)
		fail(c, "the request buffer cannot hold a Generic Netlink header");
	return nlh;
}

static int is_dump_request(const struct client *c)
{
	return (c->tx.hdr.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/*
 * A doit request sent without NLM_F_ACK is answered by exactly one message:
 * its reply, or an NLMSG_ERROR if it failed. The reply that carries the
 * request's seq is therefore the end of the answer, and waiting for an ACK
 * would cost a second datagram (one more recvmsg()) for nothing.
 */
static int reply_ends_answer(const struct client *c)
{
	return !is_dump_request(c) && !(c->tx.hdr.nlmsg_flags & NLM_F_ACK);
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
	if (on_reply(c, nlh, arg))
		return -1;
	if (!reply_ends_answer(c))
		return 0;
	memset(ack, 0, sizeof(*ack));
	return 1;
}

/*
 * Reads the whole answer to request c->seq: the replies, handed to @on_reply,
 * up to the message that ends it, which is the reply itself for a doit sent
 * without NLM_F_ACK, the ACK of a request sent with NLM_F_ACK, the NLMSG_DONE
 * of a dump, or an NLMSG_ERROR. Returns 0 with the kernel's status in @ack, or
 * -1 if the exchange itself failed.
 */
static int receive_answer(struct client *c, reply_fn on_reply, void *arg, struct nlm_ack *ack)
{
	int done = 0;

	while (!done) {
		const struct nlmsghdr *nlh;
		struct nlm_walk walk;
		struct nlm_error e;
		size_t len = 0;
		int more;

		if (client_recv(c, 0, &len, NULL))
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

/* Sends the one request in c->tx and reads its whole answer (see receive_answer()). */
static int transact(struct client *c, reply_fn on_reply, void *arg, struct nlm_ack *ack)
{
	if (client_send(c, c->tx.hdr.nlmsg_len))
		return -1;
	return receive_answer(c, on_reply, arg, ack);
}

/* Names attribute @type of a request for the user, from a policy table. */
static const char *attr_name(const struct nlm_attr_policy *policy, uint16_t max_type,
			     uint32_t type, char *buf, size_t size)
{
	if (type <= max_type && policy[type].name)
		return policy[type].name;
	snprintf(buf, size, "attribute type %u", type);
	return buf;
}

void client_describe_status(const struct nlm_ack *ack, char *buf, size_t size)
{
	snprintf(buf, size, "%s (%d): %s", errno_name(ack->error), ack->error,
		 ack->msg[0] ? ack->msg : strerror(ack->error));
}

/* client_describe_attrs() for the attributes of @policy. */
static void describe_attrs(const struct client *c, const struct nlm_ack *ack,
			   const struct nlm_attr_policy *policy, uint16_t max_type,
			   char *buf, size_t size)
{
	char name[32];
	int type;

	buf[0] = '\0';
	if (ack->has_offs) {
		type = nlm_attr_type_at(&c->tx.hdr, GENL_HDRLEN, ack->offs);
		if (type < 0)
			snprintf(buf, size, "points at byte %u of the request", ack->offs);
		else
			snprintf(buf, size, "points at %s, byte %u of the request",
				 attr_name(policy, max_type, type, name, sizeof(name)), ack->offs);
	} else if (ack->has_miss_type) {
		snprintf(buf, size, "names the missing attribute %s",
			 attr_name(policy, max_type, ack->miss_type, name, sizeof(name)));
	}
}

void client_describe_attrs(const struct client *c, const struct nlm_ack *ack,
			   char *buf, size_t size)
{
	describe_attrs(c, ack, foobar_policy, GNL_FOOBAR_XMPL_A_MAX, buf, size);
}

/*
 * Fails with the kernel's error, on one line: "<@context>kernel replied with
 * error EINVAL (22): <message> (<what the extended ACK blames>)".
 */
static int fail_kernel(struct client *c, const char *context, const struct nlm_ack *ack,
		       const struct nlm_attr_policy *policy, uint16_t max_type)
{
	char status[320], attrs[96];

	client_describe_status(ack, status, sizeof(status));
	describe_attrs(c, ack, policy, max_type, attrs, sizeof(attrs));
	return fail(c, "%skernel replied with error %s%s%s%s", context, status,
		    attrs[0] ? " (" : "", attrs, attrs[0] ? ")" : "");
}

/* ---- Resolving the family ---- */

/* What a family query is after, and what it found. */
struct family_query {
	const char *name;
	const char *group;	/* the multicast group whose id is wanted */
	uint16_t id;
	uint32_t group_id;	/* 0: the family has no such group */
};

static int on_family(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	struct family_query *q = arg;
	struct nlm_ctrl_family fam;
	struct nlm_error e;

	if (nlm_parse_ctrl_family(nlh, &fam, &e))
		return fail(c, "%s", e.text);
	if (fam.cmd != CTRL_CMD_NEWFAMILY)
		return fail(c, "malformed reply: controller command %u, expected CTRL_CMD_NEWFAMILY",
			    fam.cmd);
	if (q->id)
		return fail(c, "malformed reply: the controller described more than one family");
	if (!fam.id || !fam.name)
		return fail(c, "malformed reply: the controller's reply lacks the family's id or name");
	if (strcmp(fam.name, q->name))
		return fail(c, "malformed reply: the controller described family '%s'", fam.name);
	if (fam.mcast_groups &&
	    nlm_find_mcast_group(fam.mcast_groups, q->group, &q->group_id, &e) < 0)
		return fail(c, "%s", e.text);
	q->id = fam.id;
	return 0;
}

/*
 * Asks the controller (nlctrl, fixed id GENL_ID_CTRL) for family @q->name: its
 * id and the id of its multicast group @q->group, from CTRL_ATTR_MCAST_GROUPS.
 * No NLM_F_ACK: the controller's reply, or its error (ENOENT for an unknown
 * family), is the whole answer. Version 1, as libnl sends: the controller
 * never reads genlmsghdr.version (the core checks no family's version).
 */
static int query_family(struct client *c, struct family_query *q)
{
	struct nlm_ack ack;

	if (!start_request_at(c, 0, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1))
		return -1;
	if (nlm_put_strz(&c->tx.hdr, sizeof(c->tx.bytes), CTRL_ATTR_FAMILY_NAME, q->name))
		return fail(c, "the family name does not fit the request buffer");
	if (transact(c, on_family, q, &ack))
		return -1;
	if (ack.error == ENOENT)
		return fail(c, "Generic Netlink family '%s' not found%s", q->name,
			    strcmp(q->name, GNL_FOOBAR_XMPL_FAMILY_NAME) ? "" :
			    ": load the module (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) or run in the VM (sh vm/vm run -- <command>)");
	if (ack.error)
		return fail_kernel(c, "the family query failed: ", &ack, nlm_ctrl_policy,
				   NLM_CTRL_ATTR_MAX);
	if (!q->id)
		return fail(c, "the controller answered the family query without describing the family");
	return 0;
}

int client_resolve_family(struct client *c)
{
	struct family_query q = { .name = GNL_FOOBAR_XMPL_FAMILY_NAME,
				  .group = GNL_FOOBAR_XMPL_MCGRP_CONFIG };

	if (query_family(c, &q))
		return -1;
	c->family_id = q.id;
	c->config_group = q.group_id;
	return 0;
}

/* ---- The family's operations ---- */

/*
 * Appends a request of the family at @offset bytes into c->tx, with @msg as
 * GNL_FOOBAR_XMPL_A_MSG unless NULL. Returns its header, or NULL after fail().
 */
static struct nlmsghdr *put_foobar_request(struct client *c, size_t offset, uint16_t flags,
					   uint8_t cmd, const char *msg)
{
	struct nlmsghdr *nlh;

	nlh = start_request_at(c, offset, c->family_id, flags, cmd,
			       GNL_FOOBAR_XMPL_FAMILY_VERSION);
	if (!nlh)
		return NULL;
	if (msg && nlm_put_strz(nlh, sizeof(c->tx.bytes) - offset, GNL_FOOBAR_XMPL_A_MSG, msg)) {
		fail(c, "the request does not fit the %d-byte request buffer (a %zu-byte message)",
		     CLIENT_TX_BUF_SIZE, strlen(msg));
		return NULL;
	}
	return nlh;
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
	const char *sent;	/* NULL when the request carried no MSG */
	const char *received;	/* the echoed string, in c->rx */
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
	st->received = msg;
	return 0;
}

/* Reads the answer to echo request c->seq, which carried @msg. */
static int receive_echo(struct client *c, const char *msg, const char **reply)
{
	struct echo_state st = { .sent = msg, .received = NULL, .replies = 0 };
	struct nlm_ack ack;

	if (receive_answer(c, on_echo, &st, &ack))
		return -1;
	if (ack.error)
		return fail_kernel(c, "", &ack, foobar_policy, GNL_FOOBAR_XMPL_A_MAX);
	if (!st.received)
		return fail(c, "the kernel acknowledged the echo request without replying");
	if (reply)
		*reply = st.received;
	return 0;
}

/* No NLM_F_ACK: the reply with our seq ends the answer (see reply_ends_answer()). */
int client_echo(struct client *c, const char *msg, const char **reply)
{
	if (!put_foobar_request(c, 0, 0, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, msg) ||
	    client_send(c, c->tx.hdr.nlmsg_len))
		return -1;
	return receive_echo(c, msg, reply);
}

/*
 * The kernel runs the requests of one datagram one after the other
 * (netlink_rcv_skb()) and answers each with a datagram of its own: one
 * sendto() for the batch, one recvmsg() per reply. handle_message() checks the
 * replies' type against the first request in c->tx, which all share.
 */
int client_echo_batch(struct client *c, const char *msg, unsigned int count)
{
	uint32_t first = c->seq + 1;
	size_t len = 0;
	unsigned int i;

	if (count == 0)
		return fail(c, "a batch needs at least one request");
	for (i = 0; i < count; i++) {
		struct nlmsghdr *nlh;

		nlh = put_foobar_request(c, len, 0, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, msg);
		if (!nlh)
			return fail(c, "a batch of %u requests does not fit the %d-byte request buffer",
				    count, CLIENT_TX_BUF_SIZE);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (client_send(c, len))
		return -1;
	for (i = 0; i < count; i++) {
		c->seq = first + i;
		if (receive_echo(c, msg, NULL))
			return -1;
	}
	return 0;
}

struct dump_state {
	client_dump_fn on_message;
	void *arg;
	uint32_t received;
};

static int on_dump_message(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	struct dump_state *st = arg;
	uint32_t index;

	if (parse_foobar_reply(c, nlh, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, tb))
		return -1;
	if (!tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX])
		return fail(c, "malformed reply: dump message without GNL_FOOBAR_XMPL_A_DUMP_INDEX");
	index = nlm_attr_get_u32(tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX]);
	if (index != st->received)
		return fail(c, "dump message %u arrived where %u was expected", index, st->received);
	st->received++;
	st->on_message(st->arg, index, nlm_attr_get_str(tb[GNL_FOOBAR_XMPL_A_MSG]));
	return 0;
}

int client_dump(struct client *c, int has_count, uint32_t count, const char *msg,
		client_dump_fn on_message, void *arg, uint32_t *received)
{
	struct dump_state st = { .on_message = on_message, .arg = arg, .received = 0 };
	struct nlm_ack ack;

	if (!put_foobar_request(c, 0, NLM_F_DUMP, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, msg))
		return -1;
	if (has_count &&
	    nlm_put_u32(&c->tx.hdr, sizeof(c->tx.bytes), GNL_FOOBAR_XMPL_A_DUMP_COUNT, count))
		return fail(c, "--count does not fit the request buffer");
	if (transact(c, on_dump_message, &st, &ack))
		return -1;
	*received = st.received;
	if (ack.error)
		return fail_kernel(c, "", &ack, foobar_policy, GNL_FOOBAR_XMPL_A_MAX);
	/* Without DUMP_COUNT, the count is the namespace's config: any set may change it. */
	if (has_count && st.received != count)
		return fail(c, "the dump ended after %u messages, expected %u", st.received, count);
	return 0;
}

static int on_unexpected_reply(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	return fail(c, "malformed reply: message of type %u where only an error was expected",
		    nlh->nlmsg_type);
}

/*
 * NLM_F_ACK costs nothing here (the error is the ACK) and turns a kernel that
 * wrongly succeeds into an answer rather than a reply this code would reject.
 */
int client_error(struct client *c, const char *msg, struct nlm_ack *ack)
{
	if (!put_foobar_request(c, 0, NLM_F_ACK, GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, msg) ||
	    transact(c, on_unexpected_reply, NULL, ack))
		return -1;
	if (!ack->error)
		return fail(c, "the kernel accepted GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR, which must always fail");
	return 0;
}

/* ---- The config: get, set, and listening to its notifications ---- */

struct config_state {
	uint8_t cmd;		/* the command the reply must carry */
	struct nlm_config *cfg;
	int replies;
};

static int on_config(struct client *c, const struct nlmsghdr *nlh, void *arg)
{
	struct config_state *st = arg;
	struct nlm_error e;

	if (nlm_parse_config_msg(nlh, st->cmd, st->cfg, &e))
		return fail(c, "%s", e.text);
	if (st->replies++)
		return fail(c, "malformed reply: more than one config in the answer");
	return 0;
}

/* No NLM_F_ACK: the reply with our seq ends the answer (see reply_ends_answer()). */
int client_config_get(struct client *c, struct nlm_config *cfg)
{
	struct config_state st = { .cmd = GNL_FOOBAR_XMPL_CMD_CONFIG_GET, .cfg = cfg };
	struct nlm_ack ack;

	if (!put_foobar_request(c, 0, 0, GNL_FOOBAR_XMPL_CMD_CONFIG_GET, NULL) ||
	    transact(c, on_config, &st, &ack))
		return -1;
	if (ack.error)
		return fail_kernel(c, "", &ack, nlm_config_policy, GNL_FOOBAR_XMPL_A_MAX);
	if (!st.replies)
		return fail(c, "the kernel answered the config-get without the config");
	return 0;
}

/*
 * With NLM_F_ECHO, genl_notify() sends the notification to the sender too
 * (nlmsg_notify(), report set), before the doit returns; netlink_rcv_skb()
 * sends the ACK after it. handle_message() already holds every message to our
 * seq and port id, which the notification carries (it is built from the
 * request's), and the ACK ends the answer: a notification missing by then is
 * an error.
 */
int client_config_set(struct client *c, const uint32_t *count, const char *msg,
		      struct nlm_config *cfg)
{
	struct config_state st = { .cmd = GNL_FOOBAR_XMPL_CMD_CONFIG_NTF, .cfg = cfg };
	struct nlm_ack ack;

	if (!put_foobar_request(c, 0, NLM_F_ACK | NLM_F_ECHO, GNL_FOOBAR_XMPL_CMD_CONFIG_SET,
				NULL))
		return -1;
	if (count && nlm_put_u32(&c->tx.hdr, sizeof(c->tx.bytes),
				 GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, *count))
		return fail(c, "--count does not fit the request buffer");
	if (msg && nlm_put_strz(&c->tx.hdr, sizeof(c->tx.bytes), GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG,
				msg))
		return fail(c, "the request does not fit the %d-byte request buffer (a %zu-byte message)",
			    CLIENT_TX_BUF_SIZE, strlen(msg));
	if (transact(c, on_config, &st, &ack))
		return -1;
	if (ack.error)
		return fail_kernel(c, "", &ack, nlm_config_policy, GNL_FOOBAR_XMPL_A_MAX);
	if (!st.replies)
		return fail(c, "the kernel acknowledged the config-set without echoing its notification first (NLM_F_ECHO)");
	return 0;
}

/*
 * NETLINK_ADD_MEMBERSHIP takes the group's id as an int, any id: bind()'s
 * nl_groups is a 32-bit mask and names only groups 1 to 32.
 */
static int join_group(struct client *c, uint32_t group, const char *what)
{
	if (setsockopt(c->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)))
		return fail(c, "cannot join %s (id %u): %s", what, group, strerror(errno));
	return 0;
}

int client_listen_start(struct client *c)
{
	struct family_query ctrl = { .name = "nlctrl", .group = "notify" };
	char err[256];

	if (!c->config_group)
		return fail(c, "family %s has no multicast group '%s'", GNL_FOOBAR_XMPL_FAMILY_NAME,
			    GNL_FOOBAR_XMPL_MCGRP_CONFIG);
	/* The controller's group id is found as any other, not taken as GENL_ID_CTRL. */
	if (query_family(c, &ctrl))
		return -1;
	if (!ctrl.group_id)
		return fail(c, "the controller has no multicast group 'notify'");
	if (join_group(c, c->config_group, "group '" GNL_FOOBAR_XMPL_MCGRP_CONFIG "'") ||
	    join_group(c, ctrl.group_id, "the controller's group 'notify'"))
		return -1;
	/* What ENOBUFS later reports is the drops since now. */
	if (proc_netlink_socket_drops(c->fd, &c->drops, err, sizeof(err)))
		return fail(c, "%s", err);
	nlm_walk_init(&c->pending, c->rx.bytes, 0);
	return 0;
}

/*
 * One message of the listening socket. Returns 1 if it is an event (in @ev),
 * 0 if it is to be ignored, -1 on failure.
 */
static int handle_notification(struct client *c, const struct nlmsghdr *nlh,
			       struct client_event *ev)
{
	struct nlm_ctrl_family fam;
	struct nlm_error e;

	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		if (nlm_parse_ctrl_family(nlh, &fam, &e))
			return fail(c, "%s", e.text);
		/* The controller announces every family; only ours going away matters. */
		if (fam.cmd == CTRL_CMD_DELFAMILY && fam.id == c->family_id)
			return fail(c, "family %s went away (CTRL_CMD_DELFAMILY)",
				    GNL_FOOBAR_XMPL_FAMILY_NAME);
		return 0;
	}
	if (nlh->nlmsg_type != c->family_id)
		return fail(c, "malformed notification: message of type %u on the listening socket",
			    nlh->nlmsg_type);
	if (nlm_parse_config_msg(nlh, GNL_FOOBAR_XMPL_CMD_CONFIG_NTF, &ev->config, &e))
		return fail(c, "%s", e.text);
	ev->kind = CLIENT_EVENT_CONFIG;
	ev->portid = nlh->nlmsg_pid;
	ev->seq = nlh->nlmsg_seq;
	return 1;
}

int client_listen_next(struct client *c, struct client_event *ev)
{
	for (;;) {
		const struct nlmsghdr *nlh;
		struct nlm_error e;
		int overrun = 0;
		uint64_t drops;
		char err[256];
		size_t len;
		int more;

		while ((more = nlm_walk_next(&c->pending, &nlh, &e)) == 1) {
			int ret = handle_notification(c, nlh, ev);

			if (ret)
				return ret < 0 ? -1 : 0;
		}
		if (more < 0)
			return fail(c, "%s", e.text);

		if (client_recv(c, c->draining ? MSG_DONTWAIT : 0, &len, &overrun))
			return -1;
		if (overrun) {
			/*
			 * The queue was full: the kernel dropped what did not fit,
			 * counting each in sk_drops, which /proc shows. It goes on
			 * dropping until the queue is empty (and reports no second
			 * ENOBUFS meanwhile), so what is queued is read first and
			 * the drops counted after that.
			 */
			c->draining = 1;
			continue;
		}
		if (len) {
			nlm_walk_init(&c->pending, c->rx.bytes, len);
			continue;
		}
		/* Drained: from now on, a drop is announced by a new ENOBUFS. */
		c->draining = 0;
		if (proc_netlink_socket_drops(c->fd, &drops, err, sizeof(err)))
			return fail(c, "%s", err);
		ev->kind = CLIENT_EVENT_LOST;
		ev->lost = drops - c->drops;
		c->drops = drops;
		return 0;
	}
}
