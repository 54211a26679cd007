/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the older supported kernels (Debian's 5.10, 6.1 and 6.12) lack, so that
 * gnl_foobar_xmpl-main.c and the tables generated from the spec
 * (gnl_foobar_xmpl-nl.c, which includes this file too) can be written as
 * current mainline code.
 *
 * Every difference between kernel versions lives in this file; each block
 * names the release that made it unnecessary. On 6.12 only the
 * NL_ASSERT_CTX_FITS() fallback remains; on 7.x (Debian unstable's 7.2,
 * experimental's 7.3-rc) all of it compiles away, and no block needs a 7.x
 * boundary.
 */
#ifndef _GNL_FOOBAR_XMPL_COMPAT_H
#define _GNL_FOOBAR_XMPL_COMPAT_H

#include <linux/build_bug.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/*
 * True when building against a kernel older than major.minor. An out-of-tree
 * module cannot avoid version tests (checkpatch objects to them for code that
 * is merged into a tree); keeping the one LINUX_VERSION_CODE here keeps them
 * uniform.
 */
#define GNL_COMPAT_KERNEL_BEFORE(major, minor)				\
	(KERNEL_VERSION(major, minor, 0) > LINUX_VERSION_CODE)

/*
 * 6.0 added NLMSGERR_ATTR_MISS_TYPE, which tells the sender which attribute
 * was missing. 5.10's extended ACK has no such field: keep only the check,
 * the caller's error message still names the attribute.
 */
#ifndef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr)	(!(info)->attrs[(attr)])
#endif

/*
 * cb->ctx exists on every supported kernel (since 5.10, whose policy dump
 * uses it), only the assertion macro is newer: 6.13 renamed 6.12's
 * NL_ASSERT_DUMP_CTX_FITS(), and 5.10/6.1 have neither.
 */
#ifndef NL_ASSERT_CTX_FITS
#define NL_ASSERT_CTX_FITS(type_name)					\
	BUILD_BUG_ON(sizeof(type_name) >				\
		     sizeof_field(struct netlink_callback, ctx))
#endif

/*
 * 6.7 made nla_policy.range a pointer to const; before, a const range needs
 * the cast (the core only ever reads through it).
 */
#if GNL_COMPAT_KERNEL_BEFORE(6, 7)
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/*
 * 6.6 embedded a struct genl_info in the dump state. Before, the request's
 * parsed attributes sit in struct genl_dumpit_info itself; both spell them
 * ->attrs, which is all the module reads.
 */
#if GNL_COMPAT_KERNEL_BEFORE(6, 6)
#define genl_info_dump(cb)	genl_dumpit_info(cb)
#endif

#if GNL_COMPAT_KERNEL_BEFORE(6, 2)
/*
 * Split operations (6.2) give a command's doit and dumpit separate entries,
 * each with its own policy. Before 6.2, one struct genl_ops carries both and
 * the core validates do and dump requests against one policy.
 *
 * The module keeps mainline's split table. Its entries have the same fields as
 * struct genl_ops, so the macros at the end of this block let it compile as a
 * genl_ops table, and genl_register_family() folds each command's do and dump
 * entries into one genl_ops before the core sees them: the folded entry takes
 * the dump policy, which must accept at least what the do policy accepts. The
 * do policy's maxattr travels in internal_flags (the family's own field) to
 * genl_compat_pre_doit(), which rejects the dump-only attributes on a do
 * request the way 6.2's split policy does. What the fold cannot hide: the
 * dump policy's own checks run first on a do request, and the controller's
 * CTRL_CMD_GETPOLICY reports the dump policy for the do operation too.
 */

/*
 * 6.1 started checking, in the core, the header fields that older kernels
 * ignored (for families whose resv_start_op is 0, as here). 5.10 calls the
 * family's pre_doit for do requests only, so there the check covers those;
 * 5.10 dump requests go unchecked.
 */
static inline int genl_compat_header_check(const struct genl_info *info)
{
#if GNL_COMPAT_KERNEL_BEFORE(6, 1)
	u16 flags = info->nlhdr->nlmsg_flags;

	if (info->genlhdr->reserved) {
		NL_SET_ERR_MSG(info->extack, "genlmsghdr.reserved field is not 0");
		return -EINVAL;
	}
	/*
	 * Only the flags whose meaning the core enforces are allowed (a do
	 * request never carries both NLM_F_DUMP bits).
	 */
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) {
		NL_SET_ERR_MSG(info->extack,
			       "ambiguous or reserved bits set in nlmsg_flags");
		return -EINVAL;
	}
#endif
	return 0;
}

static inline int genl_compat_pre_doit(const struct genl_ops *ops,
				       struct sk_buff *skb,
				       struct genl_info *info)
{
	unsigned int type;
	int err;

	err = genl_compat_header_check(info);
	if (err)
		return err;

	/* Same errno and message as the core's strict parse of a split policy. */
	for (type = ops->internal_flags + 1; type <= ops->maxattr; type++) {
		if (info->attrs[type]) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[type],
					    "Unknown attribute type");
			return -EINVAL;
		}
	}

	return 0;
}

/**
 * genl_compat_fold_op() - merge one split entry into its command's genl_ops
 * @op: the command's folded entry, zeroed before its first split entry
 * @split: a do (GENL_CMD_CAP_DO) or dump (GENL_CMD_CAP_DUMP) entry
 *
 * Return: 0, or -EINVAL for a table this fold cannot express.
 */
static inline int genl_compat_fold_op(struct genl_ops *op,
				      const struct genl_ops *split)
{
	if (WARN_ON(split->internal_flags || split->validate))
		return -EINVAL;

	op->cmd = split->cmd;
	op->flags |= split->flags & ~(GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP);

	if (split->flags & GENL_CMD_CAP_DO) {
		if (WARN_ON(split->maxattr > U8_MAX || op->dumpit))
			return -EINVAL;
		op->doit = split->doit;
		op->internal_flags = split->maxattr;
		op->policy = split->policy;
		op->maxattr = split->maxattr;
		return 0;
	}

	/* Mainline's order: do before dump. The dump policy must be the wider. */
	if (WARN_ON(split->maxattr < op->maxattr))
		return -EINVAL;
	if (!op->doit)
		op->internal_flags = split->maxattr;
	op->start = split->start;
	op->dumpit = split->dumpit;
	op->done = split->done;
	op->policy = split->policy;
	op->maxattr = split->maxattr;
	return 0;
}

/**
 * genl_compat_register_family() - register a family described by split ops
 * @family: family whose ops/n_ops hold the module's split table
 *
 * Replaces the split table by a folded copy, one entry per command, and
 * installs genl_compat_pre_doit(); genl_compat_unregister_family() frees the
 * copy.
 *
 * Return: 0 or a negative errno, like genl_register_family().
 */
static inline int genl_compat_register_family(struct genl_family *family)
{
	const struct genl_ops *split = family->ops;
	unsigned int n_split = family->n_ops;
	struct genl_ops *ops;
	unsigned int i, n = 0;
	int err;

	if (WARN_ON(family->pre_doit || !n_split))
		return -EINVAL;

	ops = kcalloc(n_split, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;

	for (i = 0; i < n_split; i++) {
		/* A command's do and dump entries are adjacent. */
		if (!n || ops[n - 1].cmd != split[i].cmd)
			n++;
		err = genl_compat_fold_op(&ops[n - 1], &split[i]);
		if (err)
			goto err_free;
	}

	family->ops = ops;
	family->n_ops = n;
	family->pre_doit = genl_compat_pre_doit;

	/* Parenthesised: the real function, not the macro below. */
	err = (genl_register_family)(family);
	if (err)
		goto err_restore;
	return 0;

err_restore:
	family->ops = split;
	family->n_ops = n_split;
	family->pre_doit = NULL;
err_free:
	kfree(ops);
	return err;
}

static inline int genl_compat_unregister_family(const struct genl_family *family)
{
	int err;

	/* Returns once no do request of the family is running any more. */
	err = (genl_unregister_family)(family);
	kfree(family->ops);
	return err;
}

#define genl_split_ops			genl_ops
#define split_ops			ops
#define n_split_ops			n_ops
#define genl_register_family(family)	genl_compat_register_family(family)
#define genl_unregister_family(family)	genl_compat_unregister_family(family)

#endif /* < 6.2 */

#endif /* _GNL_FOOBAR_XMPL_COMPAT_H */
