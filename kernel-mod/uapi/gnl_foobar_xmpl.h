/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The generated kernel files include the uAPI header the way the kernel tree
 * spells it, <uapi/gnl_foobar_xmpl.h>; out of tree it is the one in include/,
 * which the module and the C clients share.
 */
#include "../../include/gnl_foobar_xmpl.h"
