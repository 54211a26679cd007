//! The client: one AF_NETLINK/NETLINK_GENERIC socket (neli's synchronous `NlSocket`,
//! no router thread) bound to the family. Requests are built with neli's builders;
//! replies are checked (seq, port id, type) and decoded by gnl-proto's `wire` and
//! `ack`, because neli 0.7 trusts the lengths it reads and knows neither
//! NLM_F_CAPPED nor NLMSGERR_ATTR_MISS_TYPE/NEST.

use std::io::{self, Cursor};
use std::ops::Range;

use neli::consts::genl::{Cmd, CtrlAttr, CtrlCmd, NlAttrType};
use neli::consts::nl::{GenlId, NlmF};
use neli::consts::socket::{Msg, NlFamily};
use neli::genl::{AttrTypeBuilder, GenlmsghdrBuilder, Nlattr, NlattrBuilder, NoUserHeader};
use neli::nl::{NlPayload, NlmsghdrBuilder};
use neli::socket::NlSocket;
use neli::types::{Buffer, GenlBuffer};
use neli::utils::Groups;
use neli::{Size, ToBytes};

use gnl_proto::ack::{self, KernelError};
use gnl_proto::config::{self, Config};
use gnl_proto::ctrl::{self, FamilyInfo};
use gnl_proto::family::{Attr, Command, FAMILY_NAME, FAMILY_VERSION, MSG_MAX_LEN};
use gnl_proto::netlink::{
    align4, CTRL_CMD_NEWFAMILY, GENL_HDRLEN, NLA_HDRLEN, NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN,
    NLM_F_DUMP_INTR, NLM_F_MULTI,
};
use gnl_proto::wire::{self, NlHeader};

use crate::error::Error;
use crate::rx::RxBuf;

/// The receive buffer a connection starts with: room for the family's largest
/// message (a dump entry carrying `MSG_MAX_LEN` bytes). It matters beyond the replies
/// it holds: the kernel sizes each dump batch to the largest buffer the socket has
/// received into (`max_recvmsg_len` in af_netlink.c), or to NLMSG_GOODSIZE (about a
/// page) when that is smaller, and the first batch of a dump is built before the
/// dump's first receive. Offering at least this on every receive keeps every batch
/// large enough for one message, with no 32 KiB to clear for a connection that
/// never dumps.
const RX_MIN: usize =
    NLMSG_HDRLEN + GENL_HDRLEN + align4(NLA_HDRLEN + 4) + align4(NLA_HDRLEN + MSG_MAX_LEN + 1);

/// The receive buffer of a connection once it dumps: the kernel never makes a batch
/// larger (`max_recvmsg_len` is capped at 32 KiB less the skb overhead), so one
/// receive takes a whole batch.
const RX_DUMP: usize = 32 * 1024;

/// Room an `NLMSG_ERROR` needs besides the request it echoes: its own header,
/// `error`, and the extended ACK attributes.
const ERROR_OVERHEAD: usize = 4096;

/// `genlmsghdr.version` of the family query. The controller never reads it (no
/// genl family's version is checked by the core); 1, as libnl and the C client send.
const CTRL_VERSION: u8 = 1;

/// A `GNL_FOOBAR_XMPL_CMD_CONFIG_NTF`: the config of the namespace after a set,
/// and who made that set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigNotification {
    /// The config the set left.
    pub config: Config,
    /// `nlmsg_pid`: the port id of the socket that sent the set.
    pub portid: u32,
    /// `nlmsg_seq`: the sequence number of that set request.
    pub seq: u32,
}

/// One message of a dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DumpEntry {
    /// `GNL_FOOBAR_XMPL_A_DUMP_INDEX`: 0, 1, ... in the order the kernel sent them.
    pub index: u32,
    /// `GNL_FOOBAR_XMPL_A_MSG`.
    pub msg: String,
}

/// An attribute as raw bytes, for requests the typed API will not build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawAttr {
    /// `nla_type` (`Attr::UnrecognizedConst(n)` for types the family does not know).
    pub attr: Attr,
    /// The payload exactly as it goes on the wire (no NUL is added).
    pub payload: Vec<u8>,
}

impl RawAttr {
    /// A NUL-terminated string, as the family expects `MSG`.
    pub fn string(attr: Attr, s: &str) -> RawAttr {
        let mut payload = Vec::with_capacity(s.len() + 1);
        payload.extend_from_slice(s.as_bytes());
        payload.push(0);
        RawAttr { attr, payload }
    }

    /// A u32 in host byte order.
    pub fn u32(attr: Attr, v: u32) -> RawAttr {
        RawAttr {
            attr,
            payload: v.to_ne_bytes().to_vec(),
        }
    }

    /// Any bytes: wrong widths, missing terminators, ...
    pub fn bytes(attr: Attr, payload: impl Into<Vec<u8>>) -> RawAttr {
        RawAttr {
            attr,
            payload: payload.into(),
        }
    }
}

/// A request with an arbitrary command, attributes and flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    /// `genlmsghdr.cmd`.
    pub cmd: Command,
    /// `genlmsghdr.version`.
    pub version: u8,
    /// Flags besides `NLM_F_REQUEST`, which is always set.
    pub flags: NlmF,
    /// Attributes, in this order.
    pub attrs: Vec<RawAttr>,
}

impl RawRequest {
    /// A request for `cmd` with the family's version, no flags and no attributes.
    pub fn new(cmd: Command) -> RawRequest {
        RawRequest {
            cmd,
            version: FAMILY_VERSION,
            flags: NlmF::empty(),
            attrs: Vec::new(),
        }
    }

    /// Adds `flags`.
    pub fn flags(mut self, flags: NlmF) -> RawRequest {
        self.flags |= flags;
        self
    }

    /// Appends an attribute.
    pub fn attr(mut self, attr: RawAttr) -> RawRequest {
        self.attrs.push(attr);
        self
    }
}

/// What a received message carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawBody {
    /// A message of the family.
    Genl {
        /// `genlmsghdr.cmd`.
        cmd: Command,
        /// `genlmsghdr.version`.
        version: u8,
        /// The attributes, in order.
        attrs: Vec<RawAttr>,
    },
    /// An `NLMSG_ERROR` with a non-zero error.
    Error(KernelError),
    /// An `NLMSG_ERROR` with error 0: an ACK (it may carry a warning message).
    Ack(KernelError),
    /// `NLMSG_DONE`, with the dump's status.
    Done(KernelError),
    /// Any other type: the payload as is.
    Other(Vec<u8>),
}

/// A received message: its header as the kernel sent it, and its decoded payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawMessage {
    /// The `nlmsghdr`.
    pub header: NlHeader,
    /// The payload.
    pub body: RawBody,
}

/// A socket talking to the gnl_foobar_xmpl family.
///
/// Requests and replies alternate on the socket: the methods take `&mut self`. Use
/// one client per thread, or share one behind a `Mutex`.
pub struct FoobarClient {
    sock: NlSocket,
    portid: u32,
    family_id: u16,
    family_version: u32,
    next_seq: u32,
    /// Send buffer, kept from one request to the next: no allocation per request.
    tx: Vec<u8>,
    /// Receive buffer: one datagram at a time.
    rx: RxBuf,
    /// Sequence numbers of dumps whose iterator was dropped before `NLMSG_DONE`:
    /// their remaining messages are still on their way and get skipped.
    abandoned_dumps: Vec<u32>,
}

fn io_err(op: &'static str) -> impl FnOnce(io::Error) -> Error {
    move |source| Error::Io { op, source }
}

fn encode_err(e: impl std::fmt::Display) -> Error {
    Error::Encode(e.to_string())
}

/// Builds one attribute with neli; refuses payloads too long for the u16 `nla_len`.
fn nlattr<A, P>(attr: A, payload: P) -> Result<Nlattr<A, Buffer>, Error>
where
    A: NlAttrType,
    P: Size + ToBytes,
{
    let len = payload.unpadded_size();
    if len > usize::from(u16::MAX) - NLA_HDRLEN {
        return Err(Error::InvalidInput(format!(
            "a {len}-byte attribute payload does not fit in nla_len (u16)"
        )));
    }
    NlattrBuilder::default()
        .nla_type(
            AttrTypeBuilder::default()
                .nla_type(attr)
                .build()
                .map_err(encode_err)?,
        )
        .nla_payload(payload)
        .build()
        .map_err(encode_err)
}

/// `MSG` as the kernel expects it: the string and its NUL (neli appends it for &str).
fn msg_attr(msg: &str) -> Result<Nlattr<u16, Buffer>, Error> {
    string_attr(Attr::Msg, msg)
}

/// A NUL-terminated string attribute (neli appends the NUL for &str).
fn string_attr(attr: Attr, s: &str) -> Result<Nlattr<u16, Buffer>, Error> {
    if s.contains('\0') {
        return Err(Error::InvalidInput(
            "the message contains a NUL byte, which would cut the C string short".into(),
        ));
    }
    nlattr(attr.value(), s)
}

impl FoobarClient {
    /// Opens a generic netlink socket with extended ACKs on and resolves the family.
    ///
    /// Fails with [`Error::FamilyNotFound`] when the module is not loaded.
    pub fn connect() -> Result<FoobarClient, Error> {
        let sock = NlSocket::new(NlFamily::Generic)
            .map_err(io_err("socket(AF_NETLINK, NETLINK_GENERIC)"))?;
        // Port id 0: the kernel picks a free one, which getsockname() reports.
        sock.bind(None, Groups::empty()).map_err(io_err("bind"))?;
        // Without NETLINK_EXT_ACK the kernel drops the error messages and offsets.
        sock.enable_ext_ack(true)
            .map_err(io_err("setsockopt(NETLINK_EXT_ACK)"))?;
        let mut client = FoobarClient::with_socket(sock, 0)?;
        let (id, version) = client.resolve_family()?;
        client.family_id = id;
        client.family_version = version;
        Ok(client)
    }

    /// Wraps a bound socket; `connect()` then resolves the family id.
    fn with_socket(sock: NlSocket, family_id: u16) -> Result<FoobarClient, Error> {
        let portid = sock.pid().map_err(io_err("getsockname"))?;
        Ok(FoobarClient {
            sock,
            portid,
            family_id,
            family_version: 0,
            next_seq: 1,
            rx: RxBuf::new(RX_MIN),
            // Capacity only, nothing to clear: a request of any size up to the
            // family's largest is serialized without growing it.
            tx: Vec::with_capacity(RX_MIN),
            abandoned_dumps: Vec::new(),
        })
    }

    /// The id the controller assigned to the family (the `nlmsg_type` of its messages).
    pub fn family_id(&self) -> u16 {
        self.family_id
    }

    /// The version the module registered the family with.
    pub fn family_version(&self) -> u32 {
        self.family_version
    }

    /// This socket's netlink port id: the kernel addresses every reply to it.
    pub fn portid(&self) -> u32 {
        self.portid
    }

    /// Sends `MSG` and returns the string the kernel echoed: one send, one receive.
    pub fn echo(&mut self, msg: &str) -> Result<String, Error> {
        let attrs = std::iter::once(msg_attr(msg)?).collect();
        let seq = self.send_request(Command::EchoMsg, NlmF::empty(), attrs)?;
        self.echo_reply(seq)
    }

    /// Sends one echo request per message, all in one datagram, and returns the
    /// strings echoed, in order. The kernel runs the requests of a datagram one
    /// after the other and answers each in a datagram of its own: one send, then
    /// one receive per message.
    pub fn echo_batch(&mut self, msgs: &[&str]) -> Result<Vec<String>, Error> {
        let mut bytes = Vec::new();
        let mut first_seq = None;
        for msg in msgs {
            let attrs = std::iter::once(msg_attr(msg)?).collect();
            let (family_id, cmd) = (self.family_id, Command::EchoMsg.value());
            let seq = self.encode_genl(
                &mut bytes,
                family_id,
                NlmF::empty(),
                cmd,
                FAMILY_VERSION,
                attrs,
            )?;
            first_seq.get_or_insert(seq);
        }
        let Some(first_seq) = first_seq else {
            return Ok(Vec::new());
        };
        self.send_bytes(&bytes)?;
        let mut seq = first_seq;
        let mut echoed = Vec::with_capacity(msgs.len());
        for _ in msgs {
            echoed.push(self.echo_reply(seq)?);
            seq = seq.wrapping_add(1);
        }
        Ok(echoed)
    }

    /// Reads the reply to echo request `seq` and returns its `MSG`.
    fn echo_reply(&mut self, seq: u32) -> Result<String, Error> {
        let (hdr, range) = self.next_reply(seq)?;
        let attrs = self.genl_reply(hdr, range, Command::EchoMsg)?;
        for attr in wire::attrs(attrs) {
            let (ty, payload) = attr?;
            if Attr::from(ty) == Attr::Msg {
                return Ok(wire::parse_string(payload)?);
            }
        }
        Err(Error::Unexpected(
            "echo reply without GNL_FOOBAR_XMPL_A_MSG".into(),
        ))
    }

    /// Requests a dump and collects it. `None` leaves the choice to the kernel: the
    /// count or text of the config of the socket's network namespace (see
    /// [`config_get`](Self::config_get)), `DUMP_DEFAULT_COUNT` messages of
    /// `DUMP_DEFAULT_MSG` until someone sets it.
    pub fn dump(&mut self, count: Option<u32>, msg: Option<&str>) -> Result<Vec<DumpEntry>, Error> {
        self.dump_iter(count, msg)?.collect()
    }

    /// Requests a dump and returns an iterator that receives it batch by batch,
    /// so a dump of any size takes one receive buffer of memory.
    pub fn dump_iter(
        &mut self,
        count: Option<u32>,
        msg: Option<&str>,
    ) -> Result<DumpIter<'_>, Error> {
        // The kernel runs one dump per socket at a time and would refuse this one
        // with EBUSY while an abandoned dump still runs.
        self.drain_abandoned_dumps()?;
        let mut attrs = GenlBuffer::new();
        if let Some(count) = count {
            attrs.push(nlattr(Attr::DumpCount.value(), count)?);
        }
        if let Some(msg) = msg {
            attrs.push(msg_attr(msg)?);
        }
        let seq = self.send_request(Command::EchoMsg, NlmF::DUMP, attrs)?;
        Ok(DumpIter {
            client: self,
            seq,
            expected: count,
            received: 0,
            ended_on_wire: false,
            fused: false,
        })
    }

    /// Sends `GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR` and returns the error the
    /// kernel answered with. It is an `Err` if the kernel did not fail.
    pub fn reply_with_error(&mut self, msg: Option<&str>) -> Result<KernelError, Error> {
        let attrs = msg.map(msg_attr).transpose()?.into_iter().collect();
        // NLM_F_ACK costs nothing when the kernel fails (the error is the ACK) and
        // turns a kernel that wrongly succeeds silently into an answer, not a hang.
        let seq = self.send_request(Command::ReplyWithNlmsgErr, NlmF::ACK, attrs)?;
        let (hdr, range) = self.next_reply(seq)?;
        match hdr.nl_type {
            NLMSG_ERROR => {
                let err = ack::decode_error(hdr.flags, &self.rx[range])?;
                if err.errno == 0 {
                    return Err(Error::Unexpected(
                        "the kernel acknowledged GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR \
                         instead of failing it"
                            .into(),
                    ));
                }
                Ok(err)
            }
            t if t == self.family_id => Err(Error::Unexpected(
                "the kernel answered GNL_FOOBAR_XMPL_CMD_REPLY_WITH_NLMSG_ERR with a message \
                 instead of an error"
                    .into(),
            )),
            t => Err(Error::Unexpected(format!("message of type {t}"))),
        }
    }

    /// Sends any request to the family and returns its sequence number; read the
    /// answer with [`recv_raw`](Self::recv_raw).
    pub fn send_raw(&mut self, req: &RawRequest) -> Result<u32, Error> {
        let attrs = req
            .attrs
            .iter()
            .map(|a| nlattr(a.attr.value(), Buffer::from(a.payload.as_slice())))
            .collect::<Result<GenlBuffer<_, _>, _>>()?;
        let family_id = self.family_id;
        self.send_genl(family_id, req.flags, req.cmd.value(), req.version, attrs)
    }

    /// Receives the next message as it is, without checking its seq or port id.
    pub fn recv_raw(&mut self) -> Result<RawMessage, Error> {
        let (header, range) = self.next_message()?;
        let body = self.decode_raw(header, range)?;
        Ok(RawMessage { header, body })
    }

    /// Sends any request and collects its answer, checking every message's seq and
    /// port id: up to `NLMSG_DONE` for a dump, up to the ACK with `NLM_F_ACK`, else
    /// the one reply. An error from the kernel is returned as [`Error::Kernel`].
    pub fn request(&mut self, req: &RawRequest) -> Result<Vec<RawMessage>, Error> {
        let seq = self.send_raw(req)?;
        let dump = req.flags.contains(NlmF::DUMP);
        let ack = req.flags.contains(NlmF::ACK);
        let mut out = Vec::new();
        loop {
            let (header, range) = self.next_reply(seq)?;
            let body = self.decode_raw(header, range)?;
            let last = match &body {
                RawBody::Error(err) => return Err(Error::Kernel(err.clone())),
                RawBody::Done(st) if st.errno != 0 => return Err(Error::Kernel(st.clone())),
                RawBody::Done(_) => dump,
                RawBody::Ack(_) => true,
                RawBody::Genl { .. } | RawBody::Other(_) => !dump && !ack,
            };
            out.push(RawMessage { header, body });
            if last {
                return Ok(out);
            }
        }
    }

    fn decode_raw(&self, hdr: NlHeader, range: Range<usize>) -> Result<RawBody, Error> {
        let payload = &self.rx[range];
        Ok(match hdr.nl_type {
            NLMSG_ERROR => {
                let err = ack::decode_error(hdr.flags, payload)?;
                if err.errno == 0 {
                    RawBody::Ack(err)
                } else {
                    RawBody::Error(err)
                }
            }
            NLMSG_DONE => RawBody::Done(ack::decode_done(hdr.flags, payload)?),
            t if t == self.family_id => {
                let genl = wire::parse_genl(payload)?;
                let attrs = wire::attrs(genl.attrs)
                    .map(|a| {
                        a.map(|(ty, p)| RawAttr {
                            attr: Attr::from(ty),
                            payload: p.to_vec(),
                        })
                    })
                    .collect::<Result<_, _>>()?;
                RawBody::Genl {
                    cmd: Command::from(genl.cmd),
                    version: genl.version,
                    attrs,
                }
            }
            _ => RawBody::Other(payload.to_vec()),
        })
    }

    /// Asks the genl controller for the family's id and version.
    fn resolve_family(&mut self) -> Result<(u16, u32), Error> {
        let info = self.family_info(FAMILY_NAME)?;
        Ok((info.id, info.version))
    }

    /// Asks the genl controller (`CTRL_CMD_GETFAMILY`) what it knows about family
    /// `name`: its id, version and multicast groups with their ids. Fails with
    /// [`Error::FamilyNotFound`] when `name` is this family and it is not registered.
    pub fn family_info(&mut self, name: &str) -> Result<FamilyInfo, Error> {
        let ctrl = u16::from(GenlId::Ctrl);
        let attrs = std::iter::once(nlattr(CtrlAttr::FamilyName, name)?).collect();
        let seq = self.send_genl(ctrl, NlmF::empty(), CtrlCmd::Getfamily, CTRL_VERSION, attrs)?;
        let (hdr, range) = self.next_reply(seq)?;
        let payload = &self.rx[range];
        match hdr.nl_type {
            NLMSG_ERROR => {
                let err = ack::decode_error(hdr.flags, payload)?;
                return Err(match err.errno {
                    libc::ENOENT if name == FAMILY_NAME => Error::FamilyNotFound,
                    0 => Error::Unexpected("an ACK in place of the family".into()),
                    _ => Error::Kernel(err),
                });
            }
            t if t == ctrl => {}
            t => {
                return Err(Error::Unexpected(format!(
                    "message of type {t} from nlctrl"
                )))
            }
        }
        let genl = wire::parse_genl(payload)?;
        if genl.cmd != CTRL_CMD_NEWFAMILY {
            return Err(Error::Unexpected(format!(
                "nlctrl answered CTRL_CMD_GETFAMILY with command {}",
                genl.cmd
            )));
        }
        Ok(ctrl::parse_family(genl.attrs)?)
    }

    /// Reads the config of the socket's network namespace (`CONFIG_GET`): one
    /// request, one reply carrying both values.
    pub fn config_get(&mut self) -> Result<Config, Error> {
        let seq = self.send_request(Command::ConfigGet, NlmF::empty(), GenlBuffer::new())?;
        let (hdr, range) = self.next_reply(seq)?;
        let attrs = self.genl_reply(hdr, range, Command::ConfigGet)?;
        Ok(config::parse_config(attrs)?)
    }

    /// Changes one or both values of the namespace's config (`CONFIG_SET`, which
    /// needs CAP_NET_ADMIN over the namespace) and returns the config the kernel
    /// announced for it. `None` keeps a value as it is; both `None` is refused
    /// here, as the kernel would refuse it.
    ///
    /// The set has no reply of its own, only its ACK. It goes with `NLM_F_ECHO`:
    /// the kernel then sends the sender the notification it multicasts to the
    /// config group (carrying this request's seq and port id) before the ACK, so
    /// the sender learns the resulting config without a second request and without
    /// a race against another set.
    pub fn config_set(
        &mut self,
        count: Option<u32>,
        msg: Option<&str>,
    ) -> Result<ConfigNotification, Error> {
        if count.is_none() && msg.is_none() {
            return Err(Error::InvalidInput(
                "a config set needs a dump-count, a dump-msg or both".into(),
            ));
        }
        let mut attrs = GenlBuffer::new();
        if let Some(count) = count {
            attrs.push(nlattr(Attr::ConfigDumpCount.value(), count)?);
        }
        if let Some(msg) = msg {
            attrs.push(string_attr(Attr::ConfigDumpMsg, msg)?);
        }
        let seq = self.send_request(Command::ConfigSet, NlmF::ACK | NlmF::ECHO, attrs)?;
        // next_reply() holds both messages to this request's seq and our port id.
        let (hdr, range) = self.next_reply(seq)?;
        if hdr.nl_type == NLMSG_ERROR {
            let err = ack::decode_error(hdr.flags, &self.rx[range])?;
            return Err(if err.errno == 0 {
                Error::Unexpected(
                    "the ACK came without the echoed GNL_FOOBAR_XMPL_CMD_CONFIG_NTF".into(),
                )
            } else {
                Error::Kernel(err)
            });
        }
        let attrs = self.genl_reply(hdr, range, Command::ConfigNtf)?;
        let echoed = ConfigNotification {
            config: config::parse_config(attrs)?,
            portid: hdr.portid,
            seq: hdr.seq,
        };
        let (hdr, range) = self.next_reply(seq)?;
        match hdr.nl_type {
            NLMSG_ERROR => match ack::decode_error(hdr.flags, &self.rx[range])? {
                ack if ack.errno == 0 => Ok(echoed),
                err => Err(Error::Kernel(err)),
            },
            t => Err(Error::Unexpected(format!(
                "message of type {t} after the echoed notification, in place of the ACK"
            ))),
        }
    }

    fn send_request(
        &mut self,
        cmd: Command,
        flags: NlmF,
        attrs: GenlBuffer<u16, Buffer>,
    ) -> Result<u32, Error> {
        let family_id = self.family_id;
        self.send_genl(family_id, flags, cmd.value(), FAMILY_VERSION, attrs)
    }

    /// Serializes `nlmsghdr` + `genlmsghdr` + attributes with neli and sends them
    /// to the kernel (port id 0) in one datagram. Returns the sequence number.
    fn send_genl<C, A>(
        &mut self,
        nl_type: u16,
        flags: NlmF,
        cmd: C,
        version: u8,
        attrs: GenlBuffer<A, Buffer>,
    ) -> Result<u32, Error>
    where
        C: Cmd,
        A: NlAttrType,
    {
        let mut bytes = std::mem::take(&mut self.tx);
        bytes.clear();
        let sent = self
            .encode_genl(&mut bytes, nl_type, flags, cmd, version, attrs)
            .and_then(|seq| self.send_bytes(&bytes).map(|()| seq));
        self.tx = bytes;
        sent
    }

    /// Appends one request, serialized by neli, to `bytes`, with the next
    /// sequence number, which it returns.
    fn encode_genl<C, A>(
        &mut self,
        bytes: &mut Vec<u8>,
        nl_type: u16,
        flags: NlmF,
        cmd: C,
        version: u8,
        attrs: GenlBuffer<A, Buffer>,
    ) -> Result<u32, Error>
    where
        C: Cmd,
        A: NlAttrType,
    {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        let genl = GenlmsghdrBuilder::<C, A, NoUserHeader>::default()
            .cmd(cmd)
            .version(version)
            .attrs(attrs)
            .build()
            .map_err(encode_err)?;
        let msg = NlmsghdrBuilder::default()
            .nl_type(nl_type)
            .nl_flags(NlmF::REQUEST | flags)
            .nl_seq(seq)
            .nl_pid(self.portid)
            .nl_payload(NlPayload::Payload(genl))
            .build()
            .map_err(encode_err)?;
        // neli writes through a Cursor, padding the message to NLMSG_ALIGNTO: the
        // next request of a batch starts where this one ends.
        // `bytes` keeps its capacity from one request to the next: no reserve().
        let start = bytes.len();
        let mut cursor = Cursor::new(std::mem::take(bytes));
        cursor.set_position(start as u64);
        msg.to_bytes(&mut cursor).map_err(encode_err)?;
        *bytes = cursor.into_inner();

        // An NLMSG_ERROR echoes the whole request: make sure it fits. A dump's
        // batches fill whatever the receive offers, up to RX_DUMP.
        let mut need = bytes.len() - start + NLMSG_HDRLEN + ERROR_OVERHEAD;
        if flags.contains(NlmF::DUMP) {
            need = need.max(RX_DUMP);
        }
        self.rx.reserve(need);
        Ok(seq)
    }

    /// Sends one datagram (one request, or a batch of them) to the kernel.
    fn send_bytes(&self, bytes: &[u8]) -> Result<(), Error> {
        loop {
            match self.sock.send(bytes, Msg::empty()) {
                Ok(n) if n == bytes.len() => return Ok(()),
                Ok(n) => {
                    return Err(Error::Io {
                        op: "send",
                        source: io::Error::other(format!("sent {n} of {} bytes", bytes.len())),
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_err("send")(e)),
            }
        }
    }

    /// Receives one datagram into `rx`. Unlike the C clients, it cannot check
    /// that the sender is the kernel (nl_pid 0): neli 0.7's `recv` reads the
    /// source address but returns only its groups.
    fn fill(&mut self) -> Result<(), Error> {
        let n = loop {
            // MSG_TRUNC: return the datagram's real size, so truncation is detected.
            match self.sock.recv(self.rx.space(), Msg::TRUNC) {
                Ok((n, _)) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_err("recvfrom")(e)),
            }
        };
        self.rx.received(n)
    }

    /// The next message (header and payload range in `rx`), receiving if needed.
    fn next_message(&mut self) -> Result<(NlHeader, Range<usize>), Error> {
        if self.rx.is_read() {
            self.fill()?;
        }
        self.rx.next_message()
    }

    /// The next message answering request `seq`, after skipping what is left of
    /// abandoned dumps. Any other seq, or another port id, is an error.
    fn next_reply(&mut self, seq: u32) -> Result<(NlHeader, Range<usize>), Error> {
        loop {
            let (hdr, range) = self.next_message()?;
            if let Some(i) = self.abandoned_dumps.iter().position(|&s| s == hdr.seq) {
                if hdr.nl_type == NLMSG_DONE || hdr.nl_type == NLMSG_ERROR {
                    self.abandoned_dumps.swap_remove(i);
                }
                continue;
            }
            if hdr.portid != self.portid {
                return Err(Error::Unexpected(format!(
                    "message for port id {} on the socket with port id {}",
                    hdr.portid, self.portid
                )));
            }
            if hdr.seq != seq {
                return Err(Error::Unexpected(format!(
                    "reply with seq {} to the request with seq {seq}",
                    hdr.seq
                )));
            }
            return Ok((hdr, range));
        }
    }

    /// Reads and discards the rest of abandoned dumps, up to their `NLMSG_DONE`.
    fn drain_abandoned_dumps(&mut self) -> Result<(), Error> {
        while !self.abandoned_dumps.is_empty() {
            let (hdr, _) = self.next_message()?;
            let Some(i) = self.abandoned_dumps.iter().position(|&s| s == hdr.seq) else {
                return Err(Error::Unexpected(format!(
                    "message with seq {} while skipping an abandoned dump",
                    hdr.seq
                )));
            };
            if hdr.nl_type == NLMSG_DONE || hdr.nl_type == NLMSG_ERROR {
                self.abandoned_dumps.swap_remove(i);
            }
        }
        Ok(())
    }

    /// Checks that a reply is the family's message for `cmd`; returns its attributes.
    fn genl_reply(&self, hdr: NlHeader, range: Range<usize>, cmd: Command) -> Result<&[u8], Error> {
        let payload = &self.rx[range];
        match hdr.nl_type {
            NLMSG_ERROR => {
                let err = ack::decode_error(hdr.flags, payload)?;
                return Err(if err.errno == 0 {
                    Error::Unexpected("an ACK in place of the reply".into())
                } else {
                    Error::Kernel(err)
                });
            }
            t if t == self.family_id => {}
            t => return Err(Error::Unexpected(format!("message of type {t}"))),
        }
        let genl = wire::parse_genl(payload)?;
        if Command::from(genl.cmd) != cmd {
            return Err(Error::Unexpected(format!(
                "reply with command {} to command {}",
                genl.cmd,
                u8::from(cmd)
            )));
        }
        Ok(genl.attrs)
    }
}

/// A dump being received; see [`FoobarClient::dump_iter`]. It ends after
/// `NLMSG_DONE` or the first error. Every message is checked: its index must be
/// the next one (0, 1, 2, ...), and the dump must end after exactly the count
/// asked for. Without a count the kernel takes its namespace's config at the
/// dump's start, which a set may change at any moment: any total is accepted then.
///
/// Dropping it early is fine: the next request on the same client skips what is
/// left of the dump, which the kernel keeps sending batch by batch as we read. A
/// new dump first reads the old one to its end, since the kernel runs only one
/// dump per socket; to stop a huge dump cheaply, drop the client instead: closing
/// the socket ends the dump in the kernel.
pub struct DumpIter<'a> {
    client: &'a mut FoobarClient,
    seq: u32,
    /// Messages the dump must have: the count asked for, if one was.
    expected: Option<u32>,
    /// Messages received so far, which is also the index the next one must carry.
    received: u32,
    /// `NLMSG_DONE` or `NLMSG_ERROR` for this dump was received.
    ended_on_wire: bool,
    /// `next()` returns `None` from now on.
    fused: bool,
}

impl DumpIter<'_> {
    /// The sequence number of the dump request.
    pub fn seq(&self) -> u32 {
        self.seq
    }

    fn step(&mut self) -> Result<Option<DumpEntry>, Error> {
        let (hdr, range) = self.client.next_reply(self.seq)?;
        let payload = &self.client.rx[range];
        match hdr.nl_type {
            NLMSG_DONE => {
                self.ended_on_wire = true;
                let status = ack::decode_done(hdr.flags, payload)?;
                if status.errno != 0 {
                    return Err(Error::Kernel(status));
                }
                if let Some(expected) = self.expected.filter(|&n| n != self.received) {
                    return Err(Error::Unexpected(format!(
                        "the dump ended after {} messages, expected {expected}",
                        self.received
                    )));
                }
                Ok(None)
            }
            NLMSG_ERROR => {
                self.ended_on_wire = true;
                let err = ack::decode_error(hdr.flags, payload)?;
                if err.errno == 0 {
                    return Err(Error::Unexpected("an ACK in place of the dump".into()));
                }
                Err(Error::Kernel(err))
            }
            t if t == self.client.family_id => {
                if hdr.flags & NLM_F_DUMP_INTR != 0 {
                    return Err(Error::Unexpected(
                        "dump interrupted (NLM_F_DUMP_INTR): retry it".into(),
                    ));
                }
                if hdr.flags & NLM_F_MULTI == 0 {
                    return Err(Error::Unexpected("dump message without NLM_F_MULTI".into()));
                }
                let genl = wire::parse_genl(payload)?;
                if Command::from(genl.cmd) != Command::EchoMsg {
                    return Err(Error::Unexpected(format!(
                        "dump message with command {}",
                        genl.cmd
                    )));
                }
                let (mut index, mut msg) = (None, None);
                for attr in wire::attrs(genl.attrs) {
                    let (ty, p) = attr?;
                    match Attr::from(ty) {
                        Attr::DumpIndex => index = Some(wire::parse_u32(p)?),
                        Attr::Msg => msg = Some(wire::parse_string(p)?),
                        _ => {}
                    }
                }
                let (Some(index), Some(msg)) = (index, msg) else {
                    return Err(Error::Unexpected(
                        "dump message without GNL_FOOBAR_XMPL_A_DUMP_INDEX or \
                         GNL_FOOBAR_XMPL_A_MSG"
                            .into(),
                    ));
                };
                // A gap or a repeat means a message was lost or sent twice.
                if index != self.received {
                    return Err(Error::Unexpected(format!(
                        "dump message {index} arrived where {} was expected",
                        self.received
                    )));
                }
                self.received = index.saturating_add(1);
                Ok(Some(DumpEntry { index, msg }))
            }
            t => Err(Error::Unexpected(format!("message of type {t} in a dump"))),
        }
    }
}

impl Iterator for DumpIter<'_> {
    type Item = Result<DumpEntry, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.fused {
            return None;
        }
        match self.step() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Ok(None) => {
                self.fused = true;
                None
            }
            Err(e) => {
                self.fused = true;
                Some(Err(e))
            }
        }
    }
}

impl Drop for DumpIter<'_> {
    fn drop(&mut self) {
        if !self.ended_on_wire {
            self.client.abandoned_dumps.push(self.seq);
        }
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
pub(crate) mod tests;
