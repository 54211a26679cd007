//! The per-namespace config against the real module, through the library and the
//! config_get, config_set and listen programs: get, set with its echoed notification,
//! the kernel's refusals, and listeners receiving the sets of other connections,
//! also after their queue overflowed.
//!
//! Each test runs in a network namespace of its own (unshare(CLONE_NEWNET) on its
//! thread: a namespace belongs to a thread, and the programs a test starts inherit
//! it): it starts from the header's defaults and its sets reach no other test.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Output, Stdio};

use common::connect;
use gnl_foobar_xmpl::proto::{DUMP_DEFAULT_COUNT, DUMP_DEFAULT_MSG, DUMP_MAX_COUNT, MSG_MAX_LEN};
use gnl_foobar_xmpl::{
    Attr, Command, Config, ConfigListener, Error, ListenEvent, NlmF, RawAttr, RawRequest,
};

const PREFIX: &str = "[User-Rust]: ";

/// Moves the calling thread (the test's) into a new network namespace.
fn own_netns() {
    // SAFETY: no pointers; affects only this thread's namespaces.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        panic!(
            "unshare(CLONE_NEWNET): {} (the guest runs the tests as root)",
            std::io::Error::last_os_error()
        );
    }
}

fn defaults() -> Config {
    Config {
        dump_count: DUMP_DEFAULT_COUNT,
        dump_msg: DUMP_DEFAULT_MSG.into(),
    }
}

fn config(dump_count: u32, dump_msg: &str) -> Config {
    Config {
        dump_count,
        dump_msg: dump_msg.into(),
    }
}

/// Runs one of the package's programs to its end, in this thread's namespace.
fn run(program: &str, args: &[&str]) -> Output {
    Process::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn a_new_namespace_has_the_header_defaults() {
    own_netns();
    assert_eq!(connect().config_get().unwrap(), defaults());
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn set_echoes_its_notification_and_get_reads_it_back() {
    own_netns();
    let mut c = connect();
    let longest = "m".repeat(MSG_MAX_LEN);
    let steps: [(Option<u32>, Option<&str>, Config); 5] = [
        (Some(5), None, config(5, DUMP_DEFAULT_MSG)),
        (None, Some("x"), config(5, "x")),
        (Some(DUMP_MAX_COUNT), Some(""), config(DUMP_MAX_COUNT, "")),
        (Some(1), Some(&longest), config(1, &longest)),
        // A set that changes nothing is still announced.
        (Some(1), None, config(1, &longest)),
    ];
    for (count, msg, want) in steps {
        let set = c.config_set(count, msg).unwrap();
        assert_eq!(set.config, want, "set {count:?} {msg:?}");
        assert_eq!(
            set.portid,
            c.portid(),
            "the echo carries the setter's port id"
        );
        assert_eq!(c.config_get().unwrap(), want);
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn the_dump_takes_its_defaults_from_the_config() {
    own_netns();
    let mut c = connect();
    c.config_set(Some(2), Some("from the config")).unwrap();
    let entries = c.dump(None, None).unwrap();
    assert_eq!(entries.len(), 2);
    assert!(
        entries.iter().all(|e| e.msg == "from the config"),
        "{entries:?}"
    );
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn count_out_of_range_is_refused_with_an_extended_ack() {
    own_netns();
    let mut c = connect();
    for count in [0, DUMP_MAX_COUNT + 1, u32::MAX] {
        let e = c.config_set(Some(count), Some("ignored")).unwrap_err();
        let k = e.kernel().unwrap_or_else(|| panic!("count {count}: {e}"));
        assert_eq!(k.errno, libc::ERANGE, "count {count}: {k}");
        assert!(k.message.as_deref().is_some_and(|m| !m.is_empty()), "{k:?}");
        assert_eq!(
            k.offending_attr_type(),
            Some(Attr::ConfigDumpCount.value()),
            "{k:?}"
        );
    }
    // Refused as a whole: the message that came with the bad count is not kept.
    assert_eq!(c.config_get().unwrap(), defaults());
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn set_without_values_and_get_with_one_are_refused() {
    own_netns();
    let mut c = connect();
    assert!(matches!(
        c.config_set(None, None),
        Err(Error::InvalidInput(_))
    ));
    // What the library refuses to send, the kernel refuses too.
    let nothing = RawRequest::new(Command::ConfigSet).flags(NlmF::ACK);
    let e = c.request(&nothing).unwrap_err();
    let k = e.kernel().unwrap_or_else(|| panic!("{e}"));
    assert_eq!(k.errno, libc::EINVAL, "{k}");
    assert_eq!(
        k.message.as_deref(),
        Some(
            "GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT or GNL_FOOBAR_XMPL_A_CONFIG_DUMP_MSG is required"
        )
    );
    let get_with_attr =
        RawRequest::new(Command::ConfigGet).attr(RawAttr::u32(Attr::ConfigDumpCount, 4));
    let e = c.request(&get_with_attr).unwrap_err();
    assert_eq!(e.errno(), Some(libc::EINVAL), "{e}");
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn listener_gets_every_set_of_another_connection_in_order() {
    own_netns();
    let mut listener = ConfigListener::connect().unwrap();
    assert!(listener.group_id() > 0);
    let mut setter = connect();
    let sets: Vec<_> = (1..=20)
        .map(|i| {
            setter
                .config_set(Some(i), Some(&format!("set {i}")))
                .unwrap()
        })
        .collect();
    for set in sets {
        match listener.next_event().unwrap() {
            ListenEvent::Notification(ntf) => {
                assert_eq!(ntf, set, "the listener's copy is the setter's echo")
            }
            other => panic!("expected the notification of {set:?}, got {other:?}"),
        }
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn overflowed_listener_counts_its_losses_and_reads_the_config_again() {
    own_netns();
    let mut listener = ConfigListener::connect().unwrap();
    // The smallest queue the kernel allows: a few notifications.
    listener.set_receive_buffer(0).unwrap();
    let mut setter = connect();
    const SETS: u32 = 200;
    for i in 1..=SETS {
        setter.config_set(Some(i), None).unwrap();
    }
    // Every set was acknowledged, so every notification was queued or dropped.
    let mut received = Vec::new();
    let (lost, now) = loop {
        match listener.next_event().unwrap() {
            ListenEvent::Notification(ntf) => received.push(ntf.config.dump_count),
            ListenEvent::Overflow { lost, config } => break (lost, config),
        }
    };
    let expected: Vec<u32> = (1..=SETS).take(received.len()).collect();
    assert_eq!(received, expected, "the queued ones come first, in order");
    assert!(
        !received.is_empty() && lost > 0,
        "{} received",
        received.len()
    );
    assert_eq!(received.len() as u32 + lost, SETS, "no silent gap");
    assert_eq!(
        now,
        config(SETS, DUMP_DEFAULT_MSG),
        "the config after the gap"
    );
    // Recovered: the next set arrives as usual.
    let set = setter.config_set(Some(7), None).unwrap();
    assert_eq!(
        listener.next_event().unwrap(),
        ListenEvent::Notification(set)
    );
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn config_get_and_config_set_print_the_config() {
    own_netns();
    let get = run(env!("CARGO_BIN_EXE_config_get"), &[]);
    assert!(get.status.success(), "{}", stderr(&get));
    assert_eq!(
        stdout(&get),
        format!("{PREFIX}config: dump-count {DUMP_DEFAULT_COUNT}, dump-msg '{DUMP_DEFAULT_MSG}'\n")
    );
    for (args, line) in [
        (
            &["--count", "5"][..],
            format!("dump-count 5, dump-msg '{DUMP_DEFAULT_MSG}'"),
        ),
        (&["--msg", "x"][..], "dump-count 5, dump-msg 'x'".into()),
        (
            &["--count", "9", "--msg", ""][..],
            "dump-count 9, dump-msg ''".into(),
        ),
    ] {
        let set = run(env!("CARGO_BIN_EXE_config_set"), args);
        assert!(set.status.success(), "{args:?}: {}", stderr(&set));
        assert_eq!(
            stdout(&set),
            format!("{PREFIX}config set: {line}\n"),
            "{args:?}"
        );
    }
    let get = run(env!("CARGO_BIN_EXE_config_get"), &[]);
    assert_eq!(
        stdout(&get),
        format!("{PREFIX}config: dump-count 9, dump-msg ''\n")
    );
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn config_set_fails_in_one_line() {
    own_netns();
    let none = run(env!("CARGO_BIN_EXE_config_set"), &[]);
    assert_eq!(none.status.code(), Some(2), "a usage error");
    assert_eq!(stdout(&none), "");
    assert_eq!(
        stderr(&none),
        format!("{PREFIX}error: nothing to set: give --count, --msg or both (see --help)\n")
    );
    let zero = run(env!("CARGO_BIN_EXE_config_set"), &["--count", "0"]);
    assert_eq!(zero.status.code(), Some(1));
    assert_eq!(stdout(&zero), "");
    let err = stderr(&zero);
    assert!(
        err.starts_with(&format!(
            "{PREFIX}error: config_set failed: kernel replied with error ERANGE (34): "
        )),
        "{err}"
    );
    assert!(err.contains("GNL_FOOBAR_XMPL_A_CONFIG_DUMP_COUNT"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn listen_prints_a_set_made_by_another_connection() {
    own_netns();
    // timeout(1): a listener that never gets its notification fails the test
    // instead of hanging the suite.
    let mut child = Process::new("timeout")
        .args(["600", env!("CARGO_BIN_EXE_listen"), "--count", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("timeout listen");
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    // The first line says the listener has joined: the set below cannot be missed.
    let joined = lines.next().expect("a line").expect("UTF-8");
    let group = ConfigListener::connect().unwrap().group_id();
    assert_eq!(
        joined,
        format!("{PREFIX}listening to group 'config' (id {group})")
    );
    let set = connect()
        .config_set(Some(6), Some("for the listener"))
        .unwrap();
    let rest: Vec<String> = lines.map(|l| l.expect("UTF-8")).collect();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}: {rest:?}");
    assert_eq!(
        rest,
        [
            format!(
                "{PREFIX}notification: dump-count 6, dump-msg 'for the listener' \
                 (set by port {}, seq {})",
                set.portid, set.seq
            ),
            format!("{PREFIX}listen done: 1 received, 0 lost"),
        ]
    );
}
