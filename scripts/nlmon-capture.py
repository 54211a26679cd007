#!/usr/bin/env python3
"""Captures Generic Netlink traffic from an nlmon device into a pcap file.

Runs inside the guest (scripts/capture-guest.sh starts it). nlmon is a virtual network
device that sees a copy of every netlink message the kernel delivers, in both
directions; an AF_PACKET socket bound to it reads them. The file uses pcap's
LINKTYPE_NETLINK, whose 16-byte "cooked" header (the SLL layout) carries the direction
and the netlink protocol, so tshark decodes it as libpcap's own capture would.

It prints "ready" once the socket is bound (so the caller knows nothing is missed), and
stops by itself after the Nth NLMSG_ERROR that carries an error (not an ACK): the last
answer of the exchanges it was started for. That is its synchronisation, not a timer.
"""
import argparse
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
NETLINK_GENERIC = 16
ARPHRD_NETLINK = 824
LINKTYPE_NETLINK = 253
NLMSG_ERROR = 2
NLMSG_HDR = struct.Struct("=IHHII")


def errors_in(payload):
    """Counts the NLMSG_ERROR messages with a non-zero error in one skb's payload."""
    count, off = 0, 0
    while off + NLMSG_HDR.size <= len(payload):
        length, msg_type, _flags, _seq, _pid = NLMSG_HDR.unpack_from(payload, off)
        if length < NLMSG_HDR.size:
            break
        if msg_type == NLMSG_ERROR and off + 20 <= len(payload):
            (error,) = struct.unpack_from("=i", payload, off + 16)
            count += error != 0
        off += (length + 3) & ~3
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", default="nlmon0")
    parser.add_argument("--out", required=True, help="the pcap file to write")
    parser.add_argument("--errors", type=int, required=True,
                        help="stop after this many NLMSG_ERROR messages carrying an error")
    args = parser.parse_args()

    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((args.dev, ETH_P_ALL))
    errors = 0
    with open(args.out, "wb") as out:
        # pcap global header: magic, version 2.4, no time zone, snap length, link type.
        out.write(struct.pack("=IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, LINKTYPE_NETLINK))
        print("ready", flush=True)
        while errors < args.errors:
            payload, (_ifname, proto, pkttype, _hatype, _addr) = sock.recvfrom(1 << 18)
            if proto != NETLINK_GENERIC:
                continue
            # Cooked header, big-endian: packet type (PACKET_USER: to user space,
            # PACKET_KERNEL: to the kernel), ARPHRD_NETLINK, no address, the protocol.
            frame = struct.pack(">HHH8sH", pkttype, ARPHRD_NETLINK, 0, b"", proto) + payload
            now = time.time()
            out.write(struct.pack("=IIII", int(now), int(now % 1 * 1e6), len(frame), len(frame)))
            out.write(frame)
            errors += errors_in(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
