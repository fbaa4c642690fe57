//! Progress on standard error while a large input is read and the outputs
//! are written (issue 9): a province's year takes long enough that a silent
//! terminal looks hung.
//!
//! One process-wide reporter, set up once by `main` from `--quiet` and `-v`
//! (the library is also used by `serve` and by tests, which set nothing and
//! so stay silent). The bar is indicatif's: shown only when standard error
//! is a terminal and `--quiet` is not given, so a pipe or a log file never
//! gets escape codes. `-v` logs each file as it is read, with its time and
//! size, on its own lines (above the bar when there is one).

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

struct Reporter {
    /// Whether a bar may be drawn at all (a terminal, not `--quiet`).
    bar_allowed: bool,
    verbose: bool,
    bar: Mutex<Option<ProgressBar>>,
}

static REPORTER: OnceLock<Reporter> = OnceLock::new();

/// Sets up progress reporting for this process. `quiet` hides the bar;
/// `verbose` logs every file read (even with `quiet`, and in a pipe).
pub fn init(quiet: bool, verbose: bool) {
    let bar_allowed = !quiet && std::io::stderr().is_terminal();
    let _ = REPORTER.set(Reporter { bar_allowed, verbose, bar: Mutex::new(None) });
}

fn with_bar(f: impl FnOnce(&ProgressBar)) {
    if let Some(r) = REPORTER.get() {
        if let Ok(guard) = r.bar.lock() {
            if let Some(bar) = guard.as_ref() {
                f(bar);
            }
        }
    }
}

fn replace_bar(bar: Option<ProgressBar>) {
    if let Some(r) = REPORTER.get() {
        if let Ok(mut guard) = r.bar.lock() {
            if let Some(old) = guard.take() {
                old.finish_and_clear();
            }
            *guard = bar;
        }
    }
}

fn new_bar(len: u64, template: &str) -> Option<ProgressBar> {
    let r = REPORTER.get()?;
    if !r.bar_allowed {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    // The template is fixed text: a bad one is a bug caught by the tests.
    let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}

/// Reading starts: `files` files of `bytes` bytes in all. The bar counts bytes
/// (a province's files differ a hundredfold in size) and names the files done.
pub fn start_reading(files: usize, bytes: u64) {
    let template = "读取台账 {bar:30} {binary_bytes}/{binary_total_bytes} {msg} 用时 {elapsed}";
    let bar = new_bar(bytes, template);
    if let Some(b) = &bar {
        b.set_message(format!("0/{files} 个文件"));
    }
    replace_bar(bar);
    FILES.get_or_init(|| Mutex::new((0, 0))).lock().map(|mut g| *g = (0, files)).ok();
}

static FILES: OnceLock<Mutex<(usize, usize)>> = OnceLock::new();

/// One file has been read (any thread).
pub fn file_read(name: &str, bytes: u64, took: Duration) {
    let Some(r) = REPORTER.get() else { return };
    let (done, total) = FILES
        .get()
        .and_then(|m| {
            m.lock().ok().map(|mut g| {
                g.0 += 1;
                *g
            })
        })
        .unwrap_or((0, 0));
    if r.verbose {
        let line = format!("已读取 {name}（{}，{:.2} 秒）", HumanBytes(bytes), took.as_secs_f64());
        let mut printed = false;
        with_bar(|b| {
            b.println(&line);
            printed = true;
        });
        if !printed {
            eprintln!("{line}");
        }
    }
    with_bar(|b| {
        b.inc(bytes);
        b.set_message(format!("{done}/{total} 个文件"));
    });
}

/// Reading is over (the bar is cleared, so nothing is left on the line).
pub fn done_reading() {
    replace_bar(None);
}

/// Writing the outputs: `steps` steps, named as they start.
pub fn start_writing(steps: u64) {
    let bar = new_bar(steps, "写出结果 {bar:30} {pos}/{len} {msg} 用时 {elapsed}");
    replace_bar(bar);
}

/// One output step has started or finished.
pub fn step(message: &str, finished: bool) {
    with_bar(|b| {
        b.set_message(message.to_string());
        if finished {
            b.inc(1);
        }
    });
}

/// All outputs are written: the bar is cleared.
pub fn done_writing() {
    replace_bar(None);
}
