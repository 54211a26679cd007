// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gnl_foobar_xmpl: a Generic Netlink family with an echo, an echo as a dump,
 * a command that always fails with an extended ACK, and a per-namespace config
 * (the dump's defaults) with a get, a privileged set and a multicast group
 * announcing each set. This file holds the handlers, the per-namespace state
 * and the family; the protocol (spec/gnl_foobar_xmpl.yaml) gives the uAPI
 * header and the policies, ops and group tables of gnl_foobar_xmpl-nl.c, both
 * generated. gnl_foobar_xmpl_compat.h fills in what older kernels lack.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/netns/generic.h>
#include <net/sock.h>

/*
 * The generated tables, compiled into this file rather than on their own: the
 * generator writes the multicast group table static, for the family struct it
 * generates only for specs of the strict "genetlink" protocol, which this
 * family's name (with underscores) does not fit. So the family is written
 * here, next to the tables it points to. The generated header brings the uAPI
 * header, the compat header and the handlers' prototypes.
 */
#include "gnl_foobar_xmpl-nl.c"

/* Defined at the end; genlmsg_put() needs it first. */
static struct genl_family gnl_foobar_xmpl_nl_family;

/*
 * The config of one network namespace: the defaults of a dump request that
 * carries no DUMP_COUNT or no MSG. Immutable once published: config-set builds
 * a new one and swaps the pointer, so a reader holding a reference sees one
 * consistent config for as long as it needs it (a dump, across many recvmsg()
 * calls), whatever sets happen meanwhile.
 */
struct gnl_foobar_xmpl_config {
	refcount_t	refs;		/* the namespace's, and each reader's */
	u32		dump_count;
	u32		dump_msg_len;	/* including the NUL */
	char		dump_msg[];
};

/*
 * Per-namespace state (net_generic()). The mutex guards the config pointer:
 * readers take it only to take a reference, config-set holds it while it
 * swaps the pointer and announces the new config, so notifications go out in
 * the order of the changes. The handlers run in parallel (parallel_ops), so
 * something must serialise them; a mutex held for a few instructions by
 * readers is the smallest correct choice here. RCU would spare readers the
 * lock, at the price of refcount_inc_not_zero() and an RCU-deferred free, for
 * a path that is not hot.
 */
struct gnl_foobar_xmpl_net {
	struct mutex			lock;		/* guards config */
	struct gnl_foobar_xmpl_config	*config;
};

static unsigned int gnl_foobar_xmpl_net_id __read_mostly;

static struct gnl_foobar_xmpl_net *gnl_foobar_xmpl_net(const struct net *net)
{
	return net_generic(net, gnl_foobar_xmpl_net_id);
}

/* @msg_len counts the NUL; @msg need not have one there. */
static struct gnl_foobar_xmpl_config *
gnl_foobar_xmpl_config_alloc(u32 dump_count, const char *msg, u32 msg_len)
{
	struct gnl_foobar_xmpl_config *config;

	config = kmalloc(struct_size(config, dump_msg, msg_len), GFP_KERNEL);
	if (!config)
		return NULL;

	refcount_set(&config->refs, 1);
	config->dump_count = dump_count;
	config->dump_msg_len = msg_len;
	memcpy(config->dump_msg, msg, msg_len - 1);
	config->dump_msg[msg_len - 1] = '\0';
	return config;
}

/* Returns @net's config with a reference the caller must drop. */
static struct gnl_foobar_xmpl_config *gnl_foobar_xmpl_config_get(struct net *net)
{
	struct gnl_foobar_xmpl_net *gnet = gnl_foobar_xmpl_net(net);
	struct gnl_foobar_xmpl_config *config;

	mutex_lock(&gnet->lock);
	config = gnet->config;
	refcount_inc(&config->refs);
	mutex_unlock(&gnet->lock);
	return config;
}

static void gnl_foobar_xmpl_config_put(struct gnl_foobar_xmpl_config *config)
{
	if (refcount_dec_and_test(&config->refs))
		kfree(config);
}

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
 * to free but the config's reference, which .done drops.
 */
struct gnl_foobar_xmpl_dump_ctx {
	/* The namespace's config at .start, referenced until .done. */
	struct gnl_foobar_xmpl_config	*config;
	/*
	 * Into the request skb, which the core holds until after .done, or into
	 * config.
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
 * Runs once, before the first dumpit call, and cannot fail. What the request
 * leaves out comes from the config of the sender's network namespace, taken
 * now and kept until .done: a config-set during the dump does not change it.
 *
 * Return: 0.
 */
int gnl_foobar_xmpl_nl_echo_msg_dump_start(struct netlink_callback *cb)
{
	struct gnl_foobar_xmpl_dump_ctx *ctx = gnl_foobar_xmpl_dump_ctx(cb);
	struct nlattr **attrs = genl_info_dump(cb)->attrs;

	/*
	 * cb->skb is the request, owned by the Generic Netlink kernel socket of
	 * the sender's network namespace: its namespace is the sender's.
	 */
	ctx->config = gnl_foobar_xmpl_config_get(sock_net(cb->skb->sk));

	ctx->count = ctx->config->dump_count;
	if (attrs[GNL_FOOBAR_XMPL_A_DUMP_COUNT])
		ctx->count = nla_get_u32(attrs[GNL_FOOBAR_XMPL_A_DUMP_COUNT]);

	ctx->msg = ctx->config->dump_msg;
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
 * The core calls this first from the sendmsg() of the request, then from the
 * reader's recvmsg() whenever its receive queue has room for more (under half
 * of its buffer in use), and appends NLMSG_DONE once it returns 0.
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
 * The core calls this once after a successful .start: after the last dumpit
 * call, or when the socket is closed mid-dump. The state lives in cb->ctx and
 * the core releases the request skb itself; only the config's reference is
 * the dump's to drop.
 *
 * Return: 0.
 */
int gnl_foobar_xmpl_nl_echo_msg_dump_done(struct netlink_callback *cb)
{
	const struct gnl_foobar_xmpl_dump_ctx *ctx = gnl_foobar_xmpl_dump_ctx(cb);

	pr_debug("dump: done after %u of %u messages for portid %u, seq %u\n",
		 ctx->index, ctx->count, NETLINK_CB(cb->skb).portid,
		 cb->nlh->nlmsg_seq);
	gnl_foobar_xmpl_config_put(ctx->config);
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

/* Bytes the attributes of a config take in a message. */
static size_t gnl_foobar_xmpl_config_size(const struct gnl_foobar_xmpl_config *config)
{
	return nla_total_size(sizeof(u32)) + nla_total_size(config->dump_msg_len);
}

/* One complete message carrying @config: a config-get reply or a config-ntf. */
static int gnl_foobar_xmpl_config_fill(struct sk_buff *skb, u32 portid, u32 seq,
				       u8 cmd,
				       const struct gnl_foobar_xmpl_config *config)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &gnl_foobar_xmpl_nl_family, 0, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(skb, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT,
			config->dump_count) ||
	    nla_put(skb, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, config->dump_msg_len,
		    config->dump_msg)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * gnl_foobar_xmpl_nl_config_get_doit() - reply with the namespace's config
 * @skb: the request
 * @info: the parsed request
 *
 * Anyone may read the config of the network namespace the request came from.
 * The operation has no policy (it takes no attribute), so the core parses
 * nothing (on 6.1 only, where the compat header folds the split ops into
 * genl_ops, the core's reject-all policy refuses attributes first): the check
 * below refuses what it would otherwise silently ignore.
 *
 * Return: 0 or a negative errno.
 */
int gnl_foobar_xmpl_nl_config_get_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct gnl_foobar_xmpl_config *config;
	struct sk_buff *rsp;
	int err;

	if (genlmsg_len(info->genlhdr)) {
		/* Points at the first attribute, as the core's policy would. */
		NL_SET_ERR_MSG_ATTR(info->extack, genlmsg_data(info->genlhdr),
				    "GNL_FOOBAR_XMPL_CMD_CONFIG_GET takes no attributes");
		return -EINVAL;
	}

	config = gnl_foobar_xmpl_config_get(genl_info_net(info));

	rsp = genlmsg_new(gnl_foobar_xmpl_config_size(config), GFP_KERNEL);
	if (!rsp) {
		err = -ENOMEM;
		goto err_put_config;
	}

	err = gnl_foobar_xmpl_config_fill(rsp, info->snd_portid, info->snd_seq,
					  GNL_FOOBAR_XMPL_CMD_CONFIG_GET, config);
	if (err)
		goto err_free_msg;

	pr_debug("config_get: count %u, %u-byte message for portid %u, seq %u\n",
		 config->dump_count, config->dump_msg_len - 1, info->snd_portid,
		 info->snd_seq);
	gnl_foobar_xmpl_config_put(config);

	return genlmsg_reply(rsp, info);

err_free_msg:
	nlmsg_free(rsp);
err_put_config:
	gnl_foobar_xmpl_config_put(config);
	return err;
}

/*
 * Builds the notification of @config for the config group of the request's
 * namespace and, when it asked with NLM_F_ECHO, for the sender: NULL when
 * nobody has joined the group (in any namespace: genl_has_listeners() reads
 * the protocol's one table of joined groups) and no echo was asked for, so
 * nothing is allocated for nobody. It is built before the change is made, so
 * that running out of memory fails the whole set instead of making a change
 * nobody hears of.
 */
static struct sk_buff *
gnl_foobar_xmpl_config_ntf_build(struct genl_info *info,
				 const struct gnl_foobar_xmpl_config *config)
{
	struct sk_buff *ntf;

	if (!genl_has_listeners(&gnl_foobar_xmpl_nl_family, genl_info_net(info),
				GNL_FOOBAR_XMPL_NLGRP_CONFIG) &&
	    !nlmsg_report(info->nlhdr))
		return NULL;

	ntf = genlmsg_new(gnl_foobar_xmpl_config_size(config), GFP_KERNEL);
	if (!ntf)
		return ERR_PTR(-ENOMEM);

	if (gnl_foobar_xmpl_config_fill(ntf, info->snd_portid, info->snd_seq,
					GNL_FOOBAR_XMPL_CMD_CONFIG_NTF, config)) {
		nlmsg_free(ntf);
		return ERR_PTR(-EMSGSIZE);
	}
	return ntf;
}

/**
 * gnl_foobar_xmpl_nl_config_set_doit() - change the namespace's config
 * @skb: the request
 * @info: the parsed request; its attributes passed the set policy
 *
 * The core let the request through only if its sender has CAP_NET_ADMIN over
 * the user namespace owning the request's network namespace
 * (GENL_UNS_ADMIN_PERM): root of a user namespace may configure the network
 * namespaces that user namespace owns, and no other. Every successful set,
 * also one that changes no value, is announced (config-ntf). The answer is
 * the ACK, preceded by the notification under NLM_F_ECHO.
 *
 * Return: 0, or a negative errno when nothing was changed nor announced.
 */
int gnl_foobar_xmpl_nl_config_set_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct gnl_foobar_xmpl_net *gnet = gnl_foobar_xmpl_net(genl_info_net(info));
	struct nlattr *count_attr = info->attrs[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT];
	struct nlattr *msg_attr = info->attrs[GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG];
	struct gnl_foobar_xmpl_config *old, *new;
	struct sk_buff *ntf;
	const char *msg;
	u32 count;
	int err;

	if (!count_attr && !msg_attr) {
		NL_SET_ERR_MSG(info->extack,
			       "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT or GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG is required");
		return -EINVAL;
	}

	/*
	 * Held from reading the old config to announcing the new one: sets are
	 * applied, and announced, one at a time and in order.
	 */
	mutex_lock(&gnet->lock);
	old = gnet->config;

	count = count_attr ? nla_get_u32(count_attr) : old->dump_count;
	/* NLA_NUL_STRING: a NUL inside; like the echo, keep up to the first. */
	msg = msg_attr ? nla_data(msg_attr) : old->dump_msg;

	new = gnl_foobar_xmpl_config_alloc(count, msg, strlen(msg) + 1);
	if (!new) {
		err = -ENOMEM;
		goto err_unlock;
	}

	ntf = gnl_foobar_xmpl_config_ntf_build(info, new);
	if (IS_ERR(ntf)) {
		err = PTR_ERR(ntf);
		goto err_free_config;
	}

	/* Nothing can fail from here: the change is made and announced. */
	gnet->config = new;
	if (ntf)
		genl_notify(&gnl_foobar_xmpl_nl_family, ntf, info,
			    GNL_FOOBAR_XMPL_NLGRP_CONFIG, GFP_KERNEL);
	/* Before unlocking: the next set may free new as soon as it can run. */
	pr_debug("config_set: count %u, %u-byte message for portid %u, seq %u\n",
		 new->dump_count, new->dump_msg_len - 1, info->snd_portid,
		 info->snd_seq);
	mutex_unlock(&gnet->lock);

	/* Frees it unless a get or a dump still holds it. */
	gnl_foobar_xmpl_config_put(old);
	return 0;

err_free_config:
	gnl_foobar_xmpl_config_put(new);
err_unlock:
	mutex_unlock(&gnet->lock);
	return err;
}

/*
 * The ops table comes from the spec (gnl_foobar_xmpl-nl.c): split operations,
 * a command's do and dump as separate entries, each with a policy ending at
 * the last attribute its request lists, so the core's strict validation
 * rejects any attribute the handler would silently ignore. A command without
 * a dump entry answers NLM_F_DUMP requests with -EOPNOTSUPP from the core.
 *
 * .parallel_ops: the handlers share no state but each namespace's config,
 * which has its own lock, so the core need not serialise them under its
 * genl_mutex. .netnsok: the config is per namespace and notifications go to
 * the listeners of theirs (and to those of other namespaces that asked for
 * every namespace's with NETLINK_LISTEN_ALL_NSID and hold CAP_NET_BROADCAST
 * over it), so the family is usable from every network namespace.
 * resv_start_op stays 0: the core checks every command's reserved header byte
 * and nlmsg_flags. The config group needs no capability to join.
 */
static struct genl_family gnl_foobar_xmpl_nl_family __ro_after_init = {
	.name		= GNL_FOOBAR_XMPL_FAMILY_NAME,
	.version	= GNL_FOOBAR_XMPL_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= gnl_foobar_xmpl_nl_ops,
	.n_split_ops	= ARRAY_SIZE(gnl_foobar_xmpl_nl_ops),
	.mcgrps		= gnl_foobar_xmpl_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(gnl_foobar_xmpl_nl_mcgrps),
};

/* A new namespace starts with the defaults of the uAPI header. */
static int __net_init gnl_foobar_xmpl_net_init(struct net *net)
{
	struct gnl_foobar_xmpl_net *gnet = gnl_foobar_xmpl_net(net);

	mutex_init(&gnet->lock);
	gnet->config = gnl_foobar_xmpl_config_alloc(GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT,
						    GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG,
						    sizeof(GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG));
	return gnet->config ? 0 : -ENOMEM;
}

/*
 * No request can be running in a namespace on its way out (every socket in it
 * held a reference to it), but a dump's .done may yet drop its own reference
 * to the config: this drops only the namespace's.
 */
static void __net_exit gnl_foobar_xmpl_net_exit(struct net *net)
{
	struct gnl_foobar_xmpl_net *gnet = gnl_foobar_xmpl_net(net);

	gnl_foobar_xmpl_config_put(gnet->config);
	mutex_destroy(&gnet->lock);
}

static struct pernet_operations gnl_foobar_xmpl_net_ops = {
	.init	= gnl_foobar_xmpl_net_init,
	.exit	= gnl_foobar_xmpl_net_exit,
	.id	= &gnl_foobar_xmpl_net_id,
	.size	= sizeof(struct gnl_foobar_xmpl_net),
};

/*
 * The per-namespace state exists before the family can take a request, and
 * after its last one: registered first, unregistered last.
 */
static int __init gnl_foobar_xmpl_init(void)
{
	int err;

	err = register_pernet_subsys(&gnl_foobar_xmpl_net_ops);
	if (err) {
		pr_err("registering the per-namespace state failed: %d\n", err);
		return err;
	}

	err = genl_register_family(&gnl_foobar_xmpl_nl_family);
	if (err) {
		pr_err("registering family %s failed: %d\n",
		       GNL_FOOBAR_XMPL_FAMILY_NAME, err);
		goto err_unregister_pernet;
	}

	/* For the tutorial's reader; a production module would stay quiet. */
	pr_info("registered family %s, id %u\n", GNL_FOOBAR_XMPL_FAMILY_NAME,
		gnl_foobar_xmpl_nl_family.id);
	return 0;

err_unregister_pernet:
	unregister_pernet_subsys(&gnl_foobar_xmpl_net_ops);
	return err;
}

static void __exit gnl_foobar_xmpl_exit(void)
{
	genl_unregister_family(&gnl_foobar_xmpl_nl_family);
	unregister_pernet_subsys(&gnl_foobar_xmpl_net_ops);
	pr_info("unregistered family %s\n", GNL_FOOBAR_XMPL_FAMILY_NAME);
}

module_init(gnl_foobar_xmpl_init);
module_exit(gnl_foobar_xmpl_exit);

MODULE_DESCRIPTION("Generic Netlink example family " GNL_FOOBAR_XMPL_FAMILY_NAME);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_ALIAS_GENL_FAMILY(GNL_FOOBAR_XMPL_FAMILY_NAME);
