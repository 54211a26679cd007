#!/bin/sh
# Regenerates, from the protocol's YNL spec (spec/gnl_foobar_xmpl.yaml), the files the
# kernel's generator (tools/net/ynl/ynl-gen-c.py, see scripts/ynl-fetch.sh) writes: the
# uAPI header and the module's policy and split-ops tables. With --check, changes nothing
# and fails, naming each file, when the committed files differ from what the spec gives
# (test.sh runs that). Both first validate the spec against its schema.
#
#   sh scripts/ynl-regen.sh            # after editing the spec
#   sh scripts/ynl-regen.sh --check    # are the committed files up to date?
set -eu

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)
SPEC=spec/gnl_foobar_xmpl.yaml
# Debian's python3, where python3-yaml and python3-jsonschema are installed: a python3
# found earlier in PATH (a pyenv or venv one) may lack them.
PYTHON=/usr/bin/python3
# "MODE OUTPUT": the generator's mode and the file of this repository it writes.
OUTPUTS="
uapi:include/gnl_foobar_xmpl.h
kernel-header:kernel-mod/gnl_foobar_xmpl-nl.h
kernel-source:kernel-mod/gnl_foobar_xmpl-nl.c
"

say() {
	printf 'ynl-regen: %s\n' "$*" >&2
}

die() {
	printf 'ynl-regen: error: %s\n' "$*" >&2
	exit 1
}

# spec_schema: the schema the spec's protocol names (Documentation/netlink/PROTOCOL.yaml).
spec_schema() {
	protocol=$(sed -n 's/^protocol: *\([a-z-]*\).*/\1/p' "$ROOT/$SPEC")
	[ -n "$protocol" ] || die "$SPEC names no protocol"
	echo "Documentation/netlink/$protocol.yaml"
}

# validate_spec TREE: the spec against the schema its protocol names.
validate_spec() {
	say "validating $SPEC against $(spec_schema)"
	"$PYTHON" - "$1/$(spec_schema)" "$ROOT/$SPEC" "$SPEC" <<'PY' ||
import sys

import jsonschema
import yaml

with open(sys.argv[1]) as f:
    schema = yaml.safe_load(f)
with open(sys.argv[2]) as f:
    spec = yaml.safe_load(f)
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(spec), key=str)
for e in errors:
    path = "/".join(str(p) for p in e.absolute_path) or "(top)"
    print(f"ynl-regen: {sys.argv[3]}: {path}: {e.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
		die "$SPEC does not validate against its schema"
}

# generate TREE SCRATCH: runs the generator once per output, into SCRATCH/out/.
generate() {
	tree=$1
	scratch=$2
	# The generator finds the top of "the kernel tree" by walking up to a directory with
	# a MAINTAINERS file (without one it loops forever), names the spec in its header
	# line relative to it, and reads the schema next to the spec's directory: a scratch
	# tree gives it all three, with the spec at the same path as here.
	mkdir -p "$scratch/spec" "$scratch/out"
	: >"$scratch/MAINTAINERS"
	cp "$tree/$(spec_schema)" "$scratch/"
	cp "$ROOT/$SPEC" "$scratch/$SPEC"
	for entry in $OUTPUTS; do
		mode=${entry%%:*}
		file=${entry#*:}
		case $mode in
		uapi) args="--mode uapi --header" ;;
		kernel-header) args="--mode kernel --header" ;;
		kernel-source) args="--mode kernel --source" ;;
		esac
		# shellcheck disable=SC2086 # args are words
		(cd "$scratch" && timeout 120 "$PYTHON" "$tree/tools/net/ynl/ynl-gen-c.py" \
			$args --spec "./$SPEC" -o "out/${file##*/}") >&2 ||
			die "ynl-gen-c.py $args failed for $file"
	done
}

main() {
	check=0
	case ${1-} in
	'') ;;
	--check) check=1 ;;
	*) sed -n '8,9s/^#   //p' "$0" >&2; exit 2 ;;
	esac
	tree=$(sh "$ROOT/scripts/ynl-fetch.sh")
	validate_spec "$tree"
	mkdir -p "$ROOT/target/ynl"
	scratch=$(mktemp -d "$ROOT/target/ynl/scratch.XXXXXX")
	trap 'rm -rf "$scratch"' EXIT
	say "generating from $SPEC with $(cat "$tree/.fetched")"
	generate "$tree" "$scratch"
	stale=0
	for entry in $OUTPUTS; do
		file=${entry#*:}
		new=$scratch/out/${file##*/}
		if cmp -s "$new" "$ROOT/$file"; then
			continue
		fi
		if [ "$check" = 1 ]; then
			printf 'ynl-regen: stale: %s differs from what %s generates (run sh scripts/ynl-regen.sh)\n' \
				"$file" "$SPEC" >&2
			diff -u "$ROOT/$file" "$new" >&2 || true
			stale=1
		else
			cp "$new" "$ROOT/$file"
			say "wrote $file"
		fi
	done
	[ "$stale" = 0 ] || exit 1
	[ "$check" = 0 ] || say "the generated files are up to date with $SPEC"
}

main "$@"
