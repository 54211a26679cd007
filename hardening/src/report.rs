//! "ok - NAME" / "not ok - NAME" lines with indented evidence, and the closing
//! "SUITE: N passed, N failed" line that tests/guest/run.sh counts.

use std::process::ExitCode;

pub struct Report {
    suite: String,
    passed: u32,
    failed: u32,
}

impl Report {
    pub fn new(suite: &str) -> Self {
        Report {
            suite: suite.to_string(),
            passed: 0,
            failed: 0,
        }
    }

    pub fn pass(&mut self, name: &str) {
        self.passed += 1;
        println!("ok - {name}");
    }

    /// Records a failure; each line of `detail` is printed under it as "#   ...".
    pub fn fail(&mut self, name: &str, detail: &str) {
        self.failed += 1;
        println!("not ok - {name}");
        for line in detail.lines() {
            println!("#   {line}");
        }
    }

    /// Passes or fails `name` on `result`; returns whether it passed.
    pub fn check(&mut self, name: &str, result: Result<(), String>) -> bool {
        match result {
            Ok(()) => {
                self.pass(name);
                true
            }
            Err(why) => {
                self.fail(name, &why);
                false
            }
        }
    }

    /// A line of information that is neither a pass nor a failure.
    pub fn note(&self, text: &str) {
        println!("# {text}");
    }

    pub fn failed(&self) -> u32 {
        self.failed
    }

    /// Prints the closing line; the exit code is non-zero when anything failed.
    pub fn finish(&self) -> ExitCode {
        println!(
            "{}: {} passed, {} failed",
            self.suite, self.passed, self.failed
        );
        if self.failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}
