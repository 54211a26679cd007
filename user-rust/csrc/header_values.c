/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Every value of include/gnl_foobar_xmpl.h as data the Rust unit test in
 * src/header_check.rs can read, so that test fails if the Rust mirror drifts.
 */
#include <stddef.h>

#include "gnl_foobar_xmpl.h"

struct gnl_xmpl_hdr_int {
	const char *name;
	long long value;
};

struct gnl_xmpl_hdr_str {
	const char *name;
	const char *value;
};

/* #x turns each macro or enumerator name into the string the test looks up. */
#define HDR_INT(x) { #x, (long long)(x) }
#define HDR_STR(x) { #x, x }

static const struct gnl_xmpl_hdr_int hdr_ints[] = {
	HDR_INT(GNL_FOOBAR_XMPL_FAMILY_VERSION),
	HDR_INT(GNL_FOOBAR_XMPL_MSG_MAX_LEN),
	HDR_INT(GNL_FOOBAR_XMPL_DUMP_DEFAULT_COUNT),
	HDR_INT(GNL_FOOBAR_XMPL_DUMP_MIN_COUNT),
	HDR_INT(GNL_FOOBAR_XMPL_DUMP_MAX_COUNT),
	HDR_INT(GNL_FOOBAR_XMPL_CMD_UNSPEC),
	HDR_INT(GNL_FOOBAR_XMPL_CMD_ECHO_MSG),
	HDR_INT(GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR),
	HDR_INT(GNL_FOOBAR_XMPL_CMD_MAX),
	HDR_INT(GNL_FOOBAR_XMPL_A_UNSPEC),
	HDR_INT(GNL_FOOBAR_XMPL_A_MSG),
	HDR_INT(GNL_FOOBAR_XMPL_A_DUMP_COUNT),
	HDR_INT(GNL_FOOBAR_XMPL_A_DUMP_INDEX),
	HDR_INT(GNL_FOOBAR_XMPL_A_MAX),
};

static const struct gnl_xmpl_hdr_str hdr_strs[] = {
	HDR_STR(GNL_FOOBAR_XMPL_FAMILY_NAME),
	HDR_STR(GNL_FOOBAR_XMPL_DUMP_DEFAULT_MSG),
};

const struct gnl_xmpl_hdr_int *gnl_xmpl_hdr_ints(size_t *len);
const struct gnl_xmpl_hdr_str *gnl_xmpl_hdr_strs(size_t *len);

const struct gnl_xmpl_hdr_int *gnl_xmpl_hdr_ints(size_t *len)
{
	*len = sizeof(hdr_ints) / sizeof(hdr_ints[0]);
	return hdr_ints;
}

const struct gnl_xmpl_hdr_str *gnl_xmpl_hdr_strs(size_t *len)
{
	*len = sizeof(hdr_strs) / sizeof(hdr_strs[0]);
	return hdr_strs;
}
