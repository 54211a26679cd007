#!/bin/sh
# Fetches the kernel's YNL tools (tools/net/ynl: the code generator and the ynl CLI) and
# the netlink spec schemas (Documentation/netlink) from Debian's linux-source package,
# downloaded with a private apt configuration and unpacked into target/ynl/tree/, never
# installed. Prints the tree's path; quick when it is there already. Used by
# scripts/ynl-regen.sh (which test.sh runs) and, in the guest, tests/guest/ynl.sh and
# scripts/demo.sh.
#
#   sh scripts/ynl-fetch.sh
set -eu

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd -P)
YNL_DIR=$ROOT/target/ynl
# The pin: the generator of the 6.12 series, the newest kernel of the matrix. Its output
# is what the committed files were generated with; another series may format them
# differently (which the regeneration check would report as stale files).
YNL_PACKAGE=linux-source-6.12
YNL_SUITE=bookworm-backports
# What the guest reads too (it cannot fetch): tools/net/ynl and Documentation/netlink.
YNL_TREE=$YNL_DIR/tree
# Keyring used when the host's sources give none (ships with apt, via debian-archive-keyring).
DEFAULT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

say() {
	printf 'ynl-fetch: %s\n' "$*" >&2
}

die() {
	printf 'ynl-fetch: error: %s\n' "$*" >&2
	exit 1
}

# Prints "URI KEYRING" of the host's Debian archive (not its security archive), as vm/vm
# does: deb822 .sources files first, then one-line entries. No mirror is named here.
host_archive_source() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			function flush() {
				if (uri != "" && deb && plain) { print uri, (key == "" ? "-" : key); found = 1; exit }
				uri = ""; key = ""; deb = 0; plain = 0
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "signed-by:" && $2 ~ /^\// { key = $2 }
			tolower($1) == "suites:" {
				for (i = 2; i <= NF; i++) if ($i !~ /[-\/](security|updates)$/) plain = 1
			}
			END { if (!found) flush() }
		' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '
			$1 != "deb" { next }
			{
				i = 2; key = "-"
				if ($2 ~ /^\[/) {
					for (; i <= NF; i++) {
						if ($i ~ /^\[?signed-by=/) { key = $i; sub(/^\[?signed-by=/, "", key); sub(/\]$/, "", key) }
						if ($i ~ /\]$/) { i++; break }
					}
				}
				if ($(i + 1) !~ /[-\/](security|updates)$/) { print $i, key; exit }
			}
		' "$f"
	done
}

# Writes the private apt configuration (its own lists, cache and empty dpkg status, none
# of the host's apt.conf.d) and prints its path.
write_apt_config() {
	dir=$YNL_DIR/apt
	if [ -n "${VM_APT_URI:-}" ]; then
		src="$VM_APT_URI -"
	else
		src=$(host_archive_source | head -n 1)
	fi
	[ -n "$src" ] || die "no Debian archive in /etc/apt/sources.list(.d); set VM_APT_URI"
	uri=${src% *}
	key=${src#* }
	[ "$key" != - ] || key=$DEFAULT_KEYRING
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/parts" "$dir/prefs"
	: >"$dir/status"
	printf 'deb [signed-by=%s] %s %s main\n' "$key" "$uri" "$YNL_SUITE" >"$dir/sources.list"
	cat >"$dir/apt.conf" <<APT
Dir::Etc::Parts "$dir/parts";
Dir::Etc::Main "/dev/null";
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "$dir/parts";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$dir/prefs";
Dir::State "$dir";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
APT::Sandbox::User "root";
APT
	echo "$dir/apt.conf"
}

# fetched: whether the tree is there, unpacked from the pinned package ($YNL_TREE/.fetched
# names the .deb).
fetched() {
	case $(cat "$YNL_TREE/.fetched" 2>/dev/null) in
	"${YNL_PACKAGE}_"*) return 0 ;;
	*) return 1 ;;
	esac
}

fetch() {
	fetched && return 0
	mkdir -p "$YNL_DIR/debs"
	# Two runs fetching at once: the second waits, then finds the stamp.
	exec 8>"$YNL_DIR/.lock"
	flock 8
	fetched && return 0
	apt_conf=$(write_apt_config)
	say "updating the package lists of $YNL_SUITE"
	APT_CONFIG=$apt_conf apt-get -q=2 update >&2 || die "apt-get update for $YNL_SUITE failed"
	pool_path=$(APT_CONFIG=$apt_conf apt-cache show --no-all-versions "$YNL_PACKAGE" |
		sed -n 's/^Filename: *//p')
	[ -n "$pool_path" ] || die "$YNL_SUITE has no $YNL_PACKAGE"
	deb=$YNL_DIR/debs/${pool_path##*/}
	if [ ! -s "$deb" ]; then
		say "downloading ${pool_path##*/} (about 150 MB)"
		(cd "$YNL_DIR/debs" && APT_CONFIG=$apt_conf apt-get -q=2 download "$YNL_PACKAGE") >&2 ||
			die "apt-get download $YNL_PACKAGE failed"
	fi
	[ -s "$deb" ] || die "downloaded $YNL_PACKAGE but $deb is missing"

	say "unpacking tools/net/ynl and Documentation/netlink into target/ynl/"
	rm -rf "$YNL_TREE" "$YNL_DIR/unpack"
	mkdir -p "$YNL_DIR/unpack"
	# The package holds the whole tree as one tarball; only two directories are needed.
	tarball=$YNL_DIR/unpack/usr/src/$YNL_PACKAGE.tar.xz
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$YNL_DIR/unpack" "./usr/src/$YNL_PACKAGE.tar.xz"
	[ -s "$tarball" ] || die "$deb holds no usr/src/$YNL_PACKAGE.tar.xz"
	xz -dc "$tarball" | tar -x -C "$YNL_DIR/unpack" \
		"$YNL_PACKAGE/tools/net/ynl" "$YNL_PACKAGE/Documentation/netlink"
	rm -f "$tarball"
	mv "$YNL_DIR/unpack/$YNL_PACKAGE" "$YNL_TREE"
	rm -rf "$YNL_DIR/unpack"
	[ -f "$YNL_TREE/tools/net/ynl/ynl-gen-c.py" ] || die "$YNL_PACKAGE has no tools/net/ynl/ynl-gen-c.py"
	printf '%s\n' "${deb##*/}" >"$YNL_TREE/.fetched"
	exec 8>&-
	say "ynl tools ready: target/ynl/tree (from ${deb##*/})"
}

fetch
echo "$YNL_TREE"
