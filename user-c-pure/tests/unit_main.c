// SPDX-License-Identifier: MIT OR GPL-2.0-only
/* Runs the nl_msg and proc_netlink unit tests as a program, for `make check`. */
int run_nl_msg_tests(void);
int run_proc_netlink_tests(void);

int main(void)
{
	int failed = run_nl_msg_tests();

	failed += run_proc_netlink_tests();
	return failed == 0 ? 0 : 1;
}
