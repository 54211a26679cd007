//! Many clients at once against the real module: each reply must reach the socket
//! and the request it answers. Payloads are unique, so a mix-up cannot go unseen.

mod common;

use std::sync::{Arc, Mutex};
use std::thread;

use common::connect;

const THREADS: usize = 8;
const ROUNDS: usize = 200;

/// Runs `work(t)` on THREADS threads at once and waits for all; a failed assertion in
/// any thread fails the test.
fn in_threads(work: impl Fn(usize) + Send + Sync + 'static) {
    let work = Arc::new(work);
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let work = Arc::clone(&work);
            thread::spawn(move || work(t))
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn threads_echo_on_their_own_sockets() {
    in_threads(|t| {
        let mut c = connect();
        for r in 0..ROUNDS {
            let msg = format!("thread {t} round {r}");
            assert_eq!(c.echo(&msg).unwrap(), msg);
        }
    });
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn threads_share_one_socket() {
    let shared = Mutex::new(connect());
    in_threads(move |t| {
        for r in 0..ROUNDS {
            let msg = format!("shared {t}/{r}");
            let mut c = shared.lock().unwrap();
            assert_eq!(c.echo(&msg).unwrap(), msg);
        }
    });
}

#[test]
#[ignore = "needs the gnl_foobar_xmpl module: run through test.sh"]
fn threads_dump_and_echo_at_once() {
    in_threads(|t| {
        let mut c = connect();
        let msg = format!("dumper {t}");
        let got = c.dump(Some(2_000), Some(&msg)).unwrap();
        assert_eq!(got.len(), 2_000);
        for (i, e) in got.iter().enumerate() {
            assert_eq!((e.index as usize, e.msg.as_str()), (i, msg.as_str()));
        }
        assert_eq!(c.echo(&msg).unwrap(), msg);
    });
}
