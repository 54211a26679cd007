// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * nl_msg: user-c-libnl's receive callbacks. Each checks one message of the
 * kernel's answer against the protocol (include/gnl_foobar_xmpl.h) and records
 * what it learnt in the exchange; none reads the socket or prints.
 */
#include "nl_msg.h"

#include <stddef.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "gnl_foobar_xmpl.h"

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
	[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	/* May be empty: "" and its NUL. */
	[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG] = { .type = NLA_STRING,
						.maxlen = GNL_FOOBAR_XMPL_MSG_MAX_LEN + 1 },
};

/*
 * What a controller event may carry, up to the attributes read here. The
 * nested ones are only checked to be nests of attributes.
 */
static const struct nla_policy ctrl_policy[CTRL_ATTR_MCAST_GROUPS + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16, .maxlen = sizeof(uint16_t) },
	[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING, .maxlen = GENL_NAMSIZ },
	[CTRL_ATTR_VERSION] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[CTRL_ATTR_HDRSIZE] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[CTRL_ATTR_MAXATTR] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[CTRL_ATTR_OPS] = { .type = NLA_NESTED },
	[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
};

/* The extended ACK attributes this program prints (include/uapi/linux/netlink.h). */
static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
};

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
int nlm_reject(struct exchange *ex, const char *why, int nl_err)
{
	ex->bad_answer = why;
	return nl_err;
}

/*
 * NL_CB_SEQ_CHECK: every message of the answer, replies, NLMSG_DONE and
 * NLMSG_ERROR alike, carries the request's sequence number. libnl's own check
 * only runs with auto-ACK on; this one runs in both configurations.
 */
int nlm_check_seq(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	if (nlmsg_hdr(msg)->nlmsg_seq != ex->seq)
		return nlm_reject(ex, "a message with another request's sequence number",
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
int nlm_on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
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
		return nlm_reject(ex, "an NLMSG_ERROR shorter than struct nlmsgerr",
				  -NLE_MSG_TOOSHORT);
	quoted = err->msg.nlmsg_len;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (quoted < NLMSG_HDRLEN || quoted > payload_len - sizeof(err->error))
			return nlm_reject(ex, "an NLMSG_ERROR quoting a request longer than "
					  "itself or shorter than a header", -NLE_MSG_OVERFLOW);
		tlv_offset = sizeof(err->error) + quoted;
	}
	ex->kernel_failed = true;
	ex->kerr.errnum = -err->error;
	parse_extack(nlh, tlv_offset, &ex->kerr);
	return NL_STOP;
}

/* NL_CB_ACK: an NLMSG_ERROR with error 0, the ACK asked for with NLM_F_ACK. */
int nlm_on_ack(struct nl_msg *msg, void *arg)
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
int nlm_on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct exchange *ex = arg;
	int dump_err;

	ex->done = true;
	if (nlmsg_datalen(nlh) < (int)sizeof(dump_err))
		return nlm_reject(ex, "an NLMSG_DONE without its error code", -NLE_MSG_TOOSHORT);
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
		return nlm_reject(ex, "a message of another family", -NLE_MSGTYPE_NOSUPPORT);
	/* Checks that the genlmsghdr is there, then each attribute against the policy. */
	err = genlmsg_parse(nlh, 0, tb, GNL_FOOBAR_XMPL_A_MAX, reply_policy);
	if (err < 0)
		return nlm_reject(ex, "attributes that fail the policy", err);
	if (genlmsg_hdr(nlh)->cmd != ex->cmd)
		return nlm_reject(ex, "a reply to another command", -NLE_MSGTYPE_NOSUPPORT);
	return 0;
}

/* NL_CB_VALID of echo: the reply. */
int nlm_on_echo_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	struct exchange *ex = arg;
	int err;

	err = parse_answer(msg, ex, tb);
	if (err < 0)
		return err;
	if (!tb[GNL_FOOBAR_XMPL_A_MSG])
		return nlm_reject(ex, "a reply without GNL_FOOBAR_XMPL_A_MSG", -NLE_MISSING_ATTR);
	if (ex->messages)
		return nlm_reject(ex, "a second reply to one echo request", -NLE_PARSE_ERR);
	if (ex->sent && strcmp(nla_get_string(tb[GNL_FOOBAR_XMPL_A_MSG]), ex->sent) != 0)
		return nlm_reject(ex, "back another message than the one sent", -NLE_PARSE_ERR);

	if (ex->on_message)
		ex->on_message(ex->arg, 0, nla_get_string(tb[GNL_FOOBAR_XMPL_A_MSG]));
	ex->messages++;
	/* With NLM_F_ACK, the ACK follows in its own datagram and ends the exchange. */
	if (!ex->ack_expected)
		ex->done = true;
	return NL_OK;
}

/* NL_CB_VALID of dump: one message of the dump, flagged NLM_F_MULTI. */
int nlm_on_dump_message(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	struct exchange *ex = arg;
	uint32_t index;
	int err;

	err = parse_answer(msg, ex, tb);
	if (err < 0)
		return err;
	if (!tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX] || !tb[GNL_FOOBAR_XMPL_A_MSG])
		return nlm_reject(ex, "a dump message without GNL_FOOBAR_XMPL_A_DUMP_INDEX "
				  "or _A_MSG", -NLE_MISSING_ATTR);
	index = nla_get_u32(tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX]);
	if (index != ex->messages)
		return nlm_reject(ex, "a dump message out of order", -NLE_PARSE_ERR);

	if (ex->on_message)
		ex->on_message(ex->arg, index, nla_get_string(tb[GNL_FOOBAR_XMPL_A_MSG]));
	ex->messages++;
	return NL_OK;
}

/* NL_CB_VALID of error: the command must fail, so any reply is wrong. */
int nlm_on_unexpected_reply(struct nl_msg *msg, void *arg)
{
	(void)msg;
	return nlm_reject(arg, "a reply instead of an error", -NLE_MSGTYPE_NOSUPPORT);
}


/*
 * Checks that @tb (parsed with reply_policy) is a config: both config
 * attributes, and none that only echo and dump messages carry. Copies it.
 */
static int take_config(struct nlattr **tb, struct nlm_config *cfg, const char **why)
{
	if (tb[GNL_FOOBAR_XMPL_A_MSG] || tb[GNL_FOOBAR_XMPL_A_DUMP_COUNT] ||
	    tb[GNL_FOOBAR_XMPL_A_DUMP_INDEX]) {
		*why = "a config with an attribute no config carries";
		return -NLE_PARSE_ERR;
	}
	if (!tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT] || !tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG]) {
		*why = "a config without GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT or _DUMP_MSG";
		return -NLE_MISSING_ATTR;
	}
	cfg->dump_count = nla_get_u32(tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT]);
	/* The policy bounds it: NUL-terminated, at most sizeof(cfg->dump_msg) bytes. */
	memcpy(cfg->dump_msg, nla_data(tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG]),
	       (size_t)nla_len(tb[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG]));
	return 0;
}

/* Parses a config reply or echoed notification of the exchange's command. */
static int on_config(struct nl_msg *msg, struct exchange *ex)
{
	struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	const char *why;
	int err;

	err = parse_answer(msg, ex, tb);
	if (err < 0)
		return err;
	if (ex->messages)
		return nlm_reject(ex, "a second config in one answer", -NLE_PARSE_ERR);
	err = take_config(tb, ex->config, &why);
	if (err < 0)
		return nlm_reject(ex, why, err);
	ex->messages++;
	return NL_OK;
}

/* NL_CB_VALID of config get: the reply, which ends the answer unless an ACK follows. */
int nlm_on_config_reply(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;
	int ret = on_config(msg, ex);

	if (ret == NL_OK && !ex->ack_expected)
		ex->done = true;
	return ret;
}

/*
 * NL_CB_VALID of config set: the notification that NLM_F_ECHO sends back
 * before the ACK. The kernel builds it with the set's seq (checked by
 * nlm_check_seq()) and port id.
 */
int nlm_on_config_echo(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;

	if (nlmsg_hdr(msg)->nlmsg_pid != ex->portid)
		return nlm_reject(ex, "a notification of another socket's set", -NLE_SEQ_MISMATCH);
	return on_config(msg, ex);
}

/* Records that a message on the listening socket breaks the protocol. */
static int listener_reject(struct listener *l, const char *why, int nl_err)
{
	l->bad_answer = why;
	return nl_err;
}

/* A message of the controller's "notify" group: only our family's removal matters. */
static int on_ctrl_event(struct nl_msg *msg, struct listener *l)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[CTRL_ATTR_MCAST_GROUPS + 1];
	int err;

	err = genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MCAST_GROUPS, ctrl_policy);
	if (err < 0)
		return listener_reject(l, "a controller event whose attributes fail the policy",
				       err);
	if (genlmsg_hdr(nlh)->cmd != CTRL_CMD_DELFAMILY || !tb[CTRL_ATTR_FAMILY_ID] ||
	    nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) != l->family_id)
		return NL_SKIP;
	l->family_gone = true;
	return NL_STOP;
}

int nlm_on_notification(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[GNL_FOOBAR_XMPL_A_MAX + 1];
	struct listener *l = arg;
	const char *why;
	int err;

	/* nlctrl's id is fixed in the uapi; its groups' ids are not. */
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return on_ctrl_event(msg, l);
	if (nlh->nlmsg_type != l->family_id)
		return listener_reject(l, "a message of another family", -NLE_MSGTYPE_NOSUPPORT);
	err = genlmsg_parse(nlh, 0, tb, GNL_FOOBAR_XMPL_A_MAX, reply_policy);
	if (err < 0)
		return listener_reject(l, "a notification whose attributes fail the policy", err);
	if (genlmsg_hdr(nlh)->cmd != GNL_FOOBAR_XMPL_CMD_CONFIG_NTF)
		return listener_reject(l, "a notification of another command",
				       -NLE_MSGTYPE_NOSUPPORT);
	err = take_config(tb, &l->config, &why);
	if (err < 0)
		return listener_reject(l, why, err);
	if (l->on_config(l->arg, &l->config, nlh->nlmsg_pid, nlh->nlmsg_seq)) {
		l->stopped = true;
		return NL_STOP;
	}
	return NL_OK;
}
