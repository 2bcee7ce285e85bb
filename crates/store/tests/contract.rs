//! The store contract suite: every test runs on SQLite and, when
//! `TRIBUTARY_TEST_POSTGRES_URL` is set, on PostgreSQL, each in a fresh database.

use tributary_domain::partner::PartnerInput;
use tributary_domain::user::UserInput;
use tributary_store::audit::{self, Actor, Change, Verification};
use tributary_store::page::{PageRequest, Sort};
use tributary_store::repo::{partners, users};
use tributary_store::testing::{backends, fresh_db};
use tributary_store::{Db, Scope, StoreError};

fn partner(name: &str, manager: Option<&str>) -> tributary_domain::partner::PartnerFields {
    PartnerInput {
        name: name.into(),
        partner_type: "reseller".into(),
        size_band: "11-50".into(),
        country: "DE".into(),
        tax_country: "DE".into(),
        payout_currency: "EUR".into(),
        countries_served: vec!["DE".into(), "AT".into()],
        channel_manager_id: manager.map(str::to_string),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

async fn seed_manager(db: &Db, email: &str) -> String {
    let fields = UserInput {
        email: email.into(),
        display_name: "Cam".into(),
        role: "channel_manager".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let id = tributary_domain::ids::new_id();
    let mut tx = db.begin().await.unwrap();
    users::insert(&mut tx.conn(), &id, &fields, None).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn first_page(column: &'static str, limit: u64) -> PageRequest {
    PageRequest {
        sort: Sort {
            column,
            descending: false,
        },
        cursor: None,
        limit,
    }
}

#[tokio::test]
async fn partners_are_scoped_in_sql() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        let cam = seed_manager(&db, "cam@v.example").await;
        let mut tx = db.begin().await.unwrap();
        let mine = partners::insert(
            &mut tx.conn(),
            &tributary_domain::ids::new_id(),
            &partner("Mine", Some(&cam)),
        )
        .await
        .unwrap();
        let other = partners::insert(
            &mut tx.conn(),
            &tributary_domain::ids::new_id(),
            &partner("Other", None),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut pooled = db.acquire().await.unwrap();
        let mut conn = pooled.conn();
        let filter = partners::PartnerFilter::default();
        let all = partners::list(&mut conn, &Scope::All, &filter, &first_page("name", 50))
            .await
            .unwrap();
        assert_eq!(all.items.len(), 2, "{backend:?}");
        let managed = partners::list(
            &mut conn,
            &Scope::ManagedBy(cam.clone()),
            &filter,
            &first_page("name", 50),
        )
        .await
        .unwrap();
        assert_eq!(
            managed.items.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
            vec![mine.id.as_str()]
        );
        let own = Scope::Partners(vec![other.id.clone()]);
        assert!(
            partners::get(&mut conn, &own, &mine.id).await.unwrap().is_none(),
            "{backend:?}: another partner's row leaked"
        );
        let read = partners::get(&mut conn, &own, &other.id).await.unwrap().unwrap();
        assert_eq!(read.fields.countries_served, vec!["AT", "DE"]);
    }
}

#[tokio::test]
async fn cursor_pages_neither_skip_nor_repeat() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        let mut tx = db.begin().await.unwrap();
        for i in 0..25 {
            let name = format!("Partner {:02}", i % 10);
            partners::insert(&mut tx.conn(), &tributary_domain::ids::new_id(), &partner(&name, None))
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let mut pooled = db.acquire().await.unwrap();
        let mut conn = pooled.conn();
        let mut seen = Vec::new();
        let mut request = first_page("name", 7);
        loop {
            let page = partners::list(&mut conn, &Scope::All, &Default::default(), &request)
                .await
                .unwrap();
            seen.extend(page.items.iter().map(|p| (p.fields.name.clone(), p.id.clone())));
            match page.next_cursor {
                Some(cursor) => request.cursor = Some(tributary_store::page::Cursor::decode(&cursor).unwrap()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 25, "{backend:?}");
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted, "{backend:?}: pages out of order");
        sorted.dedup();
        assert_eq!(sorted.len(), 25, "{backend:?}: a row repeated");
    }
}

#[tokio::test]
async fn optimistic_update_refuses_a_stale_version() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        let mut tx = db.begin().await.unwrap();
        let created = partners::insert(&mut tx.conn(), &tributary_domain::ids::new_id(), &partner("Acme", None))
            .await
            .unwrap();
        let renamed = partners::update(&mut tx.conn(), &created, &partner("Acme 2", None))
            .await
            .unwrap();
        assert_eq!(renamed.unwrap().version, 2);
        assert!(
            partners::update(&mut tx.conn(), &created, &partner("Acme 3", None))
                .await
                .unwrap()
                .is_none()
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn unique_violations_are_conflicts() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        seed_manager(&db, "dup@v.example").await;
        let fields = UserInput {
            email: "dup@v.example".into(),
            display_name: "Again".into(),
            role: "finance".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let mut tx = db.begin().await.unwrap();
        let err = users::insert(&mut tx.conn(), &tributary_domain::ids::new_id(), &fields, None)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{backend:?}: {err:?}");
    }
}

async fn append_some(db: &Db, n: usize) {
    for i in 0..n {
        let mut tx = db.begin().await.unwrap();
        audit::append(
            &mut tx.conn(),
            &Actor::system("test"),
            Change {
                action: "partner.updated",
                entity_type: "partner",
                entity_id: "p1",
                before: Some(serde_json::json!({ "n": i })),
                after: Some(serde_json::json!({ "n": i + 1 })),
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

async fn verify(db: &Db) -> Verification {
    let mut pooled = db.acquire().await.unwrap();
    audit::verify(&mut pooled.conn()).await.unwrap()
}

#[tokio::test]
async fn audit_chain_detects_tampering() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        append_some(&db, 5).await;
        assert_eq!(verify(&db).await, Verification::Intact { records: 5 }, "{backend:?}");
        // Alter record 3 behind the application's back.
        let mut tx = db.begin().await.unwrap();
        tx.conn()
            .execute(
                &sea_query::Query::update()
                    .table("audit_log")
                    .value("after_json", "{\"n\":999}")
                    .and_where(sea_query::ExprTrait::eq(sea_query::Expr::col("seq"), 3))
                    .take(),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        match verify(&db).await {
            Verification::Broken { seq, .. } => assert_eq!(seq, 3, "{backend:?}"),
            other => panic!("{backend:?}: tampering not detected: {other:?}"),
        }
    }
}

#[tokio::test]
async fn audit_chain_detects_removal_of_the_last_record() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        append_some(&db, 3).await;
        let mut tx = db.begin().await.unwrap();
        tx.conn()
            .execute(
                &sea_query::Query::delete()
                    .from_table("audit_log")
                    .and_where(sea_query::ExprTrait::eq(sea_query::Expr::col("seq"), 3))
                    .take(),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            matches!(verify(&db).await, Verification::Broken { seq: 3, .. }),
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn concurrent_audit_appends_form_one_chain() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move { append_some(&db, 5).await }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(verify(&db).await, Verification::Intact { records: 40 }, "{backend:?}");
    }
}

#[tokio::test]
async fn a_dropped_transaction_writes_nothing() {
    for backend in backends() {
        let db = fresh_db(backend).await;
        {
            let mut tx = db.begin().await.unwrap();
            partners::insert(
                &mut tx.conn(),
                &tributary_domain::ids::new_id(),
                &partner("Ghost", None),
            )
            .await
            .unwrap();
            append_some_in(&mut tx).await;
        }
        let mut pooled = db.acquire().await.unwrap();
        let n = partners::count(&mut pooled.conn(), &Scope::All, &Default::default())
            .await
            .unwrap();
        assert_eq!(n, 0, "{backend:?}");
        drop(pooled);
        assert_eq!(verify(&db).await, Verification::Intact { records: 0 }, "{backend:?}");
    }
}

async fn append_some_in(tx: &mut tributary_store::Tx) {
    audit::append(
        &mut tx.conn(),
        &Actor::system("test"),
        Change {
            action: "partner.created",
            entity_type: "partner",
            entity_id: "ghost",
            before: None,
            after: None,
        },
    )
    .await
    .unwrap();
}
