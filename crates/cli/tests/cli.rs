//! The `tributary` binary end to end on a temporary SQLite database: configuration errors,
//! user creation, CSV import (all-or-nothing with row errors), export, and audit
//! verification before and after tampering.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tributary(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("TRIBUTARY_DATABASE_URL")
        .env_remove("TRIBUTARY_CONFIG")
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tributary-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn invalid_configuration_is_refused_with_a_clear_message() {
    let dir = temp_dir("config");
    let output = tributary(&dir, &["--bind", "nonsense", "migrate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("bind address 'nonsense'"), "{}", text(&output));
    let output = tributary(&dir, &["--database-url", "mysql://u:secret@h/db", "migrate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("u:***@h"),
        "the password must be redacted: {}",
        text(&output)
    );
    assert!(!text(&output).contains("secret"));
}

#[test]
fn imports_are_all_or_nothing_and_the_audit_chain_detects_tampering() {
    let dir = temp_dir("import");
    let created = tributary(
        &dir,
        &[
            "user",
            "create",
            "--email",
            "ops@vendor.example",
            "--name",
            "Ops",
            "--role",
            "admin",
        ],
    );
    assert!(created.status.success(), "{}", text(&created));
    assert!(text(&created).contains("password: "));

    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "sku,name,family,list_price,currency\nFW-1,Firewall,Firewalls,100.00,USD\nFW-2,Firewall 2,Firewalls,100.00,EURO\nFW-3,Firewall 3,Firewalls,10.5,JPY\n",
    )
    .unwrap();
    let rejected = tributary(&dir, &["import", "products", bad.to_str().unwrap()]);
    assert_eq!(rejected.status.code(), Some(1));
    let report = text(&rejected);
    assert!(report.contains("row 3, column \"currency\""), "{report}");
    assert!(report.contains("row 4, column \"list_price\""), "{report}");
    assert!(report.contains("nothing was imported"), "{report}");
    let exported = tributary(&dir, &["export", "products"]);
    assert!(
        !text(&exported).contains("FW-1"),
        "a rejected file imported a row: {}",
        text(&exported)
    );

    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        "sku,name,family,list_price,currency\nFW-1,Firewall,Firewalls,100.00,USD\nSW-1,Switch,Switches,50.00,EUR\n",
    )
    .unwrap();
    let imported = tributary(&dir, &["import", "products", good.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported));
    assert!(
        text(&imported).contains("2 rows (2 created, 0 updated)"),
        "{}",
        text(&imported)
    );
    let exported = tributary(&dir, &["export", "products"]);
    assert!(text(&exported).contains("FW-1") && text(&exported).contains("SW-1"));

    let verified = tributary(&dir, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(text(&verified).contains("intact"));

    tamper(&dir.join("tributary.db"));
    let broken = tributary(&dir, &["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken).contains("BROKEN at record 2"), "{}", text(&broken));
}

/// Edits the second audit record behind the application's back.
fn tamper(database: &Path) {
    let url = format!("sqlite:{}", database.display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let db = tributary_store::Db::connect(&url).await.unwrap();
            let mut tx = db.begin().await.unwrap();
            tx.conn()
                .execute(
                    &sea_query::Query::update()
                        .table("audit_log")
                        .value("actor_label", "someone else")
                        .and_where(sea_query::ExprTrait::eq(sea_query::Expr::col("seq"), 2))
                        .take(),
                )
                .await
                .unwrap();
            tx.commit().await.unwrap();
            db.close().await;
        });
}
