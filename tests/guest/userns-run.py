#!/usr/bin/python3
# Runs a command as an unprivileged user inside a new user namespace (and, with --net, a
# new network namespace owned by it), mapped to root there: `unshare -Ur[n]` as that
# user. For tests/guest/state.sh, which checks what such a root may configure.
#
#   userns-run.py [--net] USER CMD [ARGS...]     # run as root, from the repository root
#
# Why not unshare(1): the kernel refuses a new user namespace to a chrooted process
# (EPERM), and the VM harness runs every command chrooted into the host's filesystem.
# This leaves the chroot first (as root, which may), drops to USER, unshares, then goes
# back into the very same root directory (CAP_SYS_CHROOT of the new user namespace) and
# working directory before running CMD. Outside a chroot the first step changes nothing.
import ctypes
import os
import pwd
import sys
import tempfile

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_DUMPABLE = 4


def die(msg):
    print(f"userns-run: {msg}", file=sys.stderr)
    sys.exit(125)


def leave_chroot(root):
    """The classic way out: chroot() into a subdirectory, then walk up from a directory
    outside it; ".." stops only at the process's own root. ROOT: a descriptor of the
    root directory we started in."""
    scratch = tempfile.mkdtemp()
    os.chroot(scratch)
    os.fchdir(root)
    for _ in range(256):
        os.chdir("..")
    os.chroot(".")
    os.rmdir(scratch.lstrip("/"), dir_fd=root)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    args = sys.argv[1:]
    flags = CLONE_NEWUSER
    if args[:1] == ["--net"]:
        flags |= CLONE_NEWNET
        args = args[1:]
    if len(args) < 2:
        die("usage: userns-run.py [--net] USER CMD [ARGS...]")
    user = pwd.getpwnam(args[0])
    cmd = args[1:]

    cwd = os.getcwd()
    root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
    leave_chroot(root)

    libc = ctypes.CDLL(None, use_errno=True)
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)
    # Giving up root made the process non-dumpable, which makes its /proc/self files
    # root's: it could not write its own uid_map.
    if libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0:
        die(f"prctl(PR_SET_DUMPABLE): {os.strerror(ctypes.get_errno())}")
    if libc.unshare(flags) != 0:
        die(f"unshare: {os.strerror(ctypes.get_errno())}")
    # Root inside is USER outside; an unprivileged process may map only itself, and
    # must give up setgroups() before it may write its gid_map.
    write("/proc/self/uid_map", f"0 {user.pw_uid} 1\n")
    write("/proc/self/setgroups", "deny\n")
    write("/proc/self/gid_map", f"0 {user.pw_gid} 1\n")

    os.fchdir(root)
    os.chroot(".")
    os.close(root)
    os.chdir(cwd)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
