// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gnl_filler: a test module of tests/guest/listen.sh, not part of the example.
 * It registers FILLER_FAMILIES Generic Netlink families, "gnl_filler_0" to
 * "gnl_filler_31", each with one multicast group and no operation.
 *
 * The core gives each family's groups the lowest run of free ids, so these
 * single groups fill every free id below 33 (0 means no group, 1 is kept for
 * drop_monitor and 16 to 18 for nlctrl and two legacy families: at most 28
 * free ids from 2 to 32). A family that registers after them, gnl_foobar_xmpl
 * loaded again, gets a group id above 32: the ids a bind() mask cannot name
 * and for which the kernel leaves the sender's group mask at 0, the case every
 * listener must handle.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <net/genetlink.h>

#define FILLER_FAMILIES 32

static const struct genl_multicast_group filler_mcgrps[] = {
	{ .name = "filler", },
};

/* Not const: each one's name is written before it registers. */
static struct genl_family filler_families[FILLER_FAMILIES];

static void filler_unregister(unsigned int n)
{
	while (n--)
		genl_unregister_family(&filler_families[n]);
}

static int __init filler_init(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < FILLER_FAMILIES; i++) {
		struct genl_family *family = &filler_families[i];

		snprintf(family->name, sizeof(family->name), "gnl_filler_%u", i);
		family->version = 1;
		family->netnsok = true;
		family->module = THIS_MODULE;
		family->mcgrps = filler_mcgrps;
		family->n_mcgrps = ARRAY_SIZE(filler_mcgrps);
		err = genl_register_family(family);
		if (err) {
			filler_unregister(i);
			return err;
		}
	}
	return 0;
}

static void __exit filler_exit(void)
{
	filler_unregister(FILLER_FAMILIES);
}

module_init(filler_init);
module_exit(filler_exit);

MODULE_DESCRIPTION("Generic Netlink families that take multicast group ids (a test helper)");
MODULE_LICENSE("Dual MIT/GPL");
