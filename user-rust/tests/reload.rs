//! Unloading and reloading the module (its own test binary: it pulls the family
//! from under every other test). Needs GNL_FOOBAR_XMPL_KO, set by vm/vm run.

mod common;

use std::process::Command;

use common::connect;
use gnl_foobar_xmpl::{ConfigListener, Error, FoobarClient};

fn run(cmd: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("{cmd}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd} {}: {}: {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Reloads the module if the test fails while it is out, so later suites find it.
struct Reinsert<'a> {
    ko: &'a str,
    armed: bool,
}

impl Drop for Reinsert<'_> {
    fn drop(&mut self) {
        if self.armed {
            if let Err(e) = run("insmod", &[self.ko]) {
                eprintln!("reload.rs: could not reload the module: {e}");
            }
        }
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn unload_and_reload() {
    let ko = match std::env::var("GNL_FOOBAR_XMPL_KO") {
        Ok(ko) if !ko.is_empty() => ko,
        _ => panic!("GNL_FOOBAR_XMPL_KO is not set: run through test.sh (vm/vm run sets it)"),
    };
    let mut before = connect();
    assert_eq!(before.echo("before").unwrap(), "before");

    run("rmmod", &["gnl_foobar_xmpl"]).unwrap();
    let mut guard = Reinsert {
        ko: &ko,
        armed: true,
    };

    match FoobarClient::connect() {
        Err(e @ Error::FamilyNotFound) => {
            let text = e.to_string();
            assert!(
                text.contains("sudo insmod kernel-mod/gnl_foobar_xmpl.ko"),
                "{text}"
            );
            assert!(text.contains("sh vm/vm run -- <command>"), "{text}");
        }
        Err(e) => panic!("expected the family to be missing, got: {e}"),
        Ok(_) => panic!("the family is still registered after rmmod"),
    }
    // The old socket still exists, but its family id now leads nowhere.
    let e = before.echo("orphan").unwrap_err();
    assert_eq!(e.errno(), Some(libc::ENOENT), "{e}");

    run("insmod", &[&ko]).unwrap();
    guard.armed = false;

    let mut after = connect();
    assert_eq!(after.echo("after").unwrap(), "after");
    assert_eq!(after.dump(None, None).unwrap().len(), 3);
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn listener_hears_the_family_go_away() {
    let ko = match std::env::var("GNL_FOOBAR_XMPL_KO") {
        Ok(ko) if !ko.is_empty() => ko,
        _ => panic!("GNL_FOOBAR_XMPL_KO is not set: run through test.sh (vm/vm run sets it)"),
    };
    let mut listener = ConfigListener::connect().unwrap();
    run("rmmod", &["gnl_foobar_xmpl"]).unwrap();
    let guard = Reinsert {
        ko: &ko,
        armed: true,
    };
    // nlctrl's CTRL_CMD_DELFAMILY for our family id ends the listener; the
    // CTRL_CMD_DELMCAST_GRP before it is news about the family, not its end.
    match listener.next_event() {
        Err(e @ Error::FamilyGone) => assert_eq!(
            e.to_string(),
            "family gnl_foobar_xmpl went away (CTRL_CMD_DELFAMILY)"
        ),
        other => panic!("expected the family to go away, got {other:?}"),
    }
    drop(guard);
    assert_eq!(connect().echo("after").unwrap(), "after");
}
