// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * Unit tests of nl_msg.c on crafted byte buffers: truncated and overlong
 * messages and attributes, wrong attribute types and sizes, capped and uncapped
 * ACKs with and without extended-ACK TLVs, the controller's multicast group
 * table and the family's config messages. Entry point: run_nl_msg_tests().
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "gnl_foobar_xmpl.h"
#include "nl_msg.h"

int run_nl_msg_tests(void);

/* Large enough for every crafted message below; uint32_t keeps it 4-byte aligned. */
#define TEST_BUF_WORDS 128

struct tally {
	int passed;
	int failed;
};

static void check(struct tally *t, int ok, const char *what, const char *test, int line)
{
	if (ok) {
		t->passed++;
		return;
	}
	t->failed++;
	printf("not ok - %s (line %d): %s\n", test, line, what);
}

#define CHECK(t, cond) check((t), (cond), #cond, __func__, __LINE__)

/* ---- Crafting messages byte by byte ---- */

struct craft {
	unsigned char *buf;
	size_t len;
	size_t msg_start;
};

static void craft_init(struct craft *c, uint32_t *words)
{
	memset(words, 0, TEST_BUF_WORDS * sizeof(*words));
	c->buf = (unsigned char *)words;
	c->len = 0;
	c->msg_start = 0;
}

static void craft_bytes(struct craft *c, const void *data, size_t len)
{
	memcpy(c->buf + c->len, data, len);
	c->len += len;
}

static void craft_align(struct craft *c)
{
	c->len = NLMSG_ALIGN(c->len);
}

/* Starts a message; its nlmsg_len is set by craft_end() unless given here. */
static struct nlmsghdr *craft_msg(struct craft *c, uint16_t type, uint16_t flags)
{
	struct nlmsghdr hdr = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = 7 };

	craft_align(c);
	c->msg_start = c->len;
	craft_bytes(c, &hdr, sizeof(hdr));
	return (struct nlmsghdr *)(c->buf + c->msg_start);
}

static void craft_end(struct craft *c)
{
	((struct nlmsghdr *)(c->buf + c->msg_start))->nlmsg_len = c->len - c->msg_start;
}

/* An attribute whose nla_len is @nla_len, whatever the size of @data. */
static void craft_attr_raw(struct craft *c, uint16_t type, uint16_t nla_len,
			   const void *data, size_t len)
{
	struct nlattr attr = { .nla_len = nla_len, .nla_type = type };

	craft_bytes(c, &attr, sizeof(attr));
	craft_bytes(c, data, len);
}

static void craft_attr(struct craft *c, uint16_t type, const void *data, size_t len)
{
	craft_attr_raw(c, type, NLA_HDRLEN + len, data, len);
	craft_align(c);
}

static void craft_u32(struct craft *c, uint16_t type, uint32_t value)
{
	craft_attr(c, type, &value, sizeof(value));
}

static void craft_str(struct craft *c, uint16_t type, const char *str)
{
	craft_attr(c, type, str, strlen(str) + 1);
}

/* The struct nlmsgerr of an NLMSG_ERROR: status, then the request's header. */
static void craft_nlmsgerr(struct craft *c, int error, uint32_t quoted_len)
{
	struct nlmsgerr e = { .error = error };

	e.msg.nlmsg_len = quoted_len;
	e.msg.nlmsg_type = 0x22;
	e.msg.nlmsg_seq = 7;
	craft_bytes(c, &e, sizeof(e));
}

/* ---- Building requests ---- */

static void test_put_genl_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	CHECK(t, !nlm_put_genl_header(words, NLMSG_LENGTH(GENL_HDRLEN) - 1, 0x22,
				      NLM_F_REQUEST, 1, 3, 1));
	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST | NLM_F_ACK,
				  41, 3, 1);
	CHECK(t, nlh != NULL);
	if (!nlh)
		return;
	genl = NLMSG_DATA(nlh);
	CHECK(t, nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN);
	CHECK(t, nlh->nlmsg_type == 0x22);
	CHECK(t, nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK));
	CHECK(t, nlh->nlmsg_seq == 41);
	CHECK(t, nlh->nlmsg_pid == 0);
	CHECK(t, genl->cmd == 3 && genl->version == 1 && genl->reserved == 0);
}

static void test_put_attr_pads(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	unsigned char *buf = (unsigned char *)words;
	struct nlmsghdr *nlh;
	struct nlattr *attr;

	memset(words, 0xaa, sizeof(words));
	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_attr(nlh, sizeof(words), 7, "abcde", 5) == 0);
	attr = (struct nlattr *)(buf + 20);
	CHECK(t, attr->nla_len == NLA_HDRLEN + 5);
	CHECK(t, attr->nla_type == 7);
	CHECK(t, memcmp(buf + 24, "abcde", 5) == 0);
	CHECK(t, buf[29] == 0 && buf[30] == 0 && buf[31] == 0);
	CHECK(t, nlh->nlmsg_len == 32);
}

static void test_put_attr_no_room(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlmsghdr *nlh;

	nlh = nlm_put_genl_header(words, 32, 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_attr(nlh, 32, 1, "abcde", 5) == 0);
	CHECK(t, nlh->nlmsg_len == 32);
	CHECK(t, nlm_put_attr(nlh, 32, 1, "", 0) == -1);
	CHECK(t, nlh->nlmsg_len == 32);

	/* nla_len is 16 bits: a payload of 65532 bytes cannot be described. */
	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_attr(nlh, SIZE_MAX, 1, words, UINT16_MAX - NLA_HDRLEN + 1) == -1);
	CHECK(t, nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN);
}

static void test_put_strz_u32(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	unsigned char *buf = (unsigned char *)words;
	struct nlmsghdr *nlh;
	uint32_t value;

	nlh = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	CHECK(t, nlm_put_strz(nlh, sizeof(words), 1, "hi") == 0);
	CHECK(t, nlm_put_u32(nlh, sizeof(words), 2, 1000) == 0);
	CHECK(t, ((struct nlattr *)(buf + 20))->nla_len == NLA_HDRLEN + 3);
	CHECK(t, memcmp(buf + 24, "hi", 3) == 0);
	CHECK(t, ((struct nlattr *)(buf + 28))->nla_len == NLA_HDRLEN + 4);
	CHECK(t, ((struct nlattr *)(buf + 28))->nla_type == 2);
	memcpy(&value, buf + 32, sizeof(value));
	CHECK(t, value == 1000);
	CHECK(t, nlh->nlmsg_len == 36);
}

/* ---- Walking messages ---- */

static void test_walk_empty(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS] = { 0 };
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;

	nlm_walk_init(&walk, words, 0);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 0);
}

static void test_walk_truncated_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, NLMSG_DONE, 0);
	craft_end(&c);
	nlm_walk_init(&walk, words, 10);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
	CHECK(t, strstr(err.text, "10 trailing bytes") != NULL);
}

static void test_walk_len_below_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, NLMSG_DONE, 0)->nlmsg_len = NLMSG_HDRLEN - 1;
	nlm_walk_init(&walk, words, 32);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
	CHECK(t, strstr(err.text, "shorter than its header") != NULL);
}

static void test_walk_len_past_end(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, NLMSG_DONE, 0)->nlmsg_len = 21;
	nlm_walk_init(&walk, words, 20);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
	CHECK(t, strstr(err.text, "only 20 bytes") != NULL);
}

static void test_walk_two_messages(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh = NULL;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	/* A 21-byte message is followed by 3 bytes of padding, then the next one. */
	craft_init(&c, words);
	craft_msg(&c, 0x22, NLM_F_MULTI);
	craft_bytes(&c, "xyzw", 5);
	craft_end(&c);
	craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_end(&c);
	CHECK(t, c.len == 40);

	nlm_walk_init(&walk, words, c.len);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlh == (const struct nlmsghdr *)words && nlh->nlmsg_len == 21);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlh == (const struct nlmsghdr *)(c.buf + 24));
	CHECK(t, nlh->nlmsg_type == NLMSG_DONE);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 0);
}

static void test_walk_last_message_unpadded(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, 0x22, 0);
	craft_bytes(&c, "x", 1);
	craft_end(&c);
	nlm_walk_init(&walk, words, 17);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 0);
}

static void test_walk_trailing_bytes(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_walk walk;
	struct craft c;

	craft_init(&c, words);
	craft_msg(&c, 0x22, 0);
	craft_end(&c);
	nlm_walk_init(&walk, words, NLMSG_HDRLEN + 8);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == 1);
	CHECK(t, nlm_walk_next(&walk, &nlh, &err) == -1);
}

/* ---- Attributes ---- */

enum { T_UNSPEC, T_U32, T_STR, T_U16, T_NEST, T_BIN, T_UNEXP, T_MAX = T_UNEXP };

static const struct nlm_attr_policy test_policy[T_MAX + 1] = {
	[T_U32]		= { NLM_ATTR_U32, 0, "T_U32" },
	[T_STR]		= { NLM_ATTR_STRING, 8, "T_STR" },
	[T_U16]		= { NLM_ATTR_U16, 0, "T_U16" },
	[T_NEST]	= { NLM_ATTR_NESTED, 0, "T_NEST" },
	[T_BIN]		= { NLM_ATTR_BINARY, 4, "T_BIN" },
	[T_UNEXP]	= { NLM_ATTR_UNEXPECTED, 0, "T_UNEXP" },
};

/* Parses the attribute stream crafted in @c against test_policy. */
static int parse_crafted(const struct craft *c, size_t len, const struct nlattr **tb,
			 struct nlm_error *err)
{
	return nlm_parse_attrs(c->buf, len, test_policy, T_MAX, tb, err);
}

static void test_attrs_valid(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	uint16_t u16 = 513;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_U32, 0xdeadbeef);
	craft_str(&c, T_STR, "1234567");
	craft_attr(&c, T_U16, &u16, sizeof(u16));
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);
	CHECK(t, tb[T_UNSPEC] == NULL && tb[T_NEST] == NULL && tb[T_BIN] == NULL);
	CHECK(t, tb[T_U32] && nlm_attr_get_u32(tb[T_U32]) == 0xdeadbeef);
	CHECK(t, tb[T_STR] && strcmp(nlm_attr_get_str(tb[T_STR]), "1234567") == 0);
	CHECK(t, tb[T_U16] && nlm_attr_get_u16(tb[T_U16]) == 513);
}

static void test_attrs_empty(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;
	int i;

	craft_init(&c, words);
	memset(tb, 0xff, sizeof(tb));
	CHECK(t, parse_crafted(&c, 0, tb, &err) == 0);
	for (i = 0; i <= T_MAX; i++)
		CHECK(t, tb[i] == NULL);
}

static void test_attrs_len_below_header(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr_raw(&c, T_U32, 2, "\0\0\0\0", 4);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "shorter than its header") != NULL);
}

static void test_attrs_len_past_end(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_U32, 1);
	/* The whole buffer is 8 bytes, but parse only 7 of them. */
	CHECK(t, parse_crafted(&c, c.len - 1, tb, &err) == -1);
	CHECK(t, strstr(err.text, "only 7 bytes left") != NULL);
}

static void test_attrs_stray_bytes(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_U32, 1);
	CHECK(t, parse_crafted(&c, c.len + 2, tb, &err) == -1);
	CHECK(t, strstr(err.text, "2 stray bytes") != NULL);
}

static void test_attrs_wrong_int_sizes(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	uint32_t u32 = 1;
	uint16_t u16 = 1;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, T_U32, &u16, sizeof(u16));
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "T_U32 has a payload of 2 bytes") != NULL);

	craft_init(&c, words);
	craft_attr(&c, T_U16, &u32, sizeof(u32));
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "T_U16") != NULL);
}

static void test_attrs_bad_strings(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, T_STR, "abc", 3);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "not a NUL-terminated string") != NULL);

	craft_init(&c, words);
	craft_attr(&c, T_STR, "", 0);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);

	/* max_len 8 counts the NUL: 7 characters fit, 8 do not. */
	craft_init(&c, words);
	craft_str(&c, T_STR, "12345678");
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "T_STR has a payload of 9 bytes") != NULL);
}

static void test_attrs_unexpected_types(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_u32(&c, T_UNEXP, 1);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "unexpected attribute T_UNEXP") != NULL);

	/* Type 0 has no name in the table: it is reported by number. */
	craft_init(&c, words);
	craft_u32(&c, T_UNSPEC, 1);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
	CHECK(t, strstr(err.text, "unexpected attribute of type 0") != NULL);
}

static void test_attrs_unknown_type_skipped(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, 42, "anything", 3);
	craft_u32(&c, T_U32, 5);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);
	CHECK(t, tb[T_U32] && nlm_attr_get_u32(tb[T_U32]) == 5);
}

static void test_attrs_nested(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	/* NLA_F_NESTED is a flag on the type, not part of it. */
	craft_init(&c, words);
	craft_attr(&c, T_NEST | NLA_F_NESTED, "\x08\0\x01\0\1\0\0\0", 8);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);
	CHECK(t, tb[T_NEST] != NULL);

	craft_init(&c, words);
	craft_attr(&c, T_NEST | NLA_F_NESTED, "", 0);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);

	craft_init(&c, words);
	craft_attr(&c, T_NEST | NLA_F_NESTED, "ab", 2);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
}

static void test_attrs_binary_max(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_attr(&c, T_BIN, "abcd", 4);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == 0);

	craft_init(&c, words);
	craft_attr(&c, T_BIN, "abcde", 5);
	CHECK(t, parse_crafted(&c, c.len, tb, &err) == -1);
}

static void test_attrs_last_unpadded(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	craft_str(&c, T_STR, "abcd");
	CHECK(t, parse_crafted(&c, NLA_HDRLEN + 5, tb, &err) == 0);
	CHECK(t, tb[T_STR] && strcmp(nlm_attr_get_str(tb[T_STR]), "abcd") == 0);
}

static void test_parse_genl(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlattr *tb[T_MAX + 1];
	struct genlmsghdr genl = { .cmd = 9, .version = 1 };
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	uint8_t cmd = 0;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, 0x22, 0);
	craft_bytes(&c, &genl, 2);
	craft_end(&c);
	CHECK(t, nlm_parse_genl(nlh, &cmd, test_policy, T_MAX, tb, &err) == -1);
	CHECK(t, strstr(err.text, "no Generic Netlink header") != NULL);

	craft_init(&c, words);
	nlh = craft_msg(&c, 0x22, 0);
	craft_bytes(&c, &genl, sizeof(genl));
	craft_u32(&c, T_U32, 77);
	craft_end(&c);
	CHECK(t, nlm_parse_genl(nlh, &cmd, test_policy, T_MAX, tb, &err) == 0);
	CHECK(t, cmd == 9);
	CHECK(t, tb[T_U32] && nlm_attr_get_u32(tb[T_U32]) == 77);

	/* The attributes are bounded by nlmsg_len, not by what follows in memory. */
	craft_init(&c, words);
	nlh = craft_msg(&c, 0x22, 0);
	craft_bytes(&c, &genl, sizeof(genl));
	craft_end(&c);
	craft_u32(&c, T_UNEXP, 1);
	CHECK(t, nlm_parse_genl(nlh, &cmd, test_policy, T_MAX, tb, &err) == 0);
	CHECK(t, tb[T_UNEXP] == NULL);
}

static void test_attr_type_at(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlmsghdr *req;

	req = nlm_put_genl_header(words, sizeof(words), 0x22, NLM_F_REQUEST, 1, 1, 1);
	nlm_put_strz(req, sizeof(words), 1, "hello");	/* bytes 20..31 */
	nlm_put_u32(req, sizeof(words), 2, 3);		/* bytes 32..39 */
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 20) == 1);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 25) == 1);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 32) == 2);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 16) == -1);
	CHECK(t, nlm_attr_type_at(req, GENL_HDRLEN, 40) == -1);
}

/* ---- NLMSG_ERROR ---- */

static void test_ack_capped_success(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
	craft_nlmsgerr(&c, 0, 36);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == 0 && ack.msg[0] == '\0');
	CHECK(t, !ack.has_offs && !ack.has_miss_type && !ack.has_miss_nest);
}

static void test_ack_uncapped_with_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* The quoted request is 21 bytes: its 16-byte header and 5 payload bytes. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 21);
	craft_bytes(&c, "\1\2\3\4\5", 5);
	craft_align(&c);
	craft_str(&c, NLMSGERR_ATTR_MSG, "bad message");
	craft_u32(&c, NLMSGERR_ATTR_OFFS, 20);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == EINVAL);
	CHECK(t, strcmp(ack.msg, "bad message") == 0);
	CHECK(t, ack.has_offs && ack.offs == 20);
	CHECK(t, !ack.has_miss_type);
}

static void test_ack_capped_error_with_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* Capped: the quoted header says 100 bytes, but only the header is there. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 100);
	craft_str(&c, NLMSGERR_ATTR_MSG, "missing");
	craft_u32(&c, NLMSGERR_ATTR_MISS_TYPE, 1);
	craft_u32(&c, NLMSGERR_ATTR_MISS_NEST, 24);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == EINVAL && strcmp(ack.msg, "missing") == 0);
	CHECK(t, ack.has_miss_type && ack.miss_type == 1);
	CHECK(t, ack.has_miss_nest && ack.miss_nest == 24);
}

static void test_ack_without_tlvs_flag(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* Bytes after the quoted request are not TLVs unless NLM_F_ACK_TLVS says so. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, 0);
	craft_nlmsgerr(&c, -ENOENT, 16);
	craft_bytes(&c, "\xff\xff\xff\xff\xff", 5);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == ENOENT && ack.msg[0] == '\0' && !ack.has_offs);
}

static void test_ack_too_short(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
	craft_bytes(&c, "\0\0\0\0\0\0\0\0", 8);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "shorter than struct nlmsgerr") != NULL);
}

static void test_ack_quoted_request_bad_len(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* Uncapped, but the quoted request claims more bytes than follow. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, 0);
	craft_nlmsgerr(&c, -EINVAL, 24);
	craft_bytes(&c, "\0\0\0", 3);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "quotes a request of 24 bytes, but 19 follow") != NULL);

	/* A quoted length below a header's size is no request at all. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, 0);
	craft_nlmsgerr(&c, -EINVAL, 8);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
}

static void test_ack_bad_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr(&c, NLMSGERR_ATTR_MSG, "unterminated", 12);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "NLMSGERR_ATTR_MSG is not a NUL-terminated") != NULL);

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr(&c, NLMSGERR_ATTR_OFFS, "\0\0", 2);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "NLMSGERR_ATTR_OFFS has a payload of 2") != NULL);

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr_raw(&c, NLMSGERR_ATTR_MSG, 64, "x\0\0\0", 4);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
}

static void test_ack_bad_status(struct tally *t)
{
	static const int bad[] = { 1, EINVAL, -4096, INT_MIN };
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		craft_init(&c, words);
		nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
		craft_nlmsgerr(&c, bad[i], 16);
		craft_end(&c);
		CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == -1);
	}
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED);
	craft_nlmsgerr(&c, -4095, 16);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0 && ack.error == 4095);
}

static void test_ack_tlvs_flag_without_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	/* The kernel sets the flag before it knows the TLVs fit; it may send none. */
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -ENOMEM, 16);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0 && ack.error == ENOMEM);
	CHECK(t, ack.msg[0] == '\0');
}

static void test_ack_unknown_and_other_tlvs(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_attr(&c, 42, "future", 6);
	craft_attr(&c, NLMSGERR_ATTR_COOKIE, "\1\2\3\4\5\6\7\10", 8);
	craft_attr(&c, NLMSGERR_ATTR_POLICY | NLA_F_NESTED, "\x08\0\x01\0\1\0\0\0", 8);
	craft_str(&c, NLMSGERR_ATTR_MSG, "line one\nline two");
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, strcmp(ack.msg, "line one?line two") == 0);
}

static void test_ack_long_message_truncated(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	char text[300];
	struct craft c;

	memset(text, 'm', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	craft_nlmsgerr(&c, -EINVAL, 16);
	craft_str(&c, NLMSGERR_ATTR_MSG, text);
	craft_end(&c);
	CHECK(t, nlm_parse_error_msg(nlh, &ack, &err) == 0);
	CHECK(t, strlen(ack.msg) == sizeof(ack.msg) - 1);
}

/* ---- NLMSG_DONE ---- */

static void test_done(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const struct nlmsghdr *nlh;
	struct nlm_error err;
	struct nlm_ack ack;
	int status = 0;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_bytes(&c, &status, sizeof(status));
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == 0 && ack.error == 0);

	status = -ENOBUFS;
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	craft_bytes(&c, &status, sizeof(status));
	craft_str(&c, NLMSGERR_ATTR_MSG, "dump failed");
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == 0);
	CHECK(t, ack.error == ENOBUFS && strcmp(ack.msg, "dump failed") == 0);

	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == -1);
	CHECK(t, strstr(err.text, "carries no status") != NULL);

	status = 3;
	craft_init(&c, words);
	nlh = craft_msg(&c, NLMSG_DONE, NLM_F_MULTI);
	craft_bytes(&c, &status, sizeof(status));
	craft_end(&c);
	CHECK(t, nlm_parse_done_msg(nlh, &ack, &err) == -1);
}

/* ---- Controller replies: the family and its multicast groups ---- */

/* Opens a nest (an attribute whose payload is attributes); craft_nest_end() sizes it. */
static size_t craft_nest(struct craft *c, uint16_t type)
{
	struct nlattr attr = { .nla_type = type };
	size_t start = c->len;

	craft_bytes(c, &attr, sizeof(attr));
	return start;
}

static void craft_nest_end(struct craft *c, size_t start)
{
	((struct nlattr *)(c->buf + start))->nla_len = c->len - start;
}

/* One entry of CTRL_ATTR_MCAST_GROUPS, as ctrl_fill_info() nests it. */
static void craft_mcast_grp(struct craft *c, uint16_t index, const char *name, uint32_t id)
{
	size_t grp = craft_nest(c, index);

	craft_str(c, CTRL_ATTR_MCAST_GRP_NAME, name);
	craft_u32(c, CTRL_ATTR_MCAST_GRP_ID, id);
	craft_nest_end(c, grp);
}

/* A CTRL_CMD_NEWFAMILY reply for family @id, name "fam", before its groups. */
static struct nlmsghdr *craft_family_reply(struct craft *c, uint8_t cmd, uint16_t id)
{
	struct genlmsghdr genl = { .cmd = cmd, .version = 2 };
	struct nlmsghdr *nlh = craft_msg(c, GENL_ID_CTRL, 0);

	craft_bytes(c, &genl, sizeof(genl));
	craft_attr(c, CTRL_ATTR_FAMILY_ID, &id, sizeof(id));
	craft_align(c);
	craft_str(c, CTRL_ATTR_FAMILY_NAME, "fam");
	craft_u32(c, CTRL_ATTR_VERSION, 1);
	return nlh;
}

static void test_ctrl_family_with_groups(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlm_ctrl_family fam;
	struct nlmsghdr *nlh;
	struct nlm_error err;
	uint32_t id = 0;
	struct craft c;
	size_t groups;

	craft_init(&c, words);
	nlh = craft_family_reply(&c, CTRL_CMD_NEWFAMILY, 0x1234);
	groups = craft_nest(&c, CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED);
	craft_mcast_grp(&c, 1, "other", 5);
	/* Above 32: only NETLINK_ADD_MEMBERSHIP can join it; the id must come out whole. */
	craft_mcast_grp(&c, 2, "config", 70000);
	craft_nest_end(&c, groups);
	craft_end(&c);

	CHECK(t, nlm_parse_ctrl_family(nlh, &fam, &err) == 0);
	CHECK(t, fam.cmd == CTRL_CMD_NEWFAMILY && fam.id == 0x1234);
	CHECK(t, fam.name && !strcmp(fam.name, "fam"));
	CHECK(t, fam.mcast_groups != NULL);
	if (!fam.mcast_groups)
		return;
	CHECK(t, nlm_find_mcast_group(fam.mcast_groups, "config", &id, &err) == 1 && id == 70000);
	CHECK(t, nlm_find_mcast_group(fam.mcast_groups, "other", &id, &err) == 1 && id == 5);
	CHECK(t, nlm_find_mcast_group(fam.mcast_groups, "confi", &id, &err) == 0);
	CHECK(t, nlm_find_mcast_group(fam.mcast_groups, "configx", &id, &err) == 0);
}

static void test_ctrl_family_without_groups(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlm_ctrl_family fam;
	struct nlmsghdr *nlh;
	struct nlm_error err;
	uint32_t id = 0;
	struct craft c;
	size_t groups;

	/* A family event of nlctrl's "notify" group: CTRL_CMD_DELFAMILY, no groups. */
	craft_init(&c, words);
	nlh = craft_family_reply(&c, CTRL_CMD_DELFAMILY, 0x20);
	craft_end(&c);
	CHECK(t, nlm_parse_ctrl_family(nlh, &fam, &err) == 0);
	CHECK(t, fam.cmd == CTRL_CMD_DELFAMILY && fam.id == 0x20 && !fam.mcast_groups);

	/* An empty table has no group. */
	craft_init(&c, words);
	nlh = craft_family_reply(&c, CTRL_CMD_NEWFAMILY, 0x20);
	groups = craft_nest(&c, CTRL_ATTR_MCAST_GROUPS);
	craft_nest_end(&c, groups);
	craft_end(&c);
	CHECK(t, nlm_parse_ctrl_family(nlh, &fam, &err) == 0 && fam.mcast_groups);
	if (fam.mcast_groups)
		CHECK(t, nlm_find_mcast_group(fam.mcast_groups, "config", &id, &err) == 0);

	/* The family id is a u16: a u32 in its place is rejected. */
	craft_init(&c, words);
	nlh = craft_msg(&c, GENL_ID_CTRL, 0);
	craft_bytes(&c, &(struct genlmsghdr){ .cmd = CTRL_CMD_NEWFAMILY }, GENL_HDRLEN);
	craft_u32(&c, CTRL_ATTR_FAMILY_ID, 0x20);
	craft_end(&c);
	CHECK(t, nlm_parse_ctrl_family(nlh, &fam, &err) == -1);
	CHECK(t, strstr(err.text, "CTRL_ATTR_FAMILY_ID") != NULL);
}

/* find_group_in(): nlm_find_mcast_group() on a table built by @build. */
static int find_group_in(void (*build)(struct craft *c), uint32_t *id, struct nlm_error *err)
{
	uint32_t words[TEST_BUF_WORDS];
	struct craft c;
	size_t groups;

	craft_init(&c, words);
	groups = craft_nest(&c, CTRL_ATTR_MCAST_GROUPS);
	build(&c);
	craft_nest_end(&c, groups);
	return nlm_find_mcast_group((const struct nlattr *)c.buf, "config", id, err);
}

static void build_group_without_id(struct craft *c)
{
	size_t grp = craft_nest(c, 1);

	craft_str(c, CTRL_ATTR_MCAST_GRP_NAME, "config");
	craft_nest_end(c, grp);
}

static void build_group_without_name(struct craft *c)
{
	size_t grp = craft_nest(c, 1);

	craft_u32(c, CTRL_ATTR_MCAST_GRP_ID, 3);
	craft_nest_end(c, grp);
}

static void build_group_short_id(struct craft *c)
{
	uint16_t id = 3;
	size_t grp = craft_nest(c, 1);

	craft_str(c, CTRL_ATTR_MCAST_GRP_NAME, "config");
	craft_attr(c, CTRL_ATTR_MCAST_GRP_ID, &id, sizeof(id));
	craft_nest_end(c, grp);
}

static void build_group_name_without_nul(struct craft *c)
{
	size_t grp = craft_nest(c, 1);

	craft_attr(c, CTRL_ATTR_MCAST_GRP_NAME, "config", 6);
	craft_u32(c, CTRL_ATTR_MCAST_GRP_ID, 3);
	craft_nest_end(c, grp);
}

static void build_group_id_zero(struct craft *c)
{
	craft_mcast_grp(c, 1, "config", 0);
}

/* An entry whose nla_len runs past the table. */
static void build_group_overlong_entry(struct craft *c)
{
	size_t grp = c->len;

	craft_mcast_grp(c, 1, "config", 3);
	((struct nlattr *)(c->buf + grp))->nla_len += 8;
}

/* Three bytes after the last entry: too few for an attribute header. */
static void build_group_stray_bytes(struct craft *c)
{
	craft_mcast_grp(c, 1, "config", 3);
	craft_bytes(c, "xyz", 3);
}

/* An entry that is no nest: its payload, a u32, is not a stream of attributes. */
static void build_group_not_nested(struct craft *c)
{
	craft_u32(c, 1, 3);
}

static void build_group_twice(struct craft *c)
{
	craft_mcast_grp(c, 1, "config", 3);
	craft_mcast_grp(c, 2, "config", 4);
}

static void test_mcast_groups_malformed(struct tally *t)
{
	static const struct {
		void (*build)(struct craft *c);
		const char *name;
	} cases[] = {
		{ build_group_without_id, "group without id" },
		{ build_group_without_name, "group without name" },
		{ build_group_short_id, "2-byte group id" },
		{ build_group_name_without_nul, "group name without NUL" },
		{ build_group_id_zero, "group id 0" },
		{ build_group_overlong_entry, "entry longer than the table" },
		{ build_group_stray_bytes, "stray bytes after the last entry" },
		{ build_group_not_nested, "entry that is no nest" },
		{ build_group_twice, "two groups of the same name" },
	};
	struct nlm_error err;
	uint32_t id = 0;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = find_group_in(cases[i].build, &id, &err);

		check(t, ret == -1, cases[i].name, __func__, __LINE__);
		check(t, ret != -1 || !strncmp(err.text, "malformed reply: ", 17), cases[i].name,
		      __func__, __LINE__);
	}
}

/* ---- The family's config ---- */

/* A config message of @cmd; its attributes follow. */
static struct nlmsghdr *craft_config_msg(struct craft *c, uint8_t cmd)
{
	struct genlmsghdr genl = { .cmd = cmd, .version = GNL_FOOBAR_XMPL_FAMILY_VERSION };
	struct nlmsghdr *nlh = craft_msg(c, 0x22, 0);

	craft_bytes(c, &genl, sizeof(genl));
	return nlh;
}

static void test_config_msg_valid(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	struct nlm_config cfg = { 0 };
	struct nlmsghdr *nlh;
	struct nlm_error err;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_config_msg(&c, GNL_FOOBAR_XMPL_CMD_CONFIG_NTF);
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x");
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, GNL_FOOBAR_XMPL_CMD_CONFIG_NTF, &cfg, &err) == 0);
	CHECK(t, cfg.dump_count == 5 && !strcmp(cfg.dump_msg, "x"));
	/* The same message is no reply to a config-get. */
	CHECK(t, nlm_parse_config_msg(nlh, GNL_FOOBAR_XMPL_CMD_CONFIG_GET, &cfg, &err) == -1);
	CHECK(t, strstr(err.text, "command 5, expected 3") != NULL);
	/* A copy: the next datagram (a config-set's ACK) reuses the receive buffer. */
	memset(words, 0xff, sizeof(words));
	CHECK(t, !strcmp(cfg.dump_msg, "x") && cfg.dump_count == 5);

	/* The empty message is a valid config; attribute order does not matter. */
	craft_init(&c, words);
	nlh = craft_config_msg(&c, GNL_FOOBAR_XMPL_CMD_CONFIG_GET);
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "");
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 1000000);
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, GNL_FOOBAR_XMPL_CMD_CONFIG_GET, &cfg, &err) == 0);
	CHECK(t, cfg.dump_count == 1000000 && cfg.dump_msg[0] == '\0');
}

static void test_config_msg_malformed(struct tally *t)
{
	uint32_t words[TEST_BUF_WORDS];
	const uint8_t ntf = GNL_FOOBAR_XMPL_CMD_CONFIG_NTF;
	struct nlm_config cfg;
	struct nlmsghdr *nlh;
	struct nlm_error err;
	uint16_t short_count = 5;
	uint64_t long_count = 5;
	struct craft c;

	craft_init(&c, words);
	nlh = craft_config_msg(&c, ntf);
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);
	CHECK(t, strstr(err.text, "without GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT or _DUMP_MSG") != NULL);

	craft_init(&c, words);
	nlh = craft_config_msg(&c, ntf);
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x");
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);

	craft_init(&c, words);
	nlh = craft_config_msg(&c, ntf);
	craft_attr(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, &short_count, sizeof(short_count));
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x");
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);
	CHECK(t, strstr(err.text, "A_CONFIG_DUMP_COUNT has a payload of 2 bytes") != NULL);

	craft_init(&c, words);
	nlh = craft_config_msg(&c, ntf);
	craft_attr(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, &long_count, sizeof(long_count));
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x");
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);

	craft_init(&c, words);
	nlh = craft_config_msg(&c, ntf);
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	craft_attr(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "abc", 3);
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);
	CHECK(t, strstr(err.text, "not a NUL-terminated string") != NULL);

	/* An attribute of the family that no config carries. */
	craft_init(&c, words);
	nlh = craft_config_msg(&c, ntf);
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, "x");
	craft_str(&c, GNL_FOOBAR_XMPL_A_MSG, "x");
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);
	CHECK(t, strstr(err.text, "unexpected attribute GNL_FOOBAR_XMPL_A_MSG") != NULL);

	/* An attribute cut by the end of the message. */
	craft_init(&c, words);
	nlh = craft_config_msg(&c, ntf);
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	craft_attr_raw(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, 40, "x", 2);
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);
}

/* The message may hold GNL_FOOBAR_XMPL_MSG_MAX_LEN bytes and its NUL, not one more. */
static void test_config_msg_length_cap(struct tally *t)
{
	static uint32_t big[(GNL_FOOBAR_XMPL_MSG_MAX_LEN + 256) / 4];
	static char text[GNL_FOOBAR_XMPL_MSG_MAX_LEN + 2];
	const uint8_t ntf = GNL_FOOBAR_XMPL_CMD_CONFIG_NTF;
	struct nlm_config cfg;
	struct nlmsghdr *nlh;
	struct nlm_error err;
	struct craft c = { .buf = (unsigned char *)big };

	memset(text, 'a', sizeof(text) - 1);
	text[GNL_FOOBAR_XMPL_MSG_MAX_LEN] = '\0';
	nlh = craft_config_msg(&c, ntf);
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, text);
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == 0);
	CHECK(t, strlen(cfg.dump_msg) == GNL_FOOBAR_XMPL_MSG_MAX_LEN);

	text[GNL_FOOBAR_XMPL_MSG_MAX_LEN] = 'a';
	c.len = 0;
	nlh = craft_config_msg(&c, ntf);
	craft_u32(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT, 5);
	craft_str(&c, GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG, text);
	craft_end(&c);
	CHECK(t, nlm_parse_config_msg(nlh, ntf, &cfg, &err) == -1);
}

int run_nl_msg_tests(void)
{
	static void (*const tests[])(struct tally *) = {
		test_put_genl_header,
		test_put_attr_pads,
		test_put_attr_no_room,
		test_put_strz_u32,
		test_walk_empty,
		test_walk_truncated_header,
		test_walk_len_below_header,
		test_walk_len_past_end,
		test_walk_two_messages,
		test_walk_last_message_unpadded,
		test_walk_trailing_bytes,
		test_attrs_valid,
		test_attrs_empty,
		test_attrs_len_below_header,
		test_attrs_len_past_end,
		test_attrs_stray_bytes,
		test_attrs_wrong_int_sizes,
		test_attrs_bad_strings,
		test_attrs_unexpected_types,
		test_attrs_unknown_type_skipped,
		test_attrs_nested,
		test_attrs_binary_max,
		test_attrs_last_unpadded,
		test_parse_genl,
		test_attr_type_at,
		test_ack_capped_success,
		test_ack_uncapped_with_tlvs,
		test_ack_capped_error_with_tlvs,
		test_ack_without_tlvs_flag,
		test_ack_too_short,
		test_ack_quoted_request_bad_len,
		test_ack_bad_tlvs,
		test_ack_bad_status,
		test_ack_tlvs_flag_without_tlvs,
		test_ack_unknown_and_other_tlvs,
		test_ack_long_message_truncated,
		test_done,
		test_ctrl_family_with_groups,
		test_ctrl_family_without_groups,
		test_mcast_groups_malformed,
		test_config_msg_valid,
		test_config_msg_malformed,
		test_config_msg_length_cap,
	};
	struct tally t = { 0, 0 };
	size_t i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		tests[i](&t);
	printf("nl_msg checks: %d passed, %d failed\n", t.passed, t.failed);
	return t.failed;
}
