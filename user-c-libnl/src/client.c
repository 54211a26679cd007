// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * client: the gnl_foobar_xmpl exchanges over libnl-genl-3. Each builds its
 * request, sends it with nl_send_auto(), and reads the answer through the
 * callbacks of nl_msg.c until the exchange is over; what failed is left in
 * c->err for the caller to report.
 */
#define _GNU_SOURCE /* strerrorname_np() */
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "proc_netlink.h"

/* The largest request: headers, GNL_FOOBAR_XMPL_A_MSG and _A_DUMP_COUNT. */
#define REQUEST_MAX_SIZE \
	(NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + NLA_ALIGN(CLIENT_MSG_ARG_MAX + 1) + \
	 NLA_HDRLEN + 4)

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

const struct client_config client_fast_config = {
	.auto_ack = false,
	.msg_peek = false,
};

const struct client_config client_libnl_default_config = {
	.auto_ack = true,
	.msg_peek = true,
};

/* Writes why the exchange failed into c->err; returns -1. */
static int __attribute__((format(printf, 2, 3))) fail(struct client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
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
	case GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT:
		return "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT";
	case GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG:
		return "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG";
	default:
		snprintf(buf, len, "attribute type %u", type);
		return buf;
	}
}

static const char *errno_name(int errnum)
{
	const char *name = strerrorname_np(errnum);

	return name ? name : "unknown errno";
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
	if (nl_socket_modify_cb(sk, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, nlm_check_seq, ex) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, ex) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_FINISH, NL_CB_CUSTOM, nlm_on_done, ex) < 0 ||
	    nl_socket_modify_cb(sk, NL_CB_ACK, NL_CB_CUSTOM, nlm_on_ack, ex) < 0 ||
	    nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, nlm_on_error, ex) < 0)
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

/* Writes into c->err why exchange_run() or the exchange it ran failed; returns -1. */
static int fail_exchange(struct client *c, const char *op, int nl_err,
			 const struct exchange *ex, struct nl_msg *req)
{
	char status[EXTACK_MSG_SIZE + 64];
	char blame[128];

	if (ex->kernel_failed) {
		describe_status(status, sizeof(status), &ex->kerr);
		describe_blame(blame, sizeof(blame), &ex->kerr, req);
		return fail(c, "%s failed: kernel replied with error %s%s%s%s", op, status,
			    blame[0] ? " (" : "", blame, blame[0] ? ")" : "");
	}
	if (ex->bad_answer)
		return fail(c, "%s failed: the kernel sent %s (%s)", op, ex->bad_answer,
			    nl_geterror(nl_err));
	return fail(c, "%s failed: %s", op, nl_geterror(nl_err));
}

int client_echo(struct client *c, const char *msg, nlm_message_fn on_reply, void *arg)
{
	struct exchange ex = { .family_id = c->family_id, .cmd = GNL_FOOBAR_XMPL_CMD_ECHO_MSG,
			       .sent = msg, .on_message = on_reply, .arg = arg };
	struct nl_msg *req;
	int err;

	req = build_request(c->family_id, ex.cmd, 0, msg, NULL);
	if (!req)
		return fail(c, "echo failed: %s", nl_geterror(-NLE_NOMEM));
	err = exchange_run(c->sk, req, nlm_on_echo_reply, &ex);
	if (err == 0 && !ex.kernel_failed && ex.messages == 0)
		err = nlm_reject(&ex, "an ACK without a reply", -NLE_MISSING_ATTR);
	if (err < 0 || ex.kernel_failed)
		err = fail_exchange(c, "echo", err, &ex, req);
	nlmsg_free(req);
	return err < 0 ? -1 : 0;
}

int client_dump(struct client *c, const char *msg, const uint32_t *count,
		nlm_message_fn on_message, void *arg, unsigned int *received)
{
	struct exchange ex = { .family_id = c->family_id, .cmd = GNL_FOOBAR_XMPL_CMD_ECHO_MSG,
			       .on_message = on_message, .arg = arg };
	struct nl_msg *req;
	int err;

	req = build_request(c->family_id, ex.cmd, NLM_F_DUMP, msg, count);
	if (!req)
		return fail(c, "dump failed: %s", nl_geterror(-NLE_NOMEM));
	err = exchange_run(c->sk, req, nlm_on_dump_message, &ex);
	if (err < 0 || ex.kernel_failed)
		err = fail_exchange(c, "dump", err, &ex, req);
	nlmsg_free(req);
	if (err < 0)
		return -1;
	*received = ex.messages;
	/* Without DUMP_COUNT, the count is the namespace's config: any set may change it. */
	if (count && ex.messages != *count)
		return fail(c, "dump failed: the dump ended after %u messages, expected %u",
			    ex.messages, *count);
	return 0;
}

/* Its failures are worded as in the other clients, as "reply_with_error failed". */
int client_error(struct client *c, const char *msg, char *status, size_t status_len,
		 char *blame, size_t blame_len)
{
	struct exchange ex = { .family_id = c->family_id,
			       .cmd = GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR };
	struct nl_msg *req;
	int err;

	req = build_request(c->family_id, ex.cmd, 0, msg, NULL);
	if (!req)
		return fail(c, "reply_with_error failed: %s", nl_geterror(-NLE_NOMEM));
	err = exchange_run(c->sk, req, nlm_on_unexpected_reply, &ex);
	if (err < 0) {
		err = fail_exchange(c, "reply_with_error", err, &ex, req);
	} else if (!ex.kernel_failed) {
		err = fail(c, "reply_with_error failed: the kernel acknowledged the request "
			   "instead of failing it");
	} else {
		describe_status(status, status_len, &ex.kerr);
		describe_blame(blame, blame_len, &ex.kerr, req);
	}
	nlmsg_free(req);
	return err < 0 ? -1 : 0;
}

static int set_sockopt_flag(struct nl_sock *sk, int option)
{
	int one = 1;

	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, option, &one, sizeof(one)) < 0)
		return -nl_syserr2nlerr(errno);
	return 0;
}

/* Sets @sk up as @cfg says, connects it and turns extended ACKs on. */
static int configure_socket(struct nl_sock *sk, const struct client_config *cfg)
{
	int err;

	if (!cfg->auto_ack)
		nl_socket_disable_auto_ack(sk);
	if (!cfg->msg_peek) {
		nl_socket_disable_msg_peek(sk);
		err = nl_socket_set_msg_buf_size(sk, FAST_RECV_BUF_SIZE);
		if (err < 0)
			return err;
	}
	err = genl_connect(sk);
	if (err < 0)
		return err;
	/*
	 * libnl 3.7 (Debian bookworm) has no call for NETLINK_EXT_ACK
	 * (nl_socket_set_ext_ack() came with libnl 3.8), so set it directly:
	 * without it the kernel sends errors with no message and no offset.
	 */
	err = set_sockopt_flag(sk, NETLINK_EXT_ACK);
	if (err < 0)
		return err;
	if (cfg->cap_ack)
		return set_sockopt_flag(sk, NETLINK_CAP_ACK);
	return 0;
}

int client_open(struct client *c, const struct client_config *cfg)
{
	struct nl_cb *cb;
	int err;

	c->sk = NULL;
	c->family_id = -1;
	c->config_group = 0;
	c->drops = 0;
	/*
	 * Not nl_socket_alloc(): it takes the callback kind from the NLCB
	 * environment variable, whose verbose and debug kinds print messages to
	 * stderr. The exchanges set their callbacks on this default set.
	 */
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return fail(c, "opening a generic netlink socket: %s", nl_geterror(-NLE_NOMEM));
	c->sk = nl_socket_alloc_cb(cb);
	nl_cb_put(cb);
	if (!c->sk)
		return fail(c, "opening a generic netlink socket: %s", nl_geterror(-NLE_NOMEM));
	err = configure_socket(c->sk, cfg);
	if (err < 0)
		return fail(c, "opening a generic netlink socket: %s", nl_geterror(err));
	return 0;
}

void client_close(struct client *c)
{
	/* Closes the file descriptor too (NULL is fine). */
	nl_socket_free(c->sk);
	c->sk = NULL;
}

/*
 * genl_ctrl_resolve() sends CTRL_CMD_GETFAMILY and reads CTRL_ATTR_FAMILY_ID
 * from the reply by type; it honours the socket's auto-ACK setting.
 */
int client_resolve_family(struct client *c)
{
	int id = genl_ctrl_resolve(c->sk, GNL_FOOBAR_XMPL_FAMILY_NAME);

	if (id == -NLE_OBJ_NOTFOUND)
		return fail(c, "Generic Netlink family '" GNL_FOOBAR_XMPL_FAMILY_NAME "' not "
			    "found: load the module (sudo insmod kernel-mod/gnl_foobar_xmpl.ko) "
			    "or run in the VM (sh vm/vm run -- <command>)");
	if (id < 0)
		return fail(c, "resolving family " GNL_FOOBAR_XMPL_FAMILY_NAME ": %s",
			    nl_geterror(id));
	c->family_id = id;
	return 0;
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
static struct nl_msg **build_batch(struct client *c, const char *msg, uint32_t count,
				   void **buf, size_t *len)
{
	struct nl_msg **reqs = calloc(count, sizeof(*reqs));
	unsigned char *out;
	uint32_t i;

	if (!reqs)
		return NULL;
	*len = 0;
	for (i = 0; i < count; i++) {
		reqs[i] = build_request(c->family_id, GNL_FOOBAR_XMPL_CMD_ECHO_MSG, 0, msg, NULL);
		if (!reqs[i]) {
			free_batch(reqs, i);
			return NULL;
		}
		nl_complete_msg(c->sk, reqs[i]);
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
 * libnl sends one message per nl_send_auto(), so the batch goes out with
 * nl_sendto(), its raw send. The kernel answers each request in a datagram of
 * its own, read as usual.
 */
int client_echo_batch(struct client *c, const char *msg, uint32_t count)
{
	struct nl_msg **reqs;
	size_t len;
	void *buf;
	uint32_t i;
	int err;

	reqs = build_batch(c, msg, count, &buf, &len);
	if (!reqs)
		return fail(c, "echo failed: %s", nl_geterror(-NLE_NOMEM));
	err = nl_sendto(c->sk, buf, len);
	free(buf);
	if (err < 0) {
		free_batch(reqs, count);
		return fail(c, "echo failed: sending the batch: %s", nl_geterror(err));
	}
	for (i = 0; i < count; i++) {
		struct exchange ex = { .family_id = c->family_id,
				       .cmd = GNL_FOOBAR_XMPL_CMD_ECHO_MSG, .sent = msg };

		ex.seq = nlmsg_hdr(reqs[i])->nlmsg_seq;
		ex.ack_expected = expects_ack(nlmsg_hdr(reqs[i]));
		err = exchange_receive(c->sk, nlm_on_echo_reply, &ex);
		if (err == 0 && !ex.kernel_failed && ex.messages == 0)
			err = nlm_reject(&ex, "an ACK without a reply", -NLE_MISSING_ATTR);
		if (err < 0 || ex.kernel_failed) {
			fail_exchange(c, "echo", err, &ex, reqs[i]);
			free_batch(reqs, count);
			return -1;
		}
	}
	free_batch(reqs, count);
	return 0;
}

int client_config_get(struct client *c, struct nlm_config *cfg)
{
	struct exchange ex = { .family_id = c->family_id, .cmd = GNL_FOOBAR_XMPL_CMD_CONFIG_GET,
			       .config = cfg };
	struct nl_msg *req;
	int err;

	req = build_request(c->family_id, ex.cmd, 0, NULL, NULL);
	if (!req)
		return fail(c, "config_get failed: %s", nl_geterror(-NLE_NOMEM));
	err = exchange_run(c->sk, req, nlm_on_config_reply, &ex);
	if (err == 0 && !ex.kernel_failed && ex.messages == 0)
		err = nlm_reject(&ex, "an ACK without the config", -NLE_MISSING_ATTR);
	if (err < 0 || ex.kernel_failed)
		err = fail_exchange(c, "config_get", err, &ex, req);
	nlmsg_free(req);
	return err < 0 ? -1 : 0;
}

/* A config-set request: NLM_F_ECHO asks for the notification, NLM_F_ACK for the end. */
static struct nl_msg *build_config_set(int family_id, const uint32_t *count, const char *msg)
{
	int payload = GENL_HDRLEN;
	struct nl_msg *req;

	if (count)
		payload += nla_total_size(sizeof(*count));
	if (msg)
		payload += nla_total_size((int)strlen(msg) + 1);
	req = nlmsg_alloc_size((size_t)nlmsg_total_size(payload));
	if (!req)
		return NULL;
	if (!genlmsg_put(req, NL_AUTO_PORT, NL_AUTO_SEQ, family_id, 0, NLM_F_ACK | NLM_F_ECHO,
			 GNL_FOOBAR_XMPL_CMD_CONFIG_SET, GNL_FOOBAR_XMPL_FAMILY_VERSION) ||
	    (count && nla_put_u32(req, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, *count) < 0) ||
	    (msg && nla_put_string(req, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, msg) < 0)) {
		nlmsg_free(req);
		return NULL;
	}
	return req;
}

/*
 * With NLM_F_ECHO, genl_notify() sends the notification to the sender too,
 * before the doit returns; netlink_rcv_skb() sends the ACK after it. The
 * exchange ends with the ACK (nlm_on_ack()): by then the notification must
 * have come, with our seq (nlm_check_seq()) and port id.
 */
int client_config_set(struct client *c, const uint32_t *count, const char *msg,
		      struct nlm_config *cfg)
{
	struct exchange ex = { .family_id = c->family_id, .cmd = GNL_FOOBAR_XMPL_CMD_CONFIG_NTF,
			       .config = cfg, .portid = nl_socket_get_local_port(c->sk) };
	struct nl_msg *req;
	int err;

	req = build_config_set(c->family_id, count, msg);
	if (!req)
		return fail(c, "config_set failed: %s", nl_geterror(-NLE_NOMEM));
	err = exchange_run(c->sk, req, nlm_on_config_echo, &ex);
	if (err == 0 && !ex.kernel_failed && ex.messages == 0)
		err = nlm_reject(&ex, "the ACK without echoing the notification first (NLM_F_ECHO)",
				 -NLE_MISSING_ATTR);
	if (err < 0 || ex.kernel_failed)
		err = fail_exchange(c, "config_set", err, &ex, req);
	nlmsg_free(req);
	return err < 0 ? -1 : 0;
}

/*
 * genl_ctrl_resolve_grp() asks the controller for the family and returns the
 * id of the group named @group from CTRL_ATTR_MCAST_GROUPS, a u32 (any id,
 * also above 32). nl_socket_add_membership() joins it with
 * NETLINK_ADD_MEMBERSHIP; bind()'s 32-bit nl_groups mask, which
 * nl_join_groups() sets, cannot name groups above 32.
 */
static int join_group(struct client *c, const char *family, const char *group, uint32_t *id)
{
	int err = genl_ctrl_resolve_grp(c->sk, family, group);

	if (err < 0)
		return fail(c, "listen failed: resolving group '%s' of family %s: %s", group, family,
			    nl_geterror(err));
	*id = (uint32_t)err;
	err = nl_socket_add_membership(c->sk, (int)*id);
	if (err < 0)
		return fail(c, "listen failed: joining group '%s' (id %u): %s", group, *id,
			    nl_geterror(err));
	return 0;
}

int client_listen_start(struct client *c)
{
	char err[256];
	uint32_t notify;

	if (join_group(c, GNL_FOOBAR_XMPL_FAMILY_NAME, GNL_FOOBAR_XMPL_MCGRP_CONFIG,
		       &c->config_group) ||
	    join_group(c, "nlctrl", "notify", &notify))
		return -1;
	/*
	 * Notifications carry the seq of the set that caused them, not one of
	 * ours: libnl's check (and ours) would refuse them. Off on this socket
	 * only, once its own requests are answered.
	 */
	nl_socket_disable_seq_check(c->sk);
	/* What ENOBUFS later reports is the drops since now. */
	if (proc_netlink_socket_drops(nl_socket_get_fd(c->sk), &c->drops, err, sizeof(err)))
		return fail(c, "listen failed: %s", err);
	return 0;
}

/*
 * Reads what the socket has queued, without waiting: 0 once it is empty (the
 * recvmsg() that finds it empty also ends the kernel's congested state), or a
 * negative libnl error. libnl cannot ask one recvmsg() not to wait, so the
 * descriptor is non-blocking meanwhile.
 */
static int drain_queue(struct client *c, const struct listener *l)
{
	int fd = nl_socket_get_fd(c->sk);
	int flags = fcntl(fd, F_GETFL);
	int err;

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -nl_syserr2nlerr(errno);
	for (;;) {
		errno = 0;
		err = nl_recvmsgs_default(c->sk);
		/*
		 * Another overflow while draining (the queue ran empty between
		 * two reads, then over): its drops are counted with the others.
		 */
		if (err == -NLE_NOMEM && errno == ENOBUFS)
			err = 0;
		if (err < 0 || l->stopped || l->family_gone || l->bad_answer)
			break;
	}
	if (fcntl(fd, F_SETFL, flags) < 0)
		return -nl_syserr2nlerr(errno);
	return err == -NLE_AGAIN ? 0 : err;
}

int client_listen_receive(struct client *c, struct listener *l, uint64_t *lost)
{
	uint64_t drops;
	char why[256];
	int err;

	*lost = 0;
	if (nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, nlm_on_notification, l) < 0)
		return fail(c, "listen failed: %s", nl_geterror(-NLE_RANGE));
	/*
	 * libnl turns both ENOBUFS (the receive queue overflowed) and ENOMEM
	 * into NLE_NOMEM; errno, as recvmsg() left it, tells them apart.
	 */
	errno = 0;
	err = nl_recvmsgs_default(c->sk);
	if (err == -NLE_NOMEM && errno == ENOBUFS) {
		/*
		 * The kernel counted each message it dropped in sk_drops, and goes
		 * on dropping, without a second ENOBUFS, until the queue is empty:
		 * what is queued is read first (the callback takes it as usual) and
		 * the drops counted after that.
		 */
		err = drain_queue(c, l);
		if (err < 0 && !l->family_gone && !l->bad_answer)
			return fail(c, "listen failed: %s", nl_geterror(err));
		/* Stopped at --count while draining: the drops no longer matter. */
		if (l->stopped)
			return 0;
		if (!l->family_gone && !l->bad_answer) {
			if (proc_netlink_socket_drops(nl_socket_get_fd(c->sk), &drops, why,
						      sizeof(why)))
				return fail(c, "listen failed: %s", why);
			*lost = drops - c->drops;
			c->drops = drops;
			return 0;
		}
	}
	if (l->family_gone)
		return fail(c, "listen failed: family %s went away (CTRL_CMD_DELFAMILY)",
			    GNL_FOOBAR_XMPL_FAMILY_NAME);
	if (l->bad_answer)
		return fail(c, "listen failed: the kernel sent %s (%s)", l->bad_answer,
			    nl_geterror(err));
	if (err < 0)
		return fail(c, "listen failed: %s", nl_geterror(err));
	return 0;
}
