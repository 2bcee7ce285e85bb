//! Progress bars for long operations on the command line (hidden automatically when
//! standard error is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};

pub fn bar(total: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

pub fn bytes(total: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:>12} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left) {msg}",
        )
        .expect("a valid progress template")
        .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}
