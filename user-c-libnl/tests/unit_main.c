// SPDX-License-Identifier: MIT OR GPL-2.0-only
/* Runs the nl_msg unit tests as a program, for `make check`. */
int run_nl_msg_tests(void);

int main(void)
{
	return run_nl_msg_tests() == 0 ? 0 : 1;
}
