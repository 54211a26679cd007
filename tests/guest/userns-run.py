#!/usr/bin/python3
# Runs a command as an unprivileged user inside a new user namespace (and, with --net, a
# new network namespace owned by it), mapped to root there: `unshare -Ur[n]` as that
# user. For tests/guest/state.sh and listen.sh, which check what such a root may configure.
#
#   userns-run.py [--net] [--cwd DIR] USER CMD [ARGS...]     # run as root
#
# CMD starts in DIR, by default the caller's working directory. USER must be able to enter
# it: the checkout may be closed to other users (a clone into `mktemp -d` is mode 0700),
# so the tests pass a directory of the guest's tmpfs that holds what CMD needs
# (public_dir in tests/guest/lib.sh).
#
# Why not unshare(1): the kernel refuses a new user namespace to a chrooted process
# (EPERM), and the VM harness runs every command chrooted into the host's filesystem.
# A child leaves the chroot first (as root, which may), drops to USER, unshares, then goes
# back into the very same root directory (CAP_SYS_CHROOT of the new user namespace) and
# working directory before running CMD. Outside a chroot the first step changes nothing.
import ctypes
import os
import pwd
import sys
import tempfile

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


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


def run_child(user, flags, root, cwd, cmd, to_parent, from_parent):
    """Leaves the chroot, becomes USER in new namespaces, waits for the parent to
    write its id maps, goes back into ROOT and CWD and runs CMD."""
    libc = ctypes.CDLL(None, use_errno=True)
    leave_chroot(root)
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)
    if libc.unshare(flags) != 0:
        die(f"unshare: {os.strerror(ctypes.get_errno())}")
    os.write(to_parent, b"u")
    if os.read(from_parent, 1) != b"m":
        die("the parent could not write the id maps")
    os.fchdir(root)
    os.chroot(".")
    os.close(root)
    os.chdir(cwd)
    os.execvp(cmd[0], cmd)


def main():
    args = sys.argv[1:]
    flags = CLONE_NEWUSER
    cwd = os.getcwd()
    while args[:1] in (["--net"], ["--cwd"]):
        if args[0] == "--net":
            flags |= CLONE_NEWNET
            args = args[1:]
        elif len(args) >= 2:
            cwd = os.path.abspath(args[1])
            args = args[2:]
        else:
            break
    if len(args) < 2:
        die("usage: userns-run.py [--net] [--cwd DIR] USER CMD [ARGS...]")
    try:
        user = pwd.getpwnam(args[0])
    except KeyError:
        die(f"no such user: {args[0]}")
    cmd = args[1:]

    root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
    child_r, parent_w = os.pipe()
    parent_r, child_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            run_child(user, flags, root, cwd, cmd, child_w, child_r)
        except OSError as e:
            print(f"userns-run: {e}", file=sys.stderr)
        finally:
            os._exit(125)

    # Root inside is USER outside, as unshare -r maps it. The parent writes the maps,
    # as newuidmap does: the child, no longer root, is not dumpable, so its own
    # /proc/self files belong to root.
    if os.read(parent_r, 1) != b"u":
        _, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status) or 125)
    write(f"/proc/{pid}/uid_map", f"0 {user.pw_uid} 1\n")
    write(f"/proc/{pid}/setgroups", "deny\n")
    write(f"/proc/{pid}/gid_map", f"0 {user.pw_gid} 1\n")
    os.write(parent_w, b"m")
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
