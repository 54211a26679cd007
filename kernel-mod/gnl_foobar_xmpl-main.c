// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gnl_foobar_xmpl: a Generic Netlink family with an echo, an echo as a dump
 * and a command that always fails with an extended ACK. This file holds the
 * handlers and the family; the protocol (spec/gnl_foobar_xmpl.yaml) gives the
 * uAPI header and the policies and ops table of gnl_foobar_xmpl-nl.c, both
 * generated. gnl_foobar_xmpl_compat.h fills in what older kernels lack.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/* The uAPI header, the compat header and the handlers' prototypes. */
#include "gnl_foobar_xmpl-nl.h"

/* Defined at the end; genlmsg_put() needs it first. */
static struct genl_family gnl_foobar_xmpl_nl_family;

/**
 * gnl_foobar_xmpl_nl_echo_msg_doit() - reply with the request's message
 * @skb: the request
 * @info: the parsed request; its attributes passed the do policy
 *
 * The reply goes to the sender's port with the request's sequence number,
 * unchanged: that is how the sender matches it to its request.
 *
 * Return: 0 or a negative errno, which the core turns into an NLMSG_ERROR.
 */
int gnl_foobar_xmpl_nl_echo_msg_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	struct sk_buff *rsp;
	const char *msg;
	size_t len;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, GNL_FOOBAR_XMPL_A_MSG)) {
		NL_SET_ERR_MSG(info->extack, "GNL_FOOBAR_XMPL_A_MSG is required");
		return -EINVAL;
	}

	/* NLA_NUL_STRING: the policy guaranteed a NUL inside the attribute. */
	msg = nla_data(info->attrs[GNL_FOOBAR_XMPL_A_MSG]);
	len = strlen(msg) + 1;

	rsp = genlmsg_new(nla_total_size(len), GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;

	hdr = genlmsg_put(rsp, info->snd_portid, info->snd_seq,
			  &gnl_foobar_xmpl_nl_family, 0,
			  GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	if (!hdr)
		goto err_free_msg;

	if (nla_put(rsp, GNL_FOOBAR_XMPL_A_MSG, len, msg))
		goto err_free_msg;

	genlmsg_end(rsp, hdr);

	pr_debug("echo: %zu-byte message for portid %u, seq %u\n",
		 len - 1, info->snd_portid, info->snd_seq);

	/* Consumes rsp, also when it fails. */
	return genlmsg_reply(rsp, info);

err_free_msg:
	nlmsg_free(rsp);
	return -EMSGSIZE;
}

/*
 * Where a dump stands between two calls of its dumpit. It lives in cb->ctx,
 * which the core keeps per socket and zeroes at the start of every dump, so
 * concurrent dumps share nothing and a dump abandoned mid-way leaves nothing
 * to free.
 */
struct gnl_foobar_xmpl_dump_ctx {
	/*
	 * Into the request skb, which the core holds until after .done, or the
	 * default message.
	 */
	const char	*msg;
	u32		msg_len;	/* including the NUL */
	u32		count;
	u32		index;		/* of the next message to put */
};

static struct gnl_foobar_xmpl_dump_ctx *
gnl_foobar_xmpl_dump_ctx(struct netlink_callback *cb)
{
	NL_ASSERT_CTX_FITS(struct gnl_foobar_xmpl_dump_ctx);

	return (struct gnl_foobar_xmpl_dump_ctx *)cb->ctx;
}

/* Bytes one dump message takes in the skb, netlink header included. */
static size_t gnl_foobar_xmpl_dump_msg_size(u32 msg_len)
{
	size_t payload = nla_total_size(sizeof(u32)) + nla_total_size(msg_len);

	/* genlmsg_total_size() stops at the genetlink header. */
	return nlmsg_total_size(genlmsg_total_size(payload));
}

/**
 * gnl_foobar_xmpl_nl_echo_msg_dump_start() - set up one dump
 * @cb: the dump's state; its attributes passed the dump policy
 *
 * Runs once, before the first dumpit call, and cannot fail.
 *
 * Return: 0.
 */
int gnl_foobar_xmpl_nl_echo_msg_dump_start(struct netlink_callback *cb)
{
	struct gnl_foobar_xmpl_dump_ctx *ctx = gnl_foobar_xmpl_dump_ctx(cb);
	struct nlattr **attrs = genl_info_dump(cb)->attrs;

	ctx->count = GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT;
	if (attrs[GNL_FOOBAR_XMPL_A_DUMP_COUNT])
		ctx->count = nla_get_u32(attrs[GNL_FOOBAR_XMPL_A_DUMP_COUNT]);

	ctx->msg = GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG;
	if (attrs[GNL_FOOBAR_XMPL_A_MSG])
		ctx->msg = nla_data(attrs[GNL_FOOBAR_XMPL_A_MSG]);
	ctx->msg_len = strlen(ctx->msg) + 1;
	ctx->index = 0;

	/*
	 * The core sizes a dump skb from the reader's recent recvmsg() buffer,
	 * but never below max(min_dump_alloc, NLMSG_GOODSIZE), and about one
	 * page is smaller than a message carrying a maximal MSG. Asking for one
	 * message means dumpit always fits at least one.
	 */
	cb->min_dump_alloc = gnl_foobar_xmpl_dump_msg_size(ctx->msg_len);

	pr_debug("dump: %u messages of %u bytes for portid %u, seq %u\n",
		 ctx->count, ctx->msg_len - 1, NETLINK_CB(cb->skb).portid,
		 cb->nlh->nlmsg_seq);
	return 0;
}

static int gnl_foobar_xmpl_dump_fill_one(struct sk_buff *skb,
					 const struct netlink_callback *cb,
					 const struct gnl_foobar_xmpl_dump_ctx *ctx)
{
	void *hdr;

	/* Every part of a dump answers the request: its portid and seq. */
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &gnl_foobar_xmpl_nl_family, NLM_F_MULTI,
			  GNL_FOOBAR_XMPL_CMD_ECHO_MSG);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, GNL_FOOBAR_XMPL_A_DUMP_INDEX, ctx->index) ||
	    nla_put(skb, GNL_FOOBAR_XMPL_A_MSG, ctx->msg_len, ctx->msg)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * gnl_foobar_xmpl_nl_echo_msg_dumpit() - fill one skb of the dump
 * @skb: an empty skb, sent to the reader when this returns
 * @cb: the dump's state
 *
 * The core calls this each time the reader has drained the previous skb, and
 * appends NLMSG_DONE once it returns 0.
 *
 * Return: skb->len while messages remain, 0 when the dump is complete, or
 * -EMSGSIZE if not even one message fits into the empty skb.
 */
int gnl_foobar_xmpl_nl_echo_msg_dumpit(struct sk_buff *skb,
				       struct netlink_callback *cb)
{
	struct gnl_foobar_xmpl_dump_ctx *ctx = gnl_foobar_xmpl_dump_ctx(cb);
	u32 first = ctx->index;
	int err;

	for (; ctx->index < ctx->count; ctx->index++) {
		err = gnl_foobar_xmpl_dump_fill_one(skb, cb, ctx);
		if (err) {
			/* The skb is full: resume at this index next call. */
			if (ctx->index != first)
				return skb->len;
			/* Returning skb->len == 0 would end the dump early. */
			return err;
		}
	}

	return 0;
}

/**
 * gnl_foobar_xmpl_nl_echo_msg_dump_done() - end of one dump
 * @cb: the dump's state
 *
 * The core calls this after the last dumpit call, and also when the socket
 * is closed mid-dump. The state lives in cb->ctx and the core releases the
 * request skb itself, so there is nothing to free.
 *
 * Return: 0.
 */
int gnl_foobar_xmpl_nl_echo_msg_dump_done(struct netlink_callback *cb)
{
	const struct gnl_foobar_xmpl_dump_ctx *ctx = gnl_foobar_xmpl_dump_ctx(cb);

	pr_debug("dump: done after %u of %u messages for portid %u, seq %u\n",
		 ctx->index, ctx->count, NETLINK_CB(cb->skb).portid,
		 cb->nlh->nlmsg_seq);
	return 0;
}

/**
 * gnl_foobar_xmpl_nl_reply_with_nlmsg_err_doit() - always fail
 * @skb: the request
 * @info: the parsed request; its attributes passed the do policy
 *
 * Shows how a handler reports an error: the errno becomes the NLMSG_ERROR's
 * error field, the extended ACK carries the message and, when MSG was sent,
 * its offset in the request (NLMSGERR_ATTR_OFFS). The sender only receives
 * them if it enabled NETLINK_EXT_ACK on its socket.
 *
 * Return: -EINVAL.
 */
int gnl_foobar_xmpl_nl_reply_with_nlmsg_err_doit(struct sk_buff *skb,
						 struct genl_info *info)
{
	pr_debug("reply_with_nlmsg_err: failing for portid %u, seq %u\n",
		 info->snd_portid, info->snd_seq);

	/* Without MSG, the attribute is NULL and no offset is reported. */
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[GNL_FOOBAR_XMPL_A_MSG],
			    "GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR always fails");
	return -EINVAL;
}

/*
 * The ops table comes from the spec (gnl_foobar_xmpl-nl.c): split operations,
 * a command's do and dump as separate entries, each with a policy ending at
 * the last attribute its request lists, so the core's strict validation
 * rejects any attribute the handler would silently ignore. A command without
 * a dump entry answers NLM_F_DUMP requests with -EOPNOTSUPP from the core.
 *
 * .parallel_ops: the handlers share no state, so the core need not serialise
 * them under its genl_mutex. .netnsok: they touch nothing per namespace, so
 * the family is usable from every network namespace. resv_start_op stays 0:
 * the core checks every command's reserved header byte and nlmsg_flags.
 */
static struct genl_family gnl_foobar_xmpl_nl_family __ro_after_init = {
	.name		= GNL_FOOBAR_XMPL_FAMILY_NAME,
	.version	= GNL_FOOBAR_XMPL_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= gnl_foobar_xmpl_nl_ops,
	.n_split_ops	= ARRAY_SIZE(gnl_foobar_xmpl_nl_ops),
};

static int __init gnl_foobar_xmpl_init(void)
{
	int err;

	err = genl_register_family(&gnl_foobar_xmpl_nl_family);
	if (err) {
		pr_err("registering family %s failed: %d\n",
		       GNL_FOOBAR_XMPL_FAMILY_NAME, err);
		return err;
	}

	pr_info("registered family %s, id %u\n", GNL_FOOBAR_XMPL_FAMILY_NAME,
		gnl_foobar_xmpl_nl_family.id);
	return 0;
}

static void __exit gnl_foobar_xmpl_exit(void)
{
	genl_unregister_family(&gnl_foobar_xmpl_nl_family);
	pr_info("unregistered family %s\n", GNL_FOOBAR_XMPL_FAMILY_NAME);
}

module_init(gnl_foobar_xmpl_init);
module_exit(gnl_foobar_xmpl_exit);

MODULE_DESCRIPTION("Generic Netlink example family " GNL_FOOBAR_XMPL_FAMILY_NAME);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_ALIAS_GENL_FAMILY(GNL_FOOBAR_XMPL_FAMILY_NAME);
