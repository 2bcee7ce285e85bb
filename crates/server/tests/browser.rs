//! The portal in a real browser: runs `tests/browser/smoke.mjs` (playwright-core driving
//! Debian's Chromium) against a server on an ephemeral port. Needs `node`, the script's
//! `node_modules` (`npm ci` in tests/browser) and `/usr/bin/chromium`; when they are missing
//! the test fails if `TRIBUTARY_BROWSER_TESTS=1` (as in CI) and otherwise says it skipped.

mod common;
mod conflict_data;
mod earnings_data;
mod payouts_data;
mod tiers_data;

use std::path::PathBuf;
use std::process::Command;

use tributary_store::Backend;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

#[tokio::test]
async fn portal_smoke_in_headless_chromium() {
    let scripts = repo_root().join("tests/browser");
    let ready = scripts.join("node_modules/playwright-core").exists()
        && PathBuf::from(std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into())).exists()
        && Command::new("node").arg("--version").output().is_ok();
    if !ready {
        assert!(
            std::env::var("TRIBUTARY_BROWSER_TESTS").is_err(),
            "browser tests required but node, tests/browser/node_modules or chromium is missing"
        );
        eprintln!("skipped: install chromium and run `npm ci` in tests/browser to run the browser test");
        return;
    }
    let app = common::TestApp::spawn(Backend::Sqlite).await;
    let shots = std::env::temp_dir().join("tributary-browser-shots");
    let output = tokio::process::Command::new("node")
        .arg(scripts.join("smoke.mjs"))
        .arg(&app.base)
        .arg(&shots)
        .env("TRIBUTARY_TEST_PASSWORD", tributary_server::fixtures::FIXTURE_PASSWORD)
        .output()
        .await
        .expect("node runs");
    assert!(
        output.status.success(),
        "browser smoke test failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `tests/browser/{script}` against `app`, or says why it cannot run (see the module docs).
async fn run_script(app: &common::TestApp, script: &str) {
    let scripts = repo_root().join("tests/browser");
    let shots = std::env::temp_dir().join("tributary-browser-shots");
    let output = tokio::process::Command::new("node")
        .arg(scripts.join(script))
        .arg(&app.base)
        .arg(&shots)
        .env("TRIBUTARY_TEST_PASSWORD", tributary_server::fixtures::FIXTURE_PASSWORD)
        .output()
        .await
        .expect("node runs");
    assert!(
        output.status.success(),
        "browser test {script} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn browser_ready() -> bool {
    let scripts = repo_root().join("tests/browser");
    let ready = scripts.join("node_modules/playwright-core").exists()
        && PathBuf::from(std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into())).exists()
        && Command::new("node").arg("--version").output().is_ok();
    if !ready {
        assert!(
            std::env::var("TRIBUTARY_BROWSER_TESTS").is_err(),
            "browser tests required but node, tests/browser/node_modules or chromium is missing"
        );
        eprintln!("skipped: install chromium and run `npm ci` in tests/browser to run the browser test");
    }
    ready
}

/// The tier pages: a partner's status card, and a channel manager's what-if on a draft.
#[tokio::test]
async fn tier_pages_in_headless_chromium() {
    if !browser_ready() {
        return;
    }
    let app = common::TestApp::spawn(Backend::Sqlite).await;
    tiers_data::seed(&app).await;
    run_script(&app, "tiers.mjs").await;
}

/// Deal registration: partner A registers a customer, partner B a spelling variant of it and
/// sees the duplicate decline; A's channel manager compares the candidates and approves.
#[tokio::test]
async fn conflict_pages_in_headless_chromium() {
    if !browser_ready() {
        return;
    }
    let app = common::TestApp::spawn(Backend::Sqlite).await;
    conflict_data::seed(&app).await;
    run_script(&app, "conflict.mjs").await;
}

/// Incentives: a partner opens Earnings → its statement and reads the explanation of its
/// line (band math, FX, withholding, the transactions behind it); finance closes the
/// quarter again from the portal and watches its progress.
#[tokio::test]
async fn incentive_pages_in_headless_chromium() {
    if !browser_ready() {
        return;
    }
    let app = common::TestApp::spawn(Backend::Sqlite).await;
    earnings_data::seed(&app).await;
    let finance = app.session("finance@vendor.example").await;
    let run = earnings_data::close(&app, &finance, earnings_data::PERIOD).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    run_script(&app, "incentives.mjs").await;
}

/// Claims and payouts: a partner claims with proof, its channel manager approves; finance
/// double-clicks "Create the batch" and gets one batch, marks it paid and reconciles.
#[tokio::test]
async fn payout_pages_in_headless_chromium() {
    if !browser_ready() {
        return;
    }
    let app = common::TestApp::spawn(Backend::Sqlite).await;
    use payouts_data::{Row, statement};
    statement(&app, Row::approved(&app.cast.partner_a, "2026-Q1", "1000.00", "150.00")).await;
    statement(&app, Row::approved(&app.cast.partner_b, "2026-Q1", "200.00", "0.00")).await;
    statement(
        &app,
        Row {
            payable_on: "2099-10-30",
            ..Row::approved(&app.cast.partner_a, "2026-Q2", "300.00", "0.00")
        },
    )
    .await;
    run_script(&app, "payouts.mjs").await;
}
