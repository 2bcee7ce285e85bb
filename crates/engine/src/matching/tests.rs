use std::collections::BTreeMap;

use proptest::prelude::*;
use tributary_domain::matching::{CandidateAccount, CustomerQuery, MatchExplanation, score};

use super::{Candidate, MatchIndex};

fn account(name: &str, domains: &[&str], country: &str, city: Option<&str>) -> CandidateAccount {
    CandidateAccount {
        name: name.into(),
        domains: domains.iter().map(|d| d.to_string()).collect(),
        country: country.into(),
        city: city.map(str::to_string),
    }
}

fn query(name: &str, website: Option<&str>, country: Option<&str>, city: Option<&str>) -> CustomerQuery {
    CustomerQuery {
        name: name.into(),
        website: website.map(str::to_string),
        email: None,
        country: country.map(str::to_string),
        city: city.map(str::to_string),
    }
}

/// Every account scored with the domain's reference, in the index's order, without zeros.
fn brute_force(accounts: &BTreeMap<String, CandidateAccount>, query: &CustomerQuery) -> Vec<Candidate> {
    let mut all: Vec<Candidate> = accounts
        .iter()
        .map(|(id, account)| Candidate {
            account_id: id.clone(),
            explanation: score(query, account),
        })
        .filter(|c| c.explanation.score > 0)
        .collect();
    all.sort_by(|a, b| {
        b.explanation
            .score
            .cmp(&a.explanation.score)
            .then(b.explanation.points().cmp(&a.explanation.points()))
            .then(a.account_id.cmp(&b.account_id))
    });
    all
}

fn above(candidates: &[Candidate], floor: u16) -> Vec<(String, MatchExplanation)> {
    candidates
        .iter()
        .filter(|c| c.explanation.score > floor)
        .map(|c| (c.account_id.clone(), c.explanation.clone()))
        .collect()
}

/// The index against the reference: the same accounts above 400 (every one blocking must
/// find), in the same order with the same explanations; whatever else it returns is scored
/// as the reference scores it; the same best candidate whenever that one scores above 400.
fn check(index: &MatchIndex, accounts: &BTreeMap<String, CandidateAccount>, query: &CustomerQuery) {
    assert_eq!(index.len(), accounts.len());
    let expected = brute_force(accounts, query);
    let found = index.search(query, usize::MAX);
    assert_eq!(above(&found, 400), above(&expected, 400), "{query:?}");
    for candidate in &found {
        let reference = score(query, &accounts[&candidate.account_id]);
        assert_eq!(candidate.explanation, reference);
    }
    let ranks: Vec<usize> = found
        .iter()
        .map(|c| {
            expected
                .iter()
                .position(|e| e.account_id == c.account_id)
                .expect("found by brute force")
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]), "same order: {ranks:?}");
    if let Some(best) = expected.first().filter(|b| b.explanation.score > 400) {
        assert_eq!(
            index.search(query, 1).first().map(|c| &c.account_id),
            Some(&best.account_id)
        );
    }
}

#[test]
fn finds_namesakes_typos_compounds_and_domains() {
    let accounts = vec![
        (
            "a1".to_string(),
            account("Acme GmbH", &["acme.de"], "DE", Some("Berlin")),
        ),
        (
            "a2".to_string(),
            account("Acme AG", &["acme-muenchen.de"], "DE", Some("München")),
        ),
        ("a3".to_string(), account("Acme SAS", &["acme.fr"], "FR", Some("Paris"))),
        (
            "a4".to_string(),
            account("Data Soft Systems Inc.", &["datasoft.com"], "US", Some("Austin")),
        ),
        (
            "a5".to_string(),
            account("Müller Logistik GmbH & Co. KG", &[], "DE", Some("Köln")),
        ),
        ("a6".to_string(), account("Varnex Solutions", &["varnex.io"], "", None)),
    ];
    let index = MatchIndex::build(accounts.clone());
    assert_eq!(index.len(), 6);
    let best = |q: &CustomerQuery| index.search(q, 3).first().map(|c| c.account_id.clone());

    let found = index.search(
        &query("ACME Gmbh", Some("https://www.acme.de"), Some("DE"), Some("Berlin")),
        3,
    );
    assert_eq!(found[0].account_id, "a1");
    assert_eq!(found[0].explanation.score, 1000);
    assert_eq!(found[1].account_id, "a2");
    assert!(found[1].explanation.score < 500);
    assert_eq!(
        best(&query("Acme", None, Some("DE"), Some("Munich"))).as_deref(),
        Some("a2")
    );
    assert_eq!(
        best(&query("Datasoft Sys", None, Some("US"), None)).as_deref(),
        Some("a4")
    );
    assert_eq!(
        best(&query("Mueller Logistik", None, Some("DE"), Some("Cologne"))).as_deref(),
        Some("a5")
    );
    assert_eq!(
        best(&query("Varnix Solutions", None, Some("SE"), None)).as_deref(),
        Some("a6")
    );
    assert_eq!(
        best(&query("Acme", Some("acme.fr"), Some("DE"), None)).as_deref(),
        Some("a3")
    );
    assert_eq!(best(&query("Kolbrin", None, Some("DE"), None)), None);
    assert!(index.search(&query("Acme", None, None, None), 0).is_empty());

    let map: BTreeMap<String, CandidateAccount> = accounts.into_iter().collect();
    for q in [
        query("Acme", None, None, None),
        query("acme", None, Some("FR"), Some("Paris")),
        query("Data Soft", Some("datasoft.com"), Some("DE"), None),
    ] {
        check(&index, &map, &q);
    }
}

#[test]
fn the_index_is_shared_across_threads() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<MatchIndex>();
    let index = MatchIndex::build(vec![("a1".into(), account("Acme GmbH", &[], "DE", Some("Berlin")))]);
    let q = query("Acme", None, Some("DE"), Some("Berlin"));
    std::thread::scope(|scope| {
        let found: Vec<_> = (0..2).map(|_| scope.spawn(|| index.search(&q, 1))).collect();
        for handle in found {
            assert_eq!(handle.join().expect("a search")[0].account_id, "a1");
        }
    });
}

#[test]
fn upsert_and_remove_keep_it_in_step() {
    let mut index = MatchIndex::build(vec![(
        "a1".into(),
        account("Acme GmbH", &["acme.de"], "DE", Some("Berlin")),
    )]);
    let q = query("Kolbrin", None, Some("FI"), Some("Espoo"));
    assert!(index.search(&q, 5).is_empty());
    index.upsert("a2", account("Kolbrin Oy", &["kolbrin.fi"], "FI", Some("Espoo")));
    assert_eq!(index.search(&q, 5)[0].account_id, "a2");
    index.upsert("a2", account("Varnex Oy", &["varnex.fi"], "FI", Some("Espoo")));
    assert_eq!(index.len(), 2);
    assert!(index.search(&q, 5).iter().all(|c| c.explanation.score < 300));
    index.upsert("a1", account("Kolbrin AB", &[], "FI", Some("Espoo")));
    assert_eq!(index.search(&q, 5)[0].account_id, "a1");
    index.remove("a1");
    index.remove("missing");
    assert_eq!(index.len(), 1);
    assert!(index.search(&q, 5).iter().all(|c| c.account_id == "a2"));
    assert!(index.contains("a2") && !index.contains("a1"));
}

#[test]
fn later_duplicates_win_at_build_and_compaction_keeps_results() {
    let index = MatchIndex::build(vec![
        ("a1".into(), account("Acme", &[], "DE", None)),
        ("a1".into(), account("Kolbrin", &[], "DE", None)),
    ]);
    assert_eq!(index.len(), 1);
    assert!(index.search(&query("Acme", None, Some("DE"), None), 5).is_empty());

    let mut index = MatchIndex::default();
    let mut model = BTreeMap::new();
    for i in 0..5000u32 {
        let id = format!("a{}", i % 40);
        let name = ["Acme", "Kolbrin Data", "Varnex", "Acne Soft"][(i % 7 % 4) as usize];
        let a = account(name, &[], ["DE", "FR"][(i % 3 % 2) as usize], None);
        index.upsert(&id, a.clone());
        model.insert(id, a);
    }
    assert!(index.changes < 5000, "compacted");
    for q in [
        query("Acme", None, Some("DE"), None),
        query("Kolbrin Data", None, None, None),
    ] {
        check(&index, &model, &q);
    }
}

const WORDS: &[&str] = &[
    "acme",
    "acne",
    "varnex",
    "varnix",
    "data",
    "soft",
    "datasoft",
    "solutions",
    "group",
    "muller",
    "mueller",
    "schmidt",
    "logistik",
    "nordic",
    "kolbrin",
    "and",
    "the",
    "bau",
    "intl",
    "international",
    "sys",
];
const SUFFIXES: &[&str] = &["", " GmbH", " Inc.", " S.A.", " Ltd", " & Co. KG", " Oy"];
const DOMAINS: &[&str] = &[
    "acme.com",
    "acme.de",
    "varnex.io",
    "datasoft.com",
    "gmail.com",
    "www.kolbrin.fi",
];
const COUNTRIES: &[&str] = &["DE", "FR", "US", ""];
const CITIES: &[&str] = &["Berlin", "München", "Munich", "Paris", "Pariss"];

fn name() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(WORDS), 1..4),
        prop::sample::select(SUFFIXES),
    )
        .prop_map(|(words, suffix)| format!("{}{suffix}", words.join(" ")))
}

fn arb_account() -> impl Strategy<Value = CandidateAccount> {
    (
        name(),
        prop::collection::vec(prop::sample::select(DOMAINS), 0..3),
        prop::sample::select(COUNTRIES),
        prop::option::of(prop::sample::select(CITIES)),
    )
        .prop_map(|(name, domains, country, city)| CandidateAccount {
            name,
            domains: domains.into_iter().map(str::to_string).collect(),
            country: country.into(),
            city: city.map(str::to_string),
        })
}

fn arb_query() -> impl Strategy<Value = CustomerQuery> {
    (
        name(),
        prop::option::of(prop::sample::select(DOMAINS)),
        prop::option::of(prop::sample::select(DOMAINS)),
        prop::option::of(prop::sample::select(COUNTRIES)),
        prop::option::of(prop::sample::select(CITIES)),
    )
        .prop_map(|(name, website, email, country, city)| CustomerQuery {
            name,
            website: website.map(str::to_string),
            email: email.map(|d| format!("someone@{d}")),
            country: country.map(str::to_string),
            city: city.map(str::to_string),
        })
}

#[derive(Debug, Clone)]
enum Change {
    Upsert(u8, CandidateAccount),
    Remove(u8),
}

fn arb_change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (0u8..40, arb_account()).prop_map(|(id, a)| Change::Upsert(id, a)),
        1 => (0u8..40).prop_map(Change::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn equals_scoring_every_account(
        accounts in prop::collection::vec(arb_account(), 0..60),
        queries in prop::collection::vec(arb_query(), 1..8),
    ) {
        let listed: Vec<(String, CandidateAccount)> =
            accounts.into_iter().enumerate().map(|(i, a)| (format!("acct-{i:03}"), a)).collect();
        let index = MatchIndex::build(listed.clone());
        let model: BTreeMap<String, CandidateAccount> = listed.into_iter().collect();
        for q in &queries {
            check(&index, &model, q);
        }
    }

    #[test]
    fn changes_keep_it_equal(
        accounts in prop::collection::vec(arb_account(), 0..30),
        changes in prop::collection::vec(arb_change(), 0..40),
        queries in prop::collection::vec(arb_query(), 1..6),
    ) {
        let listed: Vec<(String, CandidateAccount)> =
            accounts.into_iter().enumerate().map(|(i, a)| (format!("{i}"), a)).collect();
        let mut index = MatchIndex::build(listed.clone());
        let mut model: BTreeMap<String, CandidateAccount> = listed.into_iter().collect();
        for change in changes {
            match change {
                Change::Upsert(id, a) => {
                    index.upsert(&id.to_string(), a.clone());
                    model.insert(id.to_string(), a);
                }
                Change::Remove(id) => {
                    index.remove(&id.to_string());
                    model.remove(&id.to_string());
                }
            }
        }
        for q in &queries {
            check(&index, &model, q);
        }
    }
}
