# vm/kernels.sh: reads vm/kernels, the one list of kernels. Sourced by vm/vm, test.sh,
# build_and_run.sh and measurements/run.sh after they set ROOT (the repository's top);
# defines functions and KERNELS_LIST, nothing else.
# shellcheck shell=sh

KERNELS_LIST=${ROOT:?set ROOT before sourcing vm/kernels.sh}/vm/kernels

# kernel_lines: the list without comments and blank lines.
kernel_lines() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$KERNELS_LIST"
}

# kernel_matrix: the names a plain `sh test.sh` runs, in list order.
kernel_matrix() {
	kernel_lines | awk '$3 == "default" || $3 == "matrix" { printf "%s%s", sep, $1; sep = " " } END { print "" }'
}

# kernel_default: the kernel one-kernel commands use when given none.
kernel_default() {
	kernel_lines | awk '$3 == "default" { print $1; exit }'
}

# kernel_known NAME: true when NAME is in the list.
kernel_known() {
	kernel_lines | awk -v k="$1" '$1 == k { found = 1 } END { exit !found }'
}

# kernel_suite NAME: the Debian suite of NAME.
kernel_suite() {
	kernel_lines | awk -v k="$1" '$1 == k { print $2; exit }'
}

# kernel_build_root NAME: "host", or the Debian suite of the build root NAME's module
# is compiled in.
kernel_build_root() {
	kernel_lines | awk -v k="$1" '$1 == k { print $4; exit }'
}

# kernel_role NAME: default, matrix, canary or debug (see vm/kernels).
kernel_role() {
	kernel_lines | awk -v k="$1" '$1 == k { print $3; exit }'
}

# kernel_debug_names: the debug kernels (built from source), in list order.
kernel_debug_names() {
	kernel_lines | awk '$3 == "debug" { printf "%s%s", sep, $1; sep = " " } END { print "" }'
}

# kernel_make_vars NAME: the extra make variables for the module's build against NAME.
kernel_make_vars() {
	kernel_lines | awk -v k="$1" '$1 == k { for (i = 5; i <= NF; i++) printf "%s%s", (i > 5 ? " " : ""), $i; print ""; exit }'
}

# kernel_names_text: "5.10 (bullseye), 6.1 (bookworm, default), ..." for usage messages.
kernel_names_text() {
	kernel_lines | awk '{
		extra = ($3 == "default" || $3 == "canary" || $3 == "debug") ? ", " $3 : ""
		printf "%s%s (%s%s)", sep, $1, $2, extra; sep = ", "
	} END { print "" }'
}
